package io.graphsec.routes.graph;

import java.util.Optional;

/**
 * Graph ids go into URLs (GET, PATCH, comments) and portal links, so one with a path separator,
 * a dot-dot, a query or fragment marker, an escape, whitespace or a control character is refused
 * rather than encoded: it is never a real Graph id, and passing it on could steer the request.
 */
public final class GraphIds {

    public static final int MAX_LENGTH = 256;

    private GraphIds() {
    }

    /** Empty if the id is safe, otherwise what is wrong with it, naming the field. */
    public static Optional<String> problem(String field, String id) {
        if (id.isBlank() || id.length() > MAX_LENGTH) {
            return Optional.of(field + " must be 1 to " + MAX_LENGTH + " characters, got " + id.length());
        }
        if (id.contains("/") || id.contains("\\") || id.contains("..") || id.contains("?") || id.contains("#")
                || id.contains("%") || id.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.of(field + " " + quote(id) + " contains a character not allowed in a Graph id"
                    + " (/, \\, .., ?, #, %, whitespace or a control character)");
        }
        return Optional.empty();
    }

    static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
