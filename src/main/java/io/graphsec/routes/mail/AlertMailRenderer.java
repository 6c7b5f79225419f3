package io.graphsec.routes.mail;

import static io.graphsec.routes.mail.MailText.block;
import static io.graphsec.routes.mail.MailText.html;
import static io.graphsec.routes.mail.MailText.htmlBlock;
import static io.graphsec.routes.mail.MailText.line;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.camel.Body;
import org.apache.camel.Headers;

/**
 * Turns a work-queue message (the contract's body and graph* headers) into a mail, and a batch of
 * them into a digest. Recipients come from configuration per severity route; nothing from the alert
 * decides who gets the mail. Everything from the alert passes through {@link MailText}.
 */
public final class AlertMailRenderer {

    static final List<String> ROUTES = List.of("high", "medium", "low", "informational", "triage");
    private static final Set<String> SEVERITIES = Set.of("high", "medium", "low", "informational");
    private static final Map<String, String> EVENTS = Map.of("created", "New", "updated", "Updated",
            "severityRaised", "Severity raised", "statusChanged", "Status changed", "resolved", "Resolved",
            "reopened", "Reopened");
    private static final List<String> EVIDENCE_KINDS = List.of("users", "devices", "ips", "files", "urls", "mailboxes");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_TITLE = 150;
    private static final int MAX_SUBJECT_TITLE = 120;
    private static final int MAX_VALUE = 200;
    private static final int MAX_EVIDENCE_VALUES = 10;
    private static final int MAX_DESCRIPTION = 2000;
    private static final int MAX_ACTIONS = 600;

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, String> recipientsByRoute;
    private final String from;

    /** @param recipientsByRoute comma lists of addresses per route (high ... triage); empty = no mail */
    public AlertMailRenderer(Map<String, String> recipientsByRoute, String from) {
        this.recipientsByRoute = Map.copyOf(recipientsByRoute);
        this.from = from;
    }

    /** Whether anybody receives mail for alerts of this route (high ... triage): graph.mail.to.<route> is set. */
    public boolean hasRecipients(String route) {
        return route != null && !recipientsByRoute.getOrDefault(route, "").isBlank();
    }

    /** The immediate mail of one message of graph.mail.source. */
    public Mail alert(@Body String body, @Headers Map<String, Object> headers) {
        return render(read(body, name -> headers.get(name) == null ? null : headers.get(name).toString()));
    }

