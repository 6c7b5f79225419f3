package io.graphsec.routes.mail;

import static io.graphsec.routes.mail.MailText.line;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The rows a mail shows of Microsoft's own triage, when the message carries it: why it was routed
 * as high (graphRouteReason), the incident's priority score, its system tags and summary. Each value
 * is made one safe line, like everything else from the alert.
 */
final class MailTriage {

    static final String ROUTED_AS_HIGH = "Routed as high";
    private static final int MAX_VALUE = 200;
    private static final int MAX_SUMMARY = 1000;

    private MailTriage() {
    }

    static List<String[]> rows(Function<String, String> header) {
        List<String[]> rows = new ArrayList<>();
        add(rows, ROUTED_AS_HIGH, header.apply("graphRouteReason"), MAX_VALUE);
        add(rows, "Priority score", header.apply("graphIncidentPriorityScore"), 10);
        add(rows, "System tags", header.apply("graphSystemTags"), MAX_VALUE);
        add(rows, "Incident summary", header.apply("graphIncidentSummary"), MAX_SUMMARY);
        return rows;
    }

    private static void add(List<String[]> rows, String label, String value, int max) {
        String v = value == null ? "" : line(value, max);
        if (!v.isEmpty()) {
            rows.add(new String[] {label, v});
        }
    }
}
