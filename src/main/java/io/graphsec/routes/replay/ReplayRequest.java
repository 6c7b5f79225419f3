package io.graphsec.routes.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the operator asked to replay: a range of one tenant's collection, the one destination it goes
 * to (or null: the configured routing), whether nothing is to be sent (dry run), who asked. Built from
 * the command line, whose every value is checked here before anything connects anywhere.
 *
 * @param destination a {@code jms:queue:} or {@code file:} URI (the only schemes a replay may name), or null
 * @param compareFolders for a dry run: the configuration folders whose routing is compared (none or two)
 */
public record ReplayRequest(Instant from, Instant to, String collection, String tenant, String destination,
                            boolean dryRun, String operator, List<String> compareFolders) {

    /** The collections a replay may read; the name picks the live poll whose settings it borrows. */
    public static final Set<String> COLLECTIONS = Set.of("alerts", "incidents", "legacy-alerts");
    // A queue name or a relative or absolute folder: letters, digits and . _ - / only, nothing Camel would
    // read as an option (?), a placeholder ({{ }}), an expression (${ }) or a parent folder (..).
    private static final Pattern JMS_QUEUE = Pattern.compile("jms:queue:[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern FILE_FOLDER = Pattern.compile("file:(/?[A-Za-z0-9_][A-Za-z0-9._-]*)(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final Pattern OPERATOR = Pattern.compile("[\\p{L}\\p{N}._@ -]{1,100}");

    public ReplayRequest {
        if (from == null || to == null) {
            throw new IllegalArgumentException("--from and --to are required (e.g. --from 2026-12-01T12:00Z --to 2026-12-01T18:00Z)");
        }
        // Graph's times and the poller's windows are in milliseconds.
        from = from.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        to = to.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
        }
        if (!COLLECTIONS.contains(collection)) {
            throw new IllegalArgumentException("--collection " + quoted(collection) + " is not one a replay reads: "
                    + String.join(", ", COLLECTIONS.stream().sorted().toList()));
        }
        if (tenant == null || !NAME.matcher(tenant).matches()) {
            throw new IllegalArgumentException("--tenant " + quoted(tenant) + " is not a tenant name");
        }
        if (destination != null && !isAllowedDestination(destination)) {
            throw new IllegalArgumentException("--to-destination " + quoted(destination) + " is refused: a replay sends"
                    + " only to jms:queue:<name> or file:<folder> (letters, digits, . _ - /; no options, placeholders"
                    + " or ..)");
        }
        if (operator == null || !OPERATOR.matcher(operator).matches()) {
            throw new IllegalArgumentException("--operator " + quoted(operator) + " is not a name (letters, digits,"
                    + " . _ @ - and spaces, at most 100)");
        }
        compareFolders = compareFolders == null ? List.of() : List.copyOf(compareFolders);
        if (!compareFolders.isEmpty() && (compareFolders.size() != 2 || !dryRun)) {
            throw new IllegalArgumentException("--compare takes two configuration folders, and only with --dry-run");
        }
        if (dryRun && destination != null) {
            throw new IllegalArgumentException("--dry-run sends nothing: it reports the configured routing, so"
                    + " --to-destination makes no sense with it");
        }
    }

    public Duration range() {
        return Duration.between(from, to);
    }

    /** A duration as an operator writes it: P7D rather than PT168H. */
    static String describe(Duration d) {
        return d.toMillis() % Duration.ofDays(1).toMillis() == 0 ? "P" + d.toDays() + "D" : d.toString();
    }

    /** Whether a replay may send to this URI: a plain JMS queue or a plain folder, nothing else. */
    public static boolean isAllowedDestination(String uri) {
        if (uri.contains("..")) {
            return false;
        }
        return JMS_QUEUE.matcher(uri).matches() || FILE_FOLDER.matcher(uri).matches();
    }

    /**
     * The command line after the word {@code replay}: --from, --to, --collection (alerts), --tenant
     * (default), --to-destination, --dry-run, --operator (the OS user), --compare A B.
     */
    public static ReplayRequest parse(List<String> args, String osUser) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> compare = new ArrayList<>();
        boolean dryRun = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--dry-run")) {
                dryRun = true;
            } else if (arg.equals("--compare")) {
                if (i + 2 >= args.size()) {
                    throw new IllegalArgumentException("--compare needs two configuration folders");
                }
                compare.add(args.get(++i));
                compare.add(args.get(++i));
            } else if (Set.of("--from", "--to", "--collection", "--tenant", "--to-destination", "--operator").contains(arg)) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                if (options.put(arg, args.get(++i)) != null) {
                    throw new IllegalArgumentException(arg + " is given twice");
                }
            } else {
                throw new IllegalArgumentException("unknown replay option " + quoted(arg) + "; the options are --from,"
                        + " --to, --collection, --tenant, --to-destination, --dry-run, --compare, --operator");
            }
        }
        return new ReplayRequest(instant(options.get("--from"), "--from"), instant(options.get("--to"), "--to"),
                options.getOrDefault("--collection", "alerts"), options.getOrDefault("--tenant", "default"),
                options.get("--to-destination"), dryRun, options.getOrDefault("--operator", osUser), compare);
    }

    private static Instant instant(String text, String option) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.replaceFirst("(T\\d\\d:\\d\\d)(Z|[+-]\\d\\d:\\d\\d)$", "$1:00$2")).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " " + quoted(text) + " is not a date and time with its offset"
                    + " (e.g. 2026-12-01T12:00Z)");
        }
    }

    /** The operator's text, shown in an error without control characters and at most 80 characters long. */
    static String quoted(String text) {
        if (text == null) {
            return "(none)";
        }
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return "'" + (clean.length() > 80 ? clean.substring(0, 80) + "…" : clean) + "'";
    }
}
