package io.graphsec.routes.enrich;

import io.graphsec.routes.state.EntityState;
import java.util.List;

/**
 * What happened to an alert or incident since we last delivered it, as the graphEventType header:
 * routing mails and tickets on it, not on every re-stamped version.
 */
public final class ChangeEvent {

    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String SEVERITY_RAISED = "severityRaised";
    public static final String STATUS_CHANGED = "statusChanged";
    public static final String RESOLVED = "resolved";
    public static final String REOPENED = "reopened";

    private static final List<String> SEVERITY_ORDER = List.of("informational", "low", "medium", "high");

    private ChangeEvent() {
    }

    /** Resolved, or (legacy alerts) dismissed: closed either way. */
    private static boolean isResolved(String status) {
        return "resolved".equals(status) || "dismissed".equals(status);
    }

    /**
     * The event for an entity now at {@code severity} (normalized) and {@code status}, given what was
     * delivered before (null: never, or longer ago than the change memory). A resolution or a
     * re-opening wins over a severity change, which wins over any other status change.
     */
    public static String of(EntityState previous, String severity, String status) {
        boolean resolvedNow = isResolved(status);
        if (previous == null) {
            return resolvedNow ? RESOLVED : CREATED;
        }
        boolean resolvedBefore = isResolved(previous.status());
        if (resolvedBefore && !resolvedNow) {
            return REOPENED;
        }
        if (resolvedNow && !resolvedBefore) {
            return RESOLVED;
        }
        if (previous.severity() != null
                && SEVERITY_ORDER.indexOf(severity) > SEVERITY_ORDER.indexOf(previous.severity())) {
            return resolvedNow ? UPDATED : SEVERITY_RAISED;
        }
        if (status != null && previous.status() != null && !status.equals(previous.status())) {
            return STATUS_CHANGED;
        }
        return UPDATED;
    }
}
