package io.graphsec.routes.enrich;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.graph.CollectionPoller;
import io.graphsec.routes.graph.GraphIds;
import io.graphsec.routes.state.GraphTime;
import io.graphsec.routes.graph.ItemFields;
import io.graphsec.routes.graph.PollProgress;
import io.graphsec.routes.graph.Severity;
import io.graphsec.routes.state.EntityState;
import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns one alerts_v2 entity into a deliverable message: the body is the alert's Graph JSON as
 * received (unknown properties and enum members included), and what routing and consumers need
 * is added as headers. Anything taken from the alert is data, never markup or a header name.
 */
public final class AlertEnricher {

    /** JMS priority per normalized severity: triage sits above low, so odd alerts are looked at. */
    static final Map<String, Integer> PRIORITY = Map.of(
            "high", 9, "medium", 7, "unknown", 5, "low", 4, "informational", 2);
    static final Set<String> KNOWN_SEVERITIES = Severity.KNOWN;
    private static final int MAX_SUMMARY_VALUES = 20;
    /**
     * Every field of an alert this class, the split's dedup and the incident context read; the poll
     * parses only these ({@link ItemFields}). A field read here and missing from this list reads as absent.
     */
    public static final ItemFields FIELDS_READ = ItemFields
            .whole("id", "lastUpdateDateTime", "severity", "status", "incidentId", "serviceSource", "tenantId",
                    "alertWebUrl", "systemTags", "categories", "category")
            .and("evidence", ItemFields.whole("@odata.type", "userAccount", "deviceDnsName", "hostName", "ipAddress",
                    "fileDetails", "imageFile", "url", "primaryAddress", "upn"))
            .keyedBy("id", "lastUpdateDateTime");
    private static final Pattern SAFE_LINK = Pattern.compile("https://[^\\s\\p{Cntrl}]+");

    private final ObjectMapper mapper = new ObjectMapper();
    private final String portalBaseUrl;

    public AlertEnricher(String portalBaseUrl) {
        this.portalBaseUrl = portalBaseUrl.endsWith("/") ? portalBaseUrl.substring(0, portalBaseUrl.length() - 1)
                : portalBaseUrl;
    }

    public void enrich(Exchange exchange) throws IOException {
        Message in = exchange.getIn();
        JsonNode alert = takeItemBody(exchange, mapper, "item");
        String id = validId(alert);
        String lastUpdate = validTimestamp(alert, "lastUpdateDateTime");
        // The incident id is read by URL and keys tickets: an alert whose incidentId is no Graph id is refused whole.
        JsonNode incidentId = alert.get("incidentId");
        if (incidentId != null && incidentId.isTextual() && !incidentId.asText().isEmpty()) {
            GraphIds.problem("incidentId", incidentId.asText()).ifPresent(p -> {
                throw new InvalidAlertException(p);
            });
        }
        String rawSeverity = optionalText(alert, "severity");
        String severity = normalizeSeverity(rawSeverity);

        String status = optionalText(alert, "status");
        putChange(exchange, "alert", severity, status);
        in.setHeader("graphAlertId", id);
        in.setHeader("graphLastUpdateDateTime", lastUpdate);
        in.setHeader("graphSeverity", severity);
        if (rawSeverity != null && !rawSeverity.equals(severity)) {
            in.setHeader("graphSeverityRaw", rawSeverity);
        }
        in.setHeader("graphRoute", KNOWN_SEVERITIES.contains(severity) ? severity : "triage");
        in.setHeader("JMSPriority", PRIORITY.getOrDefault(severity, 5));
        putIfText(in, "graphIncidentId", alert, "incidentId");
        if (status != null) {
            in.setHeader("graphStatus", status);
        }
        putIfText(in, "graphServiceSource", alert, "serviceSource");
        putIfText(in, "graphTenantId", alert, "tenantId");
        in.setHeader("graphPortalUrl", portalUrl(alert, id));
        in.setHeader("graphEvidenceSummary", evidenceSummary(alert));
        TriageSignals.putList(in, TriageSignals.SYSTEM_TAGS, TriageSignals.values(alert, "systemTags"));
        TriageSignals.putList(in, TriageSignals.CATEGORIES, TriageSignals.categories(alert));
    }

    /**
     * The polled item of the body, which becomes its JSON text first, so that a dead-lettered item
     * still carries what Graph sent; refused unless it is a JSON object.
     */
    static JsonNode takeJsonBody(Message in, ObjectMapper mapper, String what) throws JsonProcessingException {
        JsonNode item = in.getBody(JsonNode.class);
        in.setBody(item == null ? "null" : mapper.writeValueAsString(item));
        return requireObject(item, what);
    }

