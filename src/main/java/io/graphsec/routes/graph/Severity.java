package io.graphsec.routes.graph;

import java.util.Locale;
import java.util.Set;

/**
 * An item's severity as the routes compare it: the poller remembers it with each delivered version
 * (a change of severity is news) and the enrichers route by it, so both must read it alike.
 */
public final class Severity {

    /** The severities Graph documents; anything else (a new enum member, none) is "unknown". */
    public static final Set<String> KNOWN = Set.of("high", "medium", "low", "informational");

    private Severity() {
    }

    public static String normalize(String raw) {
        if (raw == null) {
            return "unknown";
        }
        String s = raw.trim().toLowerCase(Locale.ROOT);
        return KNOWN.contains(s) ? s : "unknown";
    }
}
