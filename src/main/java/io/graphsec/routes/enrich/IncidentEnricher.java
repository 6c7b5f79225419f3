package io.graphsec.routes.enrich;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.graph.GraphIds;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns one incident into a deliverable message, as {@link AlertEnricher} does for alerts: the body
 * stays Graph's JSON (with its {@code alerts}), routing facts become headers, and the incident is
 * remembered for the alerts that belong to it.
 */
public final class IncidentEnricher {

    private final ObjectMapper mapper = new ObjectMapper();
    private final String portalBaseUrl;
    private final IncidentContext incidents;

    public IncidentEnricher(String portalBaseUrl, IncidentContext incidents) {
        this.portalBaseUrl = portalBaseUrl.endsWith("/") ? portalBaseUrl.substring(0, portalBaseUrl.length() - 1)
                : portalBaseUrl;
        this.incidents = incidents;
    }

    public void enrich(Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getIn();
        JsonNode incident = AlertEnricher.takeJsonBody(in, mapper, "incident");
        String id = AlertEnricher.validId(incident);
        String lastUpdate = AlertEnricher.validTimestamp(incident, "lastUpdateDateTime");
        String rawSeverity = AlertEnricher.optionalText(incident, "severity");
        String severity = AlertEnricher.normalizeSeverity(rawSeverity);
        String status = AlertEnricher.optionalText(incident, "status");
        AlertEnricher.putChange(exchange, "incident", severity, status);
        String ours = IncidentContext.tenantOf(exchange);
        incidents.learn(ours, incident);
        // The broker's duplicate id and message group: the default tenant's as before, another's with its name.
        exchange.setProperty("graphIncidentKey", ours.equals(GraphTenants.DEFAULT) ? id : ours + ":" + id);

        in.setHeader("graphIncidentId", id);
        in.setHeader("graphLastUpdateDateTime", lastUpdate);
        in.setHeader("graphSeverity", severity);
        in.setHeader("graphRoute", AlertEnricher.KNOWN_SEVERITIES.contains(severity) ? severity : "triage");
        in.setHeader("JMSPriority", AlertEnricher.PRIORITY.getOrDefault(severity, 5));
        if (status != null) {
            in.setHeader("graphStatus", status);
        }
        AlertEnricher.putIfText(in, "graphIncidentDisplayName", incident, "displayName");
        AlertEnricher.putIfText(in, "graphTenantId", incident, "tenantId");
        JsonNode redirect = incident.get("redirectIncidentId");
        if ("redirected".equals(status) && redirect != null && redirect.isTextual()) {
            GraphIds.problem("redirectIncidentId", redirect.asText()).ifPresent(p -> {
                throw new InvalidAlertException(p);
            });
            in.setHeader("graphRedirectIncidentId", redirect.asText());
        }
        String link = AlertEnricher.safeLink(incident, "incidentWebUrl");
        if (link == null) {
            JsonNode tenant = incident.get("tenantId");
            link = portalBaseUrl + "/incidents/" + id + (tenant != null && tenant.isTextual() ? "?tid=" + tenant.asText() : "");
        }
        in.setHeader("graphIncidentWebUrl", link);
        in.setHeader("graphPortalUrl", link);
        in.setHeader("graphAlertCount", incident.path("alerts").size());
        Integer score = TriageSignals.priorityScore(incident);
        if (score != null) {
            in.setHeader(TriageSignals.PRIORITY_SCORE, score);
        }
        String summary = TriageSignals.summary(incident);
        if (summary != null) {
            in.setHeader(TriageSignals.SUMMARY, summary);
        }
        TriageSignals.putList(in, TriageSignals.SYSTEM_TAGS, TriageSignals.values(incident, "systemTags"));
        Set<String> categories = new LinkedHashSet<>();
        incident.path("alerts").forEach(a -> categories.addAll(TriageSignals.categories(a)));
        TriageSignals.putList(in, TriageSignals.CATEGORIES, categories);
        String request = TriageSignals.awaitingAction(incident, status, in.getHeader("graphEventType", String.class));
        if (request != null) {
            in.setHeader("graphAwaitingAction", request);
        }
    }
}