    /**
     * Like {@link #takeJsonBody}, but an item of the page in flight becomes its JSON text exactly
     * as Graph sent it, without writing the tree out again. Only for items nothing has changed
     * since the page was read (incidents get their alerts added, so they are written out).
     */
    static JsonNode takeItemBody(Exchange exchange, ObjectMapper mapper, String what) throws JsonProcessingException {
        Message in = exchange.getIn();
        PollProgress poll = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        if (poll == null) {
            return takeJsonBody(in, mapper, what);
        }
        JsonNode item = in.getBody(JsonNode.class);
        in.setBody(poll.textOf(item, mapper));
        return requireObject(item, what);
    }

    private static JsonNode requireObject(JsonNode item, String what) {
        if (item == null || !item.isObject()) {
            throw new InvalidAlertException(what + " is not a JSON object but " + (item == null ? "null" : item.getNodeType()));
        }
        return item;
    }

    /** The entity type and what changed since its last delivery (graphEventType, previous severity and status). */
    static void putChange(Exchange exchange, String entityType, String severity, String status) {
        Message in = exchange.getIn();
        EntityState previous = exchange.getProperty(CollectionPoller.PREVIOUS_STATE, EntityState.class);
        in.setHeader("graphEntityType", entityType);
        PollProgress poll = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        in.setHeader("graphTenant", poll == null ? GraphTenants.DEFAULT : poll.getTenant());
        in.setHeader("graphEventType", ChangeEvent.of(previous, severity, status));
        if (previous != null) {
            in.setHeader("graphPreviousSeverity", previous.severity());
            in.setHeader("graphPreviousStatus", previous.status());
        }
    }

    /**
     * The message group of an alert: its incident (after merges), or itself when it has none; for a
     * tenant other than the default one, prefixed with its name (incident ids repeat across tenants).
     */
    public String groupOf(Exchange exchange) {
        Message in = exchange.getIn();
        String incident = in.getHeader("graphIncidentId", String.class);
        String group = incident != null ? incident : in.getHeader("graphAlertId", String.class);
        return group == null ? null : scoped(exchange, group);
    }

    /**
     * Artemis duplicate detection's id of an alert version: its id and lastUpdateDateTime; for a
     * tenant other than the default one, prefixed with its name (alert-like events such as secure
     * score's have ids that repeat across tenants).
     */
    public String duplicateIdOf(Exchange exchange) {
        Message in = exchange.getIn();
        String id = in.getHeader("graphAlertId", String.class);
        // None for an event without an id (a host's own, sent to the router): one shared "null|null"
        // would make the broker keep the first such event and drop every later one.
        if (id == null) {
            return null;
        }
        // A replay's messages are its own: the broker must not drop them as the versions the live poll sent.
        String replay = in.getHeader("graphReplayId", String.class);
        return (replay == null ? "" : replay + ":")
                + scoped(exchange, id + "|" + in.getHeader("graphLastUpdateDateTime", String.class));
    }

    private static String scoped(Exchange exchange, String value) {
        String tenant = IncidentContext.tenantOf(exchange);
        return tenant.equals(GraphTenants.DEFAULT) ? value : tenant + ":" + value;
    }

    /** Graph's severities in lower case; anything else (unknown, unknownFutureValue, a new member) is "unknown". */
    public static String normalizeSeverity(String raw) {
        return Severity.normalize(raw);
    }

