package io.graphsec.routes.enrich;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * A legacy {@code /security/alerts} alert as a deliverable message with the same headers as an
 * alerts_v2 one, so it takes the same severity routing, tickets and mail. The body stays the legacy
 * JSON; {@code graphApi} is {@code legacy}. Mapped explicitly: severities are the same members;
 * status newAlert, inProgress, resolved and dismissed are passed as Graph sends them (resolved and
 * dismissed both count as resolved for the change event); lastModifiedDateTime is the version;
 * vendorInformation.provider is the service source; the first https sourceMaterials link is the
 * portal link.
 */
public final class LegacyAlertEnricher {

    private final ObjectMapper mapper = new ObjectMapper();

    public void enrich(Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getIn();
        JsonNode alert = AlertEnricher.takeItemBody(exchange, mapper, "item");
        String id = AlertEnricher.validId(alert);
        String lastModified = AlertEnricher.validTimestamp(alert, "lastModifiedDateTime");
        String rawSeverity = AlertEnricher.optionalText(alert, "severity");
        String severity = AlertEnricher.normalizeSeverity(rawSeverity);
        String status = AlertEnricher.optionalText(alert, "status");

        AlertEnricher.putChange(exchange, "alert", severity, status);
        in.setHeader("graphApi", "legacy");
        in.setHeader("graphAlertId", id);
        in.setHeader("graphLastUpdateDateTime", lastModified);
        in.setHeader("graphSeverity", severity);
        if (rawSeverity != null && !rawSeverity.equals(severity)) {
            in.setHeader("graphSeverityRaw", rawSeverity);
        }
        in.setHeader("graphRoute", AlertEnricher.KNOWN_SEVERITIES.contains(severity) ? severity : "triage");
        in.setHeader("JMSPriority", AlertEnricher.PRIORITY.getOrDefault(severity, 5));
        if (status != null) {
            in.setHeader("graphStatus", status);
        }
        JsonNode provider = alert.path("vendorInformation").path("provider");
        if (provider.isTextual()) {
            in.setHeader("graphServiceSource", provider.asText());
        }
        AlertEnricher.putIfText(in, "graphTenantId", alert, "azureTenantId");
        for (JsonNode link : alert.path("sourceMaterials")) {
            if (link.isTextual() && AlertEnricher.isSafeLink(link.asText())) {
                in.setHeader("graphPortalUrl", link.asText());
                break;
            }
        }
        in.setHeader("graphEvidenceSummary", mapper.writeValueAsString(evidenceSummary(alert)));
    }

    /** The same summary shape as alerts_v2's, from the legacy *States collections. */
    private ObjectNode evidenceSummary(JsonNode alert) {
        Set<String> users = new LinkedHashSet<>();
        Set<String> devices = new LinkedHashSet<>();
        Set<String> ips = new LinkedHashSet<>();
        Set<String> files = new LinkedHashSet<>();
        Set<String> urls = new LinkedHashSet<>();
        alert.path("userStates").forEach(u -> add(users, u, "userPrincipalName", "accountName"));
        alert.path("hostStates").forEach(h -> {
            add(devices, h, "fqdn", "netBiosName");
            add(ips, h, "privateIpAddress");
            add(ips, h, "publicIpAddress");
        });
        alert.path("networkConnections").forEach(n -> add(ips, n, "destinationAddress"));
        alert.path("fileStates").forEach(f -> add(files, f, "path", "name"));
        alert.path("uriClickSecurityStates").forEach(u -> add(urls, u, "uri"));
        ObjectNode summary = mapper.createObjectNode();
        summary.putArray("users").addAll(users.stream().map(summary::textNode).toList());
        summary.putArray("devices").addAll(devices.stream().map(summary::textNode).toList());
        summary.putArray("ips").addAll(ips.stream().map(summary::textNode).toList());
        summary.putArray("files").addAll(files.stream().map(summary::textNode).toList());
        summary.putArray("urls").addAll(urls.stream().map(summary::textNode).toList());
        summary.putArray("mailboxes");
        summary.put("evidenceCount", users.size() + devices.size() + ips.size() + files.size() + urls.size());
        return summary;
    }

    private static void add(Set<String> set, JsonNode node, String... fields) {
        for (String f : fields) {
            JsonNode v = node.get(f);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                if (set.size() < 20) {
                    set.add(v.asText());
                }
                return;
            }
        }
    }
}
