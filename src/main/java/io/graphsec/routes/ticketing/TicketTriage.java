package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What a ticket says of Microsoft's own triage, when Graph gave it: the incident's priority score and
 * why the message was raised, its system tags and summary, a request to act (awaitingAction) and the
 * resolving comment. Given to the ticket templates as two headers made here, each empty when there
 * is nothing to say, so a ticket of an incident without them reads as it always did; and the note
 * kinds that take the place of severityRaised and statusChanged for a raise and a request to act.
 */
final class TicketTriage {

    static final String TRIAGE = "graphTriage";
    static final String RESOLVING_COMMENT = "graphResolvingComment";
    private static final int MAX_LINE = 1000;

    private TicketTriage() {
    }

    /** Adds graphTriage and graphResolvingComment to the template context's headers. */
    static void addTo(ObjectNode header, Map<String, String> headers, ObjectNode entity, boolean incident) {
        StringBuilder lines = new StringBuilder();
        String score = headers.get("graphIncidentPriorityScore");
        String reason = headers.get("graphRouteReason");
        if (score != null || reason != null) {
            lines.append("\nMicrosoft's priority score: ").append(score == null ? "none" : line(score, 10))
                    .append(reason == null ? "" : " (routed as high: " + line(reason, MAX_LINE) + ")");
        }
        append(lines, "System tags", headers.get("graphSystemTags"));
        append(lines, "Summary", headers.get("graphIncidentSummary"));
        append(lines, "Action requested", headers.get("graphAwaitingAction"));
        header.put(TRIAGE, lines.length() == 0 ? "" : "\n" + lines);
        JsonNode comment = entity.get("resolvingComment");
        header.put(RESOLVING_COMMENT, incident && comment != null && comment.isTextual() && !comment.asText().isBlank()
                ? " Resolving comment: " + line(comment.asText(), 2 * MAX_LINE) : "");
    }

    /**
     * The note for this event when Microsoft's triage says more than the event does: priorityRaised
     * for a raise by the priority score or a system tag, awaitingAction for a request to act; null
     * otherwise.
     */
    static String noteKind(TicketMessage msg) {
        return msg.headers().containsKey("graphAwaitingAction") ? "awaitingAction"
                : msg.event().equals("severityRaised") && msg.headers().containsKey("graphRouteReason")
                ? "priorityRaised" : null;
    }

    /**
     * An incident just resolved in Graph with a resolving comment, for a ticket its alerts resolved
     * already: the comment is noted once, not again with each later version of the resolved incident.
     */
    static boolean hasResolvingComment(TicketMessage msg) {
        JsonNode comment = msg.entity().get("resolvingComment");
        return msg.incident() && msg.event().equals("resolved") && comment != null && comment.isTextual() && !comment.asText().isBlank();
    }

    private static void append(StringBuilder lines, String label, String value) {
        if (value != null && !value.isBlank()) {
            lines.append('\n').append(label).append(": ").append(line(value, MAX_LINE));
        }
    }

    private static String line(String s, int max) {
        return TicketScope.oneLine(s.replace('\u2028', ' ').replace('\u2029', ' ').trim(), max);
    }
}
