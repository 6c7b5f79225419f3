package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.graph.GraphIds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A message of the {@code graph.tickets} work queue (README, "Ticketing"), checked: which entity,
 * which event, which incident it belongs to; and the ticket templates' context built from it.
 */
record TicketMessage(boolean incident, String event, String alertId, String incidentId, String redirectTo,
                     String tenant, String lastUpdate, ObjectNode entity, Map<String, String> headers, String api,
                     String deploymentTenant) {

    static final Set<String> EVENTS = Set.of("created", "updated", "severityRaised", "statusChanged", "resolved", "reopened");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * {@code configuredTenantId}: the Entra tenant id configured for the deployment's tenant the
     * message names (graphTenant), used when the message carries no graphTenantId.
     */
    static TicketMessage of(String body, Map<String, Object> rawHeaders,
                            Function<String, String> configuredTenantId) {
        Map<String, String> headers = new java.util.TreeMap<>();
        rawHeaders.forEach((k, v) -> {
            if (k.startsWith("graph") && v != null) {
                headers.put(k, v.toString());
            }
        });
        String type = headers.getOrDefault("graphEntityType", "");
        if (!type.equals("alert") && !type.equals("incident")) {
            throw new TicketingRejectedException("graphEntityType must be alert or incident, got '"
                    + TicketScope.oneLine(type, 40) + "'");
        }
        String event = headers.getOrDefault("graphEventType", "");
        if (!EVENTS.contains(event)) {
            throw new TicketingRejectedException("graphEventType '" + TicketScope.oneLine(event, 40)
                    + "' is not one of " + String.join(", ", new java.util.TreeSet<>(EVENTS)));
        }
        JsonNode parsed;
        try {
            parsed = body == null ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw new TicketingRejectedException(type + " body is not valid JSON: "
                    + TicketScope.oneLine(String.valueOf(e.getMessage()), 120));
        }
        if (!(parsed instanceof ObjectNode entity)) {
            throw new TicketingRejectedException(type + " body is not a JSON object");
        }
        boolean incident = type.equals("incident");
        String api = alertLikeApi(headers.get("graphApi"), incident);
        String alertId = incident ? null : id(headers.get("graphAlertId"), entity, "graphAlertId");
        // An alert-like event (secure score, hunting) belongs to no Graph incident: always its own ticket.
        String incidentId = incident ? id(headers.get("graphIncidentId"), entity, "graphIncidentId")
                : api != null ? null : optionalId(headers.get("graphIncidentId"), "graphIncidentId");
        String redirect = incident ? optionalId(headers.getOrDefault("graphRedirectIncidentId",
                entity.path("redirectIncidentId").asText(null)), "graphRedirectIncidentId") : null;
        String deploymentTenant = headers.getOrDefault("graphTenant", "");
        deploymentTenant = deploymentTenant.isEmpty() ? GraphTenants.DEFAULT : deploymentTenant;
        String configured;
        try {
            configured = configuredTenantId.apply(deploymentTenant);
        } catch (IllegalArgumentException e) {
            throw new TicketingRejectedException("graphTenant: " + e.getMessage());
        }
        String tenant = headers.getOrDefault("graphTenantId", configured == null ? "" : configured);
        // The Entra tenant id goes into the correlation key: a ServiceNow query, a Jira label, a file name.
        if (!tenant.isEmpty() && !ENTRA_TENANT.matcher(tenant).matches()) {
            throw new TicketingRejectedException("graphTenantId " + GraphIds.quote(tenant)
                    + " is not an Entra tenant id (a GUID or a domain name)");
        }
        return new TicketMessage(incident, event, alertId, incidentId, redirect, tenant,
                headers.getOrDefault("graphLastUpdateDateTime", entity.path("lastUpdateDateTime").asText("")), entity, headers,
                api, deploymentTenant);
    }

    /**
     * The graphApi of an alert-like event (secure score, hunting): an id that does not exist in Graph.
     * Null for Graph's own alerts (graphApi absent, or legacy).
     */
    private static String alertLikeApi(String api, boolean incident) {
        if (api == null || api.isBlank() || api.equals("legacy")) {
            return null;
        }
        if (!api.matches("[A-Za-z][A-Za-z0-9]{0,39}")) {
            throw new TicketingRejectedException("graphApi '" + TicketScope.oneLine(api, 40)
                    + "' is not a plain name (letters and digits)");
        }
        if (incident) {
            throw new TicketingRejectedException("graphApi " + api + " names an alert-like event, but graphEntityType is incident");
        }
        return api;
    }

    /** Whether the ids are Graph's, so the ticket number can be written back on them as a comment. */
    boolean inGraph() {
        return api == null;
    }

    private static final java.util.regex.Pattern ENTRA_TENANT =
            java.util.regex.Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]|\\.(?!\\.)){0,252}[A-Za-z0-9]?");

    private static String id(String header, JsonNode entity, String name) {
        String v = header != null ? header : entity.path("id").asText(null);
        if (v == null) {
            throw new TicketingRejectedException(name + " is missing (header or the body's id)");
        }
        return optionalId(v, name);
    }

    private static String optionalId(String v, String name) {
        if (v == null || v.isBlank()) {
            return null;
        }
        GraphIds.problem(name, v).ifPresent(p -> {
            throw new TicketingRejectedException(p);
        });
        return v;
    }

    /**
     * The unit a ticket is kept for: the incident, or the alert when it has none, or for an
     * alert-like event {api}:{id} (correlation key graph:{tenant}:{api}:{id}); within the tenant
     * of the deployment the message came from ({@link #scope()}).
     */
    String unit() {
        return scope() + (api != null ? api + ":" + alertId : incidentId != null ? "incident:" + incidentId : "alert:" + alertId);
    }

    /** The unit of another incident of the same tenant (a merge target). */
    String incidentUnit(String id) {
        return scope() + "incident:" + id;
    }

    /**
     * What tells this tenant's units from another's (incident ids are small numbers, the same in
     * many tenants): nothing for the default tenant, whose units, keys and labels stay as they
     * were; {@code {name}:} for the others.
     */
    String scope() {
        return deploymentTenant.equals(GraphTenants.DEFAULT) ? "" : deploymentTenant + ":";
    }

    /** Graph's status now says resolved (by event, header or body). */
    boolean resolvedNow() {
        return event.equals("resolved") || "resolved".equals(headers.get("graphStatus"))
                || "resolved".equals(entity.path("status").asText());
    }

    /** The alert ids this message speaks for: the alert, or the incident's alerts. */
    List<String> alertIds() {
        List<String> ids = new ArrayList<>();
        if (!incident) {
            ids.add(alertId);
        } else {
            for (JsonNode a : entity.path("alerts")) {
                if (a.path("id").isTextual() && GraphIds.problem("alert id", a.path("id").asText()).isEmpty()) {
                    ids.add(a.path("id").asText());
                }
            }
        }
        return ids;
    }

    /** The Idempotency-Key of a webhook call: the same event of the same version is the same call. */
    String idempotencyKey() {
        return scope() + (incident ? "incident" : "alert") + "|" + (incident ? incidentId : alertId) + "|" + lastUpdate.replaceAll("[\\p{Cntrl}\\s]", "") + "|" + event;
    }

    /** The roots the ticket templates see; ticket, target and note are added per step. */
    ObjectNode context(String correlationKey, String correlationLabel) {
        ObjectNode ctx = JSON.createObjectNode();
        ctx.set("entity", entity);
        if (incident) {
            ctx.set("incident", entity);
            ctx.set("alert", entity.path("alerts").path(0).isObject() ? entity.path("alerts").path(0) : JSON.createObjectNode());
        } else {
            ctx.set("alert", entity);
            ObjectNode inc = ctx.putObject("incident");
            if (incidentId != null) {
                inc.put("id", incidentId);
            }
            putIf(inc, "displayName", headers.get("graphIncidentDisplayName"));
            putIf(inc, "severity", headers.get("graphIncidentSeverity"));
            putIf(inc, "status", headers.get("graphIncidentStatus"));
            putIf(inc, "incidentWebUrl", headers.get("graphIncidentWebUrl"));
        }
        ObjectNode h = ctx.putObject("header");
        headers.forEach(h::put);
        TicketTriage.addTo(h, headers, entity, incident);
        ctx.put("correlationKey", correlationKey).put("correlationLabel", correlationLabel).put("tenant", tenant)
                .put("event", event).put("unitId", incidentId != null ? incidentId : alertId);
        return ctx;
    }

    private static void putIf(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