    static String validId(JsonNode alert) {
        JsonNode unreadable = alert.get(CollectionPoller.UNREADABLE);
        if (unreadable != null) {
            throw new InvalidAlertException(unreadable.asText());
        }
        JsonNode id = alert.get("id");
        if (id == null || id.isNull()) {
            throw new InvalidAlertException("id is missing");
        }
        if (!id.isTextual()) {
            throw new InvalidAlertException("id must be a string, got " + id.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        String v = id.asText();
        GraphIds.problem("id", v).ifPresent(p -> {
            throw new InvalidAlertException(p);
        });
        return v;
    }

    static String validTimestamp(JsonNode alert, String field) {
        JsonNode v = alert.get(field);
        if (v == null || !v.isTextual()) {
            throw new InvalidAlertException(field + " must be an ISO-8601 date-time string, got "
                    + (v == null ? "nothing" : v.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        if (!GraphTime.isValid(v.asText())) {
            throw new InvalidAlertException(field + " " + quote(v.asText()) + " is not an ISO-8601 date-time");
        }
        return v.asText();
    }

    static String optionalText(JsonNode alert, String field) {
        JsonNode v = alert.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidAlertException(field + " must be a string, got "
                    + v.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + abbreviate(v.toString()));
        }
        return v.asText();
    }

    static void putIfText(Message in, String header, JsonNode alert, String field) {
        JsonNode v = alert.get(field);
        if (v != null && v.isTextual()) {
            in.setHeader(header, v.asText());
        }
    }

    private String portalUrl(JsonNode alert, String id) {
        String url = safeLink(alert, "alertWebUrl");
        if (url != null) {
            return url;
        }
        JsonNode tenant = alert.get("tenantId");
        return portalBaseUrl + "/alerts/" + id + (tenant != null && tenant.isTextual() ? "?tid=" + tenant.asText() : "");
    }

    /** Graph's own link, unless it could smuggle a line break into a header or a mail downstream. */
    static String safeLink(JsonNode entity, String field) {
        JsonNode url = entity.get(field);
        return url != null && url.isTextual() && isSafeLink(url.asText()) ? url.asText() : null;
    }

    static boolean isSafeLink(String url) {
        return SAFE_LINK.matcher(url).matches();
    }

    /** Users, devices, IPs, files, URLs and mailboxes named in the evidence, de-duplicated, as JSON. */
    String evidenceSummary(JsonNode alert) throws IOException {
        Set<String> users = new LinkedHashSet<>();
        Set<String> devices = new LinkedHashSet<>();
        Set<String> ips = new LinkedHashSet<>();
        Set<String> files = new LinkedHashSet<>();
        Set<String> urls = new LinkedHashSet<>();
        Set<String> mailboxes = new LinkedHashSet<>();
        for (JsonNode e : alert.path("evidence")) {
            String type = e.path("@odata.type").asText("");
            String kind = type.substring(type.lastIndexOf('.') + 1);
            switch (kind) {
                case "userEvidence" -> add(users, upnOrName(e.path("userAccount")));
                case "deviceEvidence" -> add(devices, text(e, "deviceDnsName", "hostName"));
                case "ipEvidence" -> add(ips, text(e, "ipAddress"));
                case "fileEvidence" -> add(files, fileName(e.path("fileDetails")));
                case "processEvidence" -> {
                    add(files, fileName(e.path("imageFile")));
                    add(users, upnOrName(e.path("userAccount")));
                }
                case "urlEvidence" -> add(urls, text(e, "url"));
                case "mailboxEvidence" -> add(mailboxes, text(e, "primaryAddress", "upn"));
                default -> { /* other evidence stays in the body; the summary names the common kinds */ }
            }
        }
        // Written straight out: it runs for every alert, and a tree first cost as much again.
        StringWriter text = new StringWriter(256);
        try (JsonGenerator summary = mapper.getFactory().createGenerator(text)) {
            summary.writeStartObject();
            put(summary, "users", users);
            put(summary, "devices", devices);
            put(summary, "ips", ips);
            put(summary, "files", files);
            put(summary, "urls", urls);
            put(summary, "mailboxes", mailboxes);
            summary.writeNumberField("evidenceCount", alert.path("evidence").size());
            summary.writeEndObject();
        }
        return text.toString();
    }

    private static String upnOrName(JsonNode account) {
        String upn = text(account, "userPrincipalName");
        if (upn != null) {
            return upn;
        }
        String name = text(account, "accountName");
        String domain = text(account, "domainName");
        return name == null ? null : (domain == null ? name : domain + "\\" + name);
    }

    private static String fileName(JsonNode details) {
        String path = text(details, "filePath");
        String name = text(details, "fileName");
        if (name == null) {
            return null;
        }
        return path == null ? name : (path.endsWith("\\") || path.endsWith("/") ? path + name : path + "\\" + name);
    }

    private static String text(JsonNode node, String... fields) {
        for (String f : fields) {
            JsonNode v = node.get(f);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }

    private static void add(Set<String> set, String value) {
        if (value != null && set.size() < MAX_SUMMARY_VALUES) {
            set.add(value);
        }
    }

    private static void put(JsonGenerator summary, String field, Set<String> values) throws IOException {
        summary.writeArrayFieldStart(field);
        for (String v : values) {
            summary.writeString(v);
        }
        summary.writeEndArray();
    }

    private static String quote(String s) {
        return GraphIds.quote(s);
    }

    /** Like {@link #quote} without the quotes: a JSON value shown in a reason, escaped the same way. */
    private static String abbreviate(String s) {
        String q = GraphIds.quote(s);
        return q.substring(1, q.length() - 1);
    }
}