    Mail render(AlertView a) {
        String subject = "[Graph " + a.shownSeverity().toUpperCase(Locale.ROOT) + "] "
                + ("incident".equals(a.entityType()) ? "Incident: " : "")
                + (a.event() == null || a.event().equals("New") || a.event().equals("Updated") ? "" : a.event() + ": ")
                + line(a.title(), MAX_SUBJECT_TITLE) + " (" + shortId(a.id()) + ")";

        List<String[]> rows = new ArrayList<>();
        row(rows, "Severity", a.severity().toUpperCase(Locale.ROOT)
                + (a.previousSeverity() == null ? "" : " (was " + a.previousSeverity() + ")"));
        row(rows, "Status", a.status() == null ? null
                : a.status() + (a.previousStatus() == null ? "" : " (was " + a.previousStatus() + ")"));
        row(rows, "Event", a.event());
        row(rows, "incident".equals(a.entityType()) ? "Incident id" : "Alert id", a.id());
        row(rows, "Incident", a.incidentName() == null ? a.incidentId()
                : a.incidentName() + (a.incidentId() == null ? "" : " (" + a.incidentId() + ")"));
        row(rows, "First activity", a.firstActivity());
        row(rows, "Last activity", a.lastActivity());
        row(rows, "Last update", a.updated());
        rows.addAll(a.triage());
        for (AlertView.Evidence e : a.evidence()) {
            row(rows, e.label(), String.join(", ", e.values()));
        }

        StringBuilder text = new StringBuilder();
        text.append(subject).append("\n\n");
        rows.forEach(r -> text.append(r[0]).append(": ").append(r[1]).append('\n'));
        if (a.portalLink() != null) {
            text.append("\nOpen in Microsoft Defender: ").append(a.portalLink()).append('\n');
        }
        if (a.incidentLink() != null) {
            text.append("Incident: ").append(a.incidentLink()).append('\n');
        }
        section(text, "Description", a.description());
        section(text, "Recommended actions", a.actions());

        StringBuilder h = new StringBuilder(1024);
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:sans-serif\">\n");
        h.append("<h2>").append(html(a.shownSeverity().toUpperCase(Locale.ROOT))).append(": ")
                .append(html(line(a.title(), MAX_TITLE))).append("</h2>\n");
        if (a.portalLink() != null) {
            h.append("<p><a href=\"").append(html(a.portalLink())).append("\">Open in Microsoft Defender</a></p>\n");
        }
        h.append("<table cellpadding=\"4\">\n");
        rows.forEach(r -> h.append("<tr><th align=\"left\">").append(html(r[0])).append("</th><td>")
                .append(html(r[1])).append("</td></tr>\n"));
        if (a.incidentLink() != null) {
            h.append("<tr><th align=\"left\">Incident link</th><td><a href=\"").append(html(a.incidentLink()))
                    .append("\">Open the incident</a></td></tr>\n");
        }
        h.append("</table>\n");
        htmlSection(h, "Description", a.description());
        htmlSection(h, "Recommended actions", a.actions());
        h.append("</body></html>\n");
        return new Mail(recipientsByRoute.getOrDefault(a.route(), ""), from, subject, text.toString(), h.toString());
    }

    /** One mail per distinct recipient list, each listing the alerts routed to it, in arrival order. */
    List<Mail> digest(List<AlertView> alerts) {
        Map<String, List<AlertView>> byRecipients = new LinkedHashMap<>();
        for (AlertView a : alerts) {
            String to = recipientsByRoute.getOrDefault(a.route(), "");
            if (!to.isBlank()) {
                byRecipients.computeIfAbsent(to, k -> new ArrayList<>()).add(a);
            }
        }
        List<Mail> mails = new ArrayList<>();
        byRecipients.forEach((to, list) -> mails.add(digestMail(to, list)));
        return mails;
    }

    private Mail digestMail(String to, List<AlertView> alerts) {
        Map<String, Long> counts = alerts.stream()
                .collect(Collectors.groupingBy(AlertView::severity, TreeMap::new, Collectors.counting()));
        String subject = "[Graph digest] " + alerts.size() + (alerts.size() == 1 ? " alert: " : " alerts: ")
                + counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
        StringBuilder text = new StringBuilder(subject).append("\n\n");
        StringBuilder h = new StringBuilder(1024);
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:sans-serif\">\n");
        h.append("<h2>").append(html(subject)).append("</h2>\n<table cellpadding=\"4\">\n")
                .append("<tr><th align=\"left\">Severity</th><th align=\"left\">Time</th><th align=\"left\">Alert</th>"
                        + "<th align=\"left\">Id</th><th align=\"left\">Event</th></tr>\n");
        for (AlertView a : alerts) {
            String severity = a.severity().toUpperCase(Locale.ROOT);
            String title = line(a.title(), MAX_TITLE);
            String time = a.updated() == null ? "" : a.updated();
            text.append(severity).append("  ").append(time).append("  ").append(title)
                    .append(" (").append(shortId(a.id())).append(")")
                    .append(a.event() == null ? "" : "  [" + a.event() + "]").append('\n');
            if (a.portalLink() != null) {
                text.append("    ").append(a.portalLink()).append('\n');
            }
            h.append("<tr><td>").append(html(severity)).append("</td><td>").append(html(time)).append("</td><td>");
            if (a.portalLink() != null) {
                h.append("<a href=\"").append(html(a.portalLink())).append("\">").append(html(title)).append("</a>");
            } else {
                h.append(html(title));
            }
            h.append("</td><td>").append(html(shortId(a.id()))).append("</td><td>")
                    .append(html(a.event() == null ? "" : a.event())).append("</td></tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return new Mail(to, from, subject, text.toString(), h.toString());
    }

    /** Reads a message of the contract; throws {@link UnrenderableAlertException} when its body is no JSON object. */
    AlertView read(String body, Function<String, String> header) {
        if (body == null || body.isBlank()) {
            throw new UnrenderableAlertException("body is empty: expected the alert's Graph JSON");
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UnrenderableAlertException("body is not JSON: " + line(e.getOriginalMessage(), MAX_VALUE));
        }
        if (node == null || !node.isObject()) {
            throw new UnrenderableAlertException("body is not a JSON object but "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        String entityType = first(header.apply("graphEntityType"), node.has("alerts") && !node.has("title") ? "incident" : "alert");
        boolean incident = "incident".equals(entityType);
        String severity = word(first(header.apply("graphSeverity"), text(node, "severity")));
        String severityNormal = SEVERITIES.contains(severity) ? severity : "unknown";
        String route = header.apply("graphRoute");
        if (route == null || !ROUTES.contains(route)) {
            route = SEVERITIES.contains(severityNormal) ? severityNormal : "triage";
        }
        String event = header.apply("graphEventType");
        return new AlertView(route, severityNormal,
                line(first(header.apply(incident ? "graphIncidentId" : "graphAlertId"), text(node, "id"), "?"), 256),
                entityType,
                line(first(text(node, "title"), text(node, "displayName"), "(no title)"), MAX_TITLE),
                event == null ? null : EVENTS.getOrDefault(event, line(event, 40)),
                value(first(header.apply("graphStatus"), text(node, "status"))),
                value(header.apply("graphPreviousSeverity")),
                value(header.apply("graphPreviousStatus")),
                incident ? null : value(first(header.apply("graphIncidentId"), text(node, "incidentId"))),
                incident ? null : value(header.apply("graphIncidentDisplayName")),
                incident ? null : MailText.link(first(header.apply("graphIncidentWebUrl"), text(node, "incidentWebUrl"))),
                MailText.link(first(header.apply("graphPortalUrl"), text(node, incident ? "incidentWebUrl" : "alertWebUrl"))),
                time(text(node, "firstActivityDateTime")),
                time(text(node, "lastActivityDateTime")),
                time(first(header.apply("graphLastUpdateDateTime"), text(node, "lastUpdateDateTime"))),
                evidence(header.apply("graphEvidenceSummary")),
                blockOrNull(text(node, "description"), MAX_DESCRIPTION),
                blockOrNull(text(node, "recommendedActions"), MAX_ACTIONS),
                MailTriage.rows(header));
    }

    private List<AlertView.Evidence> evidence(String summaryJson) {
        List<AlertView.Evidence> out = new ArrayList<>();
        if (summaryJson == null) {
            return out;
        }
        JsonNode summary;
        try {
            summary = mapper.readTree(summaryJson);
        } catch (JsonProcessingException e) {
            // The summary is a convenience: a mail without it still says what happened.
            return out;
        }
        for (String kind : EVIDENCE_KINDS) {
            List<String> values = new ArrayList<>();
            for (JsonNode v : summary.path(kind)) {
                if (values.size() == MAX_EVIDENCE_VALUES) {
                    values.add("…");
                    break;
                }
                String s = line(v.isTextual() ? v.asText() : v.toString(), MAX_VALUE);
                if (!s.isEmpty()) {
                    values.add(s);
                }
            }
            if (!values.isEmpty()) {
                out.add(new AlertView.Evidence(Character.toUpperCase(kind.charAt(0)) + kind.substring(1), values));
            }
        }
        return out;
    }

    static String shortId(String id) {
        return id.length() > 10 ? id.substring(0, 10) + "…" : id;
    }

    private static void row(List<String[]> rows, String label, String value) {
        if (value != null && !value.isEmpty()) {
            rows.add(new String[] {label, line(value, 4 * MAX_VALUE)});
        }
    }

    private static void section(StringBuilder text, String title, String block) {
        if (block != null) {
            text.append('\n').append(title).append(":\n").append(block).append('\n');
        }
    }

    private static void htmlSection(StringBuilder h, String title, String block) {
        if (block != null) {
            h.append("<h3>").append(html(title)).append("</h3>\n<p>").append(htmlBlock(block)).append("</p>\n");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String word(String s) {
        return s == null ? "unknown" : s.trim().toLowerCase(Locale.ROOT);
    }

    private static String value(String s) {
        return s == null ? null : line(s, MAX_VALUE);
    }

    private static String blockOrNull(String s, int max) {
        String b = block(s, max);
        return b.isEmpty() ? null : b;
    }

    private static String time(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return TIME.format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return line(iso, 40);
        }
    }
}
