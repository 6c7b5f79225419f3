package io.graphsec.routes.hunting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.enrich.InvalidAlertException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns a hunting row into an alert-like event routed as alerts are: an alert-shaped body (title,
 * description, severity, ... and {@code hunting: {name, query, row}}) and the alert headers. Row
 * values are attacker-influenced (command lines, file names, URLs): they stay in the JSON body and
 * in the evidence summary, which is JSON text; no row value becomes a header of its own.
 */
public final class HuntRowEvents {

    static final Map<String, Integer> PRIORITY = Map.of("high", 9, "medium", 7, "low", 4, "informational", 2);
    /** Defender's usual column names per kind of evidence, for graphEvidenceSummary. */
    private static final Map<String, List<String>> EVIDENCE_COLUMNS = Map.of(
            "users", List.of("AccountUpn", "InitiatingProcessAccountUpn", "UserPrincipalName", "AccountName",
                    "AccountDisplayName"),
            "devices", List.of("DeviceName", "DeviceId"),
            "ips", List.of("RemoteIP", "LocalIP", "IPAddress", "IpAddress"),
            "files", List.of("FolderPath", "FileName", "SHA256", "SHA1"),
            "urls", List.of("RemoteUrl", "Url", "UrlDomain"),
            "mailboxes", List.of("RecipientEmailAddress", "SenderFromAddress", "SenderMailFromAddress"));
    private static final List<String> EVIDENCE_KINDS = List.of("users", "devices", "ips", "files", "urls", "mailboxes");
    private static final int MAX_EVIDENCE_VALUE = 256;

    private final ObjectMapper mapper = new ObjectMapper();
    private final String tenantId;
    private final String portalBaseUrl;

    public HuntRowEvents(String tenantId, String portalBaseUrl) {
        this.tenantId = tenantId;
        this.portalBaseUrl = portalBaseUrl.endsWith("/") ? portalBaseUrl.substring(0, portalBaseUrl.length() - 1)
                : portalBaseUrl;
    }

    /** The row's deterministic id and time. */
    public HuntRowEvent eventOf(HuntRun run, JsonNode row) {
        return new HuntRowEvent(run, row, idOf(run.hunt(), row), timeOf(row, run.slot()));
    }

    /** {@code hunt-<slug>-<16 hex>}: letters, digits and dashes only, so it is a safe Graph-style id. */
    static String idOf(HuntFile hunt, JsonNode row) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical(row).getBytes(StandardCharsets.UTF_8));
            return "hunt-" + hunt.slug() + "-" + HexFormat.of().formatHex(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The row as JSON with its keys sorted: the same row hashes the same whatever order Graph sends columns in. */
    static String canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            node.fields().forEachRemaining(f -> sorted.put(f.getKey(), canonical(f.getValue())));
            StringBuilder out = new StringBuilder("{");
            sorted.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
            return out.append('}').toString();
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(n -> items.add(canonical(n)));
            return "[" + String.join(",", items) + "]";
        }
        return node.toString();
    }

    private static String quote(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
    }

    /** The row's Timestamp column as an ISO-8601 instant, or the slot when it has none usable. */
    static String timeOf(JsonNode row, Instant slot) {
        JsonNode ts = row.get("Timestamp");
        if (ts != null && ts.isTextual()) {
            try {
                return OffsetDateTime.parse(ts.asText()).toInstant().toString();
            } catch (DateTimeParseException notATime) {
                // fall back to the slot: the event is still deterministic per window
            }
        }
        return slot.toString();
    }

    /** Makes the exchange the event of its body (a {@link HuntRowEvent}). */
    public void toMessage(Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getIn();
        HuntRowEvent event = in.getBody(HuntRowEvent.class);
        HuntFile hunt = event.run().hunt();
        in.removeHeaders("*");
        in.setHeader("graphApi", "hunting");
        in.setHeader("graphHunt", hunt.slug());
        in.setHeader("graphAlertId", event.id());
        if (!event.row().isObject()) {
            // Dead-lettered with the row as Graph sent it.
            in.setBody(event.row().toString());
            throw new InvalidAlertException("hunt " + hunt.fileName() + " returned a row that is not a JSON object but "
                    + event.row().getNodeType());
        }
        in.setBody(mapper.writeValueAsString(body(event)));
        in.setHeader("graphEntityType", "alert");
        in.setHeader("graphEventType", "created");
        in.setHeader("graphLastUpdateDateTime", event.time());
        in.setHeader("graphSeverity", hunt.severity());
        in.setHeader("graphRoute", hunt.severity());
        in.setHeader("JMSPriority", PRIORITY.get(hunt.severity()));
        in.setHeader("graphStatus", "new");
        in.setHeader("graphTenantId", tenantId);
        in.setHeader("graphPortalUrl", portalUrl());
        in.setHeader("graphEvidenceSummary", mapper.writeValueAsString(evidenceSummary(event.row())));
    }

    ObjectNode body(HuntRowEvent event) {
        HuntRun run = event.run();
        HuntFile hunt = run.hunt();
        ObjectNode alert = mapper.createObjectNode();
        alert.put("id", event.id());
        alert.put("title", hunt.name());
        alert.put("description", hunt.description().isEmpty()
                ? "A row returned by the scheduled hunt '" + hunt.name() + "' (" + hunt.fileName() + ")."
                : hunt.description());
        alert.put("severity", hunt.severity());
        alert.put("status", "new");
        alert.put("category", hunt.category().isEmpty() ? "ThreatHunting" : hunt.category());
        alert.put("createdDateTime", event.time());
        alert.put("lastUpdateDateTime", event.time());
        alert.put("firstActivityDateTime", event.time());
        alert.put("lastActivityDateTime", event.time());
        alert.put("recommendedActions", hunt.recommendedActions());
        alert.put("tenantId", tenantId);
        alert.put("alertWebUrl", portalUrl());
        ObjectNode hunting = alert.putObject("hunting");
        hunting.put("name", hunt.name());
        hunting.put("file", hunt.fileName());
        hunting.put("query", hunt.query());
        hunting.put("slot", run.slot().toString());
        hunting.put("timespan", run.slot().minus(hunt.timespan()) + "/" + run.slot());
        hunting.set("row", event.row());
        return alert;
    }

    /** The advanced hunting page of the tenant (a hunting row has no page of its own in the portal). */
    String portalUrl() {
        return portalBaseUrl + "/v2/advanced-hunting?tid=" + URLEncoder.encode(tenantId, StandardCharsets.UTF_8);
    }

    /** Users, devices, IPs, files, URLs and mailboxes named in the row's usual Defender columns. */
    ObjectNode evidenceSummary(JsonNode row) {
        ObjectNode summary = mapper.createObjectNode();
        int count = 0;
        for (String kind : EVIDENCE_KINDS) {
            Set<String> values = new LinkedHashSet<>();
            for (String column : EVIDENCE_COLUMNS.get(kind)) {
                JsonNode v = row.get(column);
                if (v != null && v.isValueNode() && !v.isNull() && !v.asText().isBlank()) {
                    values.add(oneLine(v.asText()));
                }
            }
            ArrayNode array = summary.putArray(kind);
            values.forEach(array::add);
            count += values.size();
        }
        summary.put("evidenceCount", count);
        return summary;
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\p{Cntrl}", " ");
        return line.length() > MAX_EVIDENCE_VALUE ? line.substring(0, MAX_EVIDENCE_VALUE) + "…" : line;
    }
}
