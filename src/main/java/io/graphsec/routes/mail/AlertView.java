package io.graphsec.routes.mail;

import java.util.List;

/**
 * What a mail shows of one work-queue message (an alert, or an incident), every value already made
 * one safe line or block by {@link MailText}; links are plain https or null.
 */
record AlertView(String route, String severity, String id, String entityType, String title, String event,
        String status, String previousSeverity, String previousStatus, String incidentId, String incidentName,
        String incidentLink, String portalLink, String firstActivity, String lastActivity, String updated,
        List<Evidence> evidence, String description, String actions) {

    /** One kind of evidence (users, devices, ...) and the values named. */
    record Evidence(String label, List<String> values) {
    }
}
