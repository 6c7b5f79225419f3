package io.graphsec.routes.state;

import java.util.regex.Pattern;

/**
 * What we remember of an alert or incident as last delivered: its version (lastUpdateDateTime),
 * for the dedup, and its normalized severity and status, for telling what changed; and the route it
 * was raised to ({@code route}, e.g. high by its incident's priority score), null when it went by
 * its own severity.
 */
public record EntityState(String version, String severity, String status, String route) {

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    public EntityState(String version, String severity, String status) {
        this(version, severity, status, null);
    }

    /** The same state, delivered on {@code route} instead of its severity's own. */
    public EntityState routedTo(String route) {
        return new EntityState(version, severity, status, route);
    }

    /** The severity it was routed as: the raised route, or its own severity. */
    public String routedSeverity() {
        return route != null ? route : severity;
    }

    /**
     * One store value: {@code version[\tseverity\tstatus[\troute]]}; control characters cannot break
     * the line. Without a raised route the value is what it was before routes were kept.
     */
    public String format() {
        String base = clean(version) + '\t' + clean(severity) + '\t' + clean(status);
        return route == null ? base : base + '\t' + clean(route);
    }

    /** Reads a store value; a value written before states were kept holds the version only. */
    public static EntityState parse(String value) {
        String[] parts = value.split("\t", -1);
        return new EntityState(parts[0], part(parts, 1), part(parts, 2), part(parts, 3));
    }

    /** The version part of a store value, without parsing the rest. */
    static String versionOf(String value) {
        int tab = value.indexOf('\t');
        return tab < 0 ? value : value.substring(0, tab);
    }

    private static String part(String[] parts, int i) {
        return parts.length > i && !parts[i].isEmpty() ? parts[i] : null;
    }

    private static String clean(String s) {
        if (s == null) {
            return "";
        }
        // Checked first: this runs for every item of every page, and nearly none holds a control character.
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return CONTROL.matcher(s).replaceAll("?");
            }
        }
        return s;
    }
}
