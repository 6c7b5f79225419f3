package io.graphsec.routes.mail;

import java.util.List;

/**
 * What a mail shows of one work-queue message (an alert, or an incident), every value already made
 * one safe line or block by {@link MailText}; links are plain https or null; triage: the rows of
 * Microsoft's own ranking ({@link MailTriage}).
 */
record AlertView(String route, String severity, String id, String entityType, String title, String event,
        String status, String previousSeverity, String previousStatus, String incidentId, String incidentName,
        String incidentLink, String portalLink, String firstActivity, String lastActivity, String updated,
        List<Evidence> evidence, String description, String actions, List<String[]> triage) {

    /** Routed as high by Microsoft's priority score or a system tag, whatever its own severity. */
    boolean raised() {
        return triage.stream().anyMatch(row -> row[0].equals(MailTriage.ROUTED_AS_HIGH));
    }

    /** The severity a mail names: the route when Microsoft's ranking raised it, else its own. */
    String shownSeverity() {
        return raised() ? route : severity;
    }

    /** One kind of evidence (users, devices, ...) and the values named. */
    record Evidence(String label, List<String> values) {
    }
}
