package io.graphsec.routes.hunting;

import io.graphsec.routes.config.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.quartz.CronExpression;

/**
 * One scheduled hunt: a {@code .kql} file in the hunts folder whose first lines are a header in KQL
 * comments ({@code // name: ...}, {@code // schedule: <Quartz cron>}, {@code // severity: ...},
 * {@code // timespan: <ISO-8601 duration>}), and the query after it. The file is the user's, so
 * every mistake is reported with the file and the field to fix.
 */
public record HuntFile(String fileName, String slug, String name, String schedule, String severity,
                       Duration timespan, String description, String category, String recommendedActions,
                       String query) {

    static final Set<String> SEVERITIES = Set.of("high", "medium", "low", "informational");
    static final Set<String> FIELDS = Set.of("name", "schedule", "severity", "timespan", "description", "category",
            "recommendedActions");
    /** Advanced hunting keeps 30 days of data; a longer range only costs quota. */
    static final Duration MAX_TIMESPAN = Duration.ofDays(30);
    static final Duration DEFAULT_TIMESPAN = Duration.ofDays(1);
    static final int MAX_TEXT = 1000;

    private static final Pattern HEADER = Pattern.compile("^//\\s*([A-Za-z]+)\\s*:(.*)$");

    /** The hunt's schedule, read in UTC. A new instance per call: Quartz's CronExpression is not thread-safe. */
    public CronExpression cron() {
        try {
            CronExpression cron = new CronExpression(schedule);
            cron.setTimeZone(TimeZone.getTimeZone("UTC"));
            return cron;
        } catch (ParseException e) {
            throw new IllegalStateException("checked when the file was read", e);
        }
    }

    /** Every {@code *.kql} file of the folder, in name order; their slugs (file names) must differ. */
    public static List<HuntFile> loadAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new HuntFileException("the hunts folder " + dir.toAbsolutePath() + " (graph.hunting.dir) does not exist;"
                    + " create it or set graph.hunting.enabled=false");
        }
        List<HuntFile> hunts = new ArrayList<>();
        Map<String, String> slugs = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".kql")).sorted().toList()) {
                HuntFile hunt = read(file);
                String other = slugs.put(hunt.slug(), hunt.fileName());
                if (other != null) {
                    throw new HuntFileException("hunt files " + other + " and " + hunt.fileName()
                            + " make the same id '" + hunt.slug() + "'; rename one");
                }
                hunts.add(hunt);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the hunts folder " + dir, e);
        }
        return hunts;
    }

    /** The hunts of these files (file name to text), in name order; their slugs (file names) must differ. */
    public static List<HuntFile> loadAll(Map<String, String> texts) {
        List<HuntFile> hunts = new ArrayList<>();
        Map<String, String> slugs = new HashMap<>();
        for (Map.Entry<String, String> file : new java.util.TreeMap<>(texts).entrySet()) {
            HuntFile hunt = parse(file.getKey(), file.getValue());
            String other = slugs.put(hunt.slug(), hunt.fileName());
            if (other != null) {
                throw new HuntFileException("hunt files " + other + " and " + hunt.fileName()
                        + " make the same id '" + hunt.slug() + "'; rename one");
            }
            hunts.add(hunt);
        }
        return hunts;
    }

    public static HuntFile read(Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the hunt file " + file, e);
        }
    }

    /**
     * The header is the run of {@code // key: value} lines at the top (blank lines allowed); the
     * first other line starts the query, which keeps any later comments as KQL.
     */
    public static HuntFile parse(String fileName, String text) {
        Map<String, String> header = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        int i = 0;
        for (; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = HEADER.matcher(line);
            if (!m.matches()) {
                break;
            }
            String key = m.group(1);
            if (!FIELDS.contains(key)) {
                throw error(fileName, key, "is not a header field (known: name, schedule, severity, timespan,"
                        + " description, category, recommendedActions)");
            }
            if (header.put(key, m.group(2).strip()) != null) {
                throw error(fileName, key, "is given twice");
            }
        }
        String query = String.join("\n", java.util.Arrays.asList(lines).subList(i, lines.length)).strip();
        if (query.isEmpty()) {
            throw error(fileName, "query", "is empty: the KQL goes after the header");
        }
        String name = text(fileName, header, "name", true);
        String schedule = schedule(fileName, header);
        String severity = required(fileName, header, "severity").toLowerCase(Locale.ROOT);
        if (!SEVERITIES.contains(severity)) {
            throw error(fileName, "severity", "'" + printable(header.get("severity"))
                    + "' is not one of high, medium, low, informational");
        }
        return new HuntFile(fileName, slugOf(fileName), name, schedule, severity, timespan(fileName, header),
                text(fileName, header, "description", false), text(fileName, header, "category", false),
                text(fileName, header, "recommendedActions", false), query);
    }

    /** The file name without {@code .kql}, lower case, anything but letters, digits, {@code -} and {@code _} as {@code -}. */
    static String slugOf(String fileName) {
        String base = fileName.endsWith(".kql") ? fileName.substring(0, fileName.length() - 4) : fileName;
        String slug = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
        if (slug.isEmpty()) {
            throw error(fileName, "file name", "has no letter or digit to make the hunt's id of");
        }
        return slug.length() > 64 ? slug.substring(0, 64) : slug;
    }

    private static String schedule(String fileName, Map<String, String> header) {
        String cron = required(fileName, header, "schedule");
        try {
            new CronExpression(cron);
            return cron;
        } catch (ParseException e) {
            throw error(fileName, "schedule", "'" + printable(cron) + "' is not a Quartz cron expression ("
                    + e.getMessage() + "); e.g. 0 0/15 * * * ? for every 15 minutes");
        }
    }

    private static Duration timespan(String fileName, Map<String, String> header) {
        String v = header.get("timespan");
        if (v == null || v.isEmpty()) {
            return DEFAULT_TIMESPAN;
        }
        Duration d;
        try {
            d = Duration.parse(v);
        } catch (DateTimeParseException e) {
            throw error(fileName, "timespan", "'" + printable(v) + "' is not an ISO-8601 duration such as PT1H or P1D");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_TIMESPAN) > 0) {
            throw error(fileName, "timespan", v + " is outside PT1S..P30D (advanced hunting keeps 30 days)");
        }
        return d;
    }

    private static String required(String fileName, Map<String, String> header, String field) {
        String v = header.get(field);
        if (v == null || v.isEmpty()) {
            throw error(fileName, field, "is missing: add a line '// " + field + ": ...' to the header");
        }
        return v;
    }

    private static String text(String fileName, Map<String, String> header, String field, boolean mandatory) {
        String v = mandatory ? required(fileName, header, field) : header.getOrDefault(field, "");
        if (v.length() > MAX_TEXT || v.chars().anyMatch(Character::isISOControl)) {
            throw error(fileName, field, "must be one line of at most " + MAX_TEXT + " characters");
        }
        return v;
    }

    private static HuntFileException error(String fileName, String field, String problem) {
        return new HuntFileException("hunt file " + printable(fileName) + ": " + field + " " + problem);
    }

    private static String printable(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /** A hunt file that cannot be used; the message names the file and the field. */
    public static final class HuntFileException extends ConfigurationException {
        public HuntFileException(String message) {
            super(message);
        }
    }
}
