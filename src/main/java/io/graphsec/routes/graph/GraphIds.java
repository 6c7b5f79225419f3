package io.graphsec.routes.graph;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Graph ids go into URLs (GET, PATCH, comments), ticket correlation keys (a ServiceNow query, a Jira
 * label, a file name) and portal links. Only the shapes Graph really uses are admitted: alerts_v2
 * ({@code da637551227677560813_-961444813}), incidents ({@code 2972395}), legacy alerts (GUIDs),
 * secure scores ({@code <tenant>_2019-03-19}), control profiles ({@code DLPEnabled}), and our own
 * event ids ({@code hunt-...}, {@code securescore-...}): letters, digits, {@code _ - . =}, starting
 * with a letter or digit, no {@code ..}. Anything else is refused rather than encoded: braces,
 * {@code $}, {@code :} or {@code ^} would otherwise reach a Camel placeholder, a simple expression or
 * a ServiceNow query, and it is never a real Graph id.
 */
public final class GraphIds {

    public static final int MAX_LENGTH = 256;

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.=-]*");

    private GraphIds() {
    }

    /** Empty if the id has a shape Graph uses, otherwise what is wrong with it, naming the field and quoting the id escaped. */
    public static Optional<String> problem(String field, String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return Optional.of(field + " must be 1 to " + MAX_LENGTH + " characters, got "
                    + (id == null ? "none" : id.length()));
        }
        if (!SHAPE.matcher(id).matches() || id.contains("..")) {
            return Optional.of(field + " " + quote(id) + " is not a Graph id (letters, digits, _ - . = only,"
                    + " starting with a letter or digit, no ..)");
        }
        return Optional.empty();
    }

    /** The id checked, or an IllegalArgumentException naming the problem: for ids about to become part of a URL. */
    public static String checked(String field, String id) {
        problem(field, id).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return id;
    }

    /**
     * The id checked and percent-encoded as one URL path segment, for appending to a fixed base URL.
     * (An admitted id needs no encoding but {@code =}; encoding anyway keeps the URL right should the
     * shape ever widen.)
     */
    public static String pathSegment(String field, String id) {
        return percentEncoded(checked(field, id));
    }

    /** Any text as one percent-encoded path segment or query value (a space as %20, never +). */
    public static String percentEncoded(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Text from outside shown in a reason, a log line or an audit record: at most 80 characters, in
     * quotes, with control characters, quotes, backslashes and the characters that open a Camel
     * placeholder or expression ({@code { } $ #}) written as {@code \}uXXXX, so that the reason names
     * what arrived without a log line being forged or anything downstream reading it as an expression.
     */
    public static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        StringBuilder b = new StringBuilder(shown.length() + 2).append('\'');
        shown.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == '\'' || c == '\\' || c == '{' || c == '}' || c == '$' || c == '#'
                    || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append('\'').toString();
    }
}
