package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;

/**
 * What the ticket templates (routes/templates/*.mustache) see: the message's parts as plain maps
 * ({@code alert}, {@code incident}, {@code entity}, {@code header}, {@code ticket}, {@code target}),
 * the plain values ({@code note}, {@code correlationKey}, {@code correlationLabel}, {@code tenant},
 * {@code event}, {@code unitId}), and a few values computed here because mustache has no fallbacks
 * or lengths: each is one line (control characters become spaces), shortened with "…", never
 * missing (empty instead). Which level the message is routed at is a section, so the templates map
 * it ({@code {{#level.high}}1{{/level.high}}}). Only plain values: mustache.java finds nothing to call.
 */
final class TicketScope {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] LEVELS = {"high", "medium", "low", "informational"};
    /** What a name in a ticket template may start with: the parts, the plain values, the computed ones. */
    static final java.util.Set<String> ROOTS = java.util.Set.of("alert", "incident", "entity", "header", "ticket",
            "target", "note", "correlationKey", "correlationLabel", "tenant", "event", "unitId", "kind", "level",
            "severity", "title", "alertTitle", "entityTitle", "description", "portalUrl", "alertUrl", "incidentUrl",
            "status", "incidentStatus", "previousSeverity", "previousStatus", "classification", "determination",
            "evidence", "triage", "resolvingComment", "summary", "awaitingAction", "lastUpdateDateTime");

    private TicketScope() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> of(JsonNode ctx) {
        Map<String, Object> scope = JSON.convertValue(ctx, Map.class);
        scope.put("severity", first(ctx, "header.graphSeverity", "entity.severity"));
        // The route, not the severity: an alert Microsoft's ranking raised is urgent as a high one.
        String route = first(ctx, "header.graphRoute", "header.graphSeverity", "entity.severity");
        Map<String, Object> level = new HashMap<>();
        for (String l : LEVELS) {
            if (l.equals(route)) {
                level.put(l, true);
            }
        }
        if (level.isEmpty()) {
            level.put("other", true);
        }
        scope.put("level", level);
        scope.put("title", oneLine(first(ctx, "incident.displayName", "alert.title"), 150, "Microsoft Defender alert"));
        scope.put("alertTitle", oneLine(first(ctx, "alert.title", "incident.displayName"), 300, ""));
        scope.put("entityTitle", oneLine(first(ctx, "entity.title", "entity.displayName"), 300, ""));
        scope.put("description", oneLine(first(ctx, "entity.description", "alert.description", "incident.displayName"), 4000, ""));
        scope.put("portalUrl", first(ctx, "header.graphPortalUrl", "alert.alertWebUrl", "incident.incidentWebUrl"));
        scope.put("alertUrl", first(ctx, "header.graphPortalUrl", "alert.alertWebUrl"));
        scope.put("incidentUrl", first(ctx, "incident.incidentWebUrl"));
        scope.put("status", first(ctx, "header.graphStatus", "entity.status"));
        scope.put("incidentStatus", first(ctx, "incident.status", "header.graphStatus"));
        scope.put("previousSeverity", or(first(ctx, "header.graphPreviousSeverity"), "unknown"));
        scope.put("previousStatus", or(first(ctx, "header.graphPreviousStatus"), "unknown"));
        scope.put("classification", or(first(ctx, "incident.classification"), "unknown"));
        scope.put("determination", or(first(ctx, "incident.determination"), "unknown"));
        scope.put("evidence", or(first(ctx, "header.graphEvidenceSummary"), "{}"));
        scope.put("triage", first(ctx, "header." + TicketTriage.TRIAGE));
        scope.put("resolvingComment", first(ctx, "header." + TicketTriage.RESOLVING_COMMENT));
        scope.put("summary", oneLine(first(ctx, "header.graphIncidentSummary", "entity.title", "entity.displayName"), 300, ""));
        scope.put("awaitingAction", oneLine(first(ctx, "header.graphAwaitingAction"), 1000, ""));
        scope.put("lastUpdateDateTime", first(ctx, "header.graphLastUpdateDateTime", "entity.lastUpdateDateTime"));
        return scope;
    }

    /** The first of the dotted paths that holds a non-empty value, as text; empty if none does. */
    private static String first(JsonNode ctx, String... paths) {
        for (String path : paths) {
            JsonNode v = ctx;
            for (String part : path.split("\\.")) {
                v = v.path(part);
            }
            if (v.isValueNode() && !v.isNull() && !v.asText().isEmpty()) {
                return v.asText();
            }
        }
        return "";
    }

    private static String or(String value, String otherwise) {
        return value.isEmpty() ? otherwise : value;
    }

    private static String oneLine(String value, int max, String otherwise) {
        return value.isEmpty() ? otherwise : oneLine(value, max);
    }

    /** One line of at most {@code max} characters: for a ticket field, a log line or a reason. */
    static String oneLine(String s, int max) {
        String line = s.replaceAll("\\p{Cntrl}", " ");
        return line.length() <= max ? line : line.substring(0, Math.max(0, max - 1)) + "…";
    }
}
