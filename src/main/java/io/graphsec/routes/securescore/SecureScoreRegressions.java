package io.graphsec.routes.securescore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.enrich.AlertEnricher;
import io.graphsec.routes.graph.GraphIds;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * What got worse since the previous day, as alert-like events routed like alerts (contract,
 * "Alert-like events"): the total score dropped by more than {@code graph.secure-score.max-drop}
 * points, and each control that was implemented the previous day and is not today. Ids and times
 * are the day's, so a run repeated the same day produces the same events, which the broker drops.
 */
public final class SecureScoreRegressions {

    static final String CATEGORY = "SecureScoreRegression";
    private static final Map<String, Integer> PRIORITY = Map.of("high", 9, "medium", 7, "low", 4, "informational", 2);
    private static final String NO_EVIDENCE =
            "{\"users\":[],\"devices\":[],\"ips\":[],\"files\":[],\"urls\":[],\"mailboxes\":[],\"evidenceCount\":0}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final double maxDrop;
    private final String severity;
    private final String portalBaseUrl;

    public SecureScoreRegressions(double maxDrop, String severity, String portalBaseUrl) {
        String normalized = AlertEnricher.normalizeSeverity(severity);
        if (!PRIORITY.containsKey(normalized)) {
            throw new IllegalStateException("graph.secure-score.regression-severity=" + severity
                    + " is not one of high, medium, low, informational");
        }
        if (!(maxDrop >= 0)) {
            throw new IllegalStateException("graph.secure-score.max-drop=" + maxDrop + " must be zero or more points");
        }
        this.maxDrop = maxDrop;
        this.severity = normalized;
        this.portalBaseUrl = portalBaseUrl.endsWith("/") ? portalBaseUrl.substring(0, portalBaseUrl.length() - 1)
                : portalBaseUrl;
    }

    /** Bean method: the regressions of the exchange's reading (alert-shaped JSON objects), for a split. */
    public List<ObjectNode> find(Exchange exchange) {
        SecureScoreReading reading = exchange.getProperty(SecureScoreReader.READING, SecureScoreReading.class);
        List<ObjectNode> events = find(reading);
        reading.regressions = events.size();
        return events;
    }

    public List<ObjectNode> find(SecureScoreReading reading) {
        List<ObjectNode> events = new ArrayList<>();
        JsonNode previous = reading.previous();
        if (previous == null) {
            return events;
        }
        JsonNode today = reading.today();
        String date = SecureScoreSnapshot.dateOf(today).toString();
        String previousDate = SecureScoreSnapshot.dateOf(previous).toString();
        double now = SecureScoreSnapshot.number(today, "currentScore");
        double before = SecureScoreSnapshot.number(previous, "currentScore");
        if (before - now > maxDrop) {
            ObjectNode e = event(today, "securescore-" + date + "-total",
                    "Secure Score dropped by " + points(before - now) + " points",
                    "Microsoft Secure Score fell from " + points(before) + " on " + previousDate + " to " + points(now)
                            + " on " + date + " (more than the " + points(maxDrop) + " points allowed).",
                    "Review which controls lost points in the Secure Score history and restore them.",
                    portalBaseUrl + "/securescore?viewid=history");
            e.putObject("secureScore").put("date", date).put("previousDate", previousDate).put("currentScore", now)
                    .put("previousScore", before).put("drop", round(before - now)).put("maxDrop", maxDrop)
                    .put("maxScore", today.path("maxScore").asDouble());
            events.add(e);
        }
        Map<String, JsonNode> was = SecureScoreSnapshot.controlScores(previous);
        SecureScoreSnapshot.controlScores(today).forEach((name, score) -> {
            JsonNode profile = reading.profiles().get(name);
            JsonNode earlier = was.get(name);
            if (profile == null || earlier == null) {
                return;
            }
            double max = profile.path("maxScore").asDouble(0);
            double points = score.path("score").asDouble(0);
            if (SecureScoreSnapshot.implemented(earlier.path("score").asDouble(0), max)
                    && !SecureScoreSnapshot.implemented(points, max)) {
                String title = profile.path("title").asText(name);
                ObjectNode e = event(today, "securescore-" + date + "-" + safe(name),
                        "Secure Score control no longer implemented: " + title,
                        "The Secure Score control " + name + " (" + profile.path("controlCategory").asText("no category")
                                + ") was implemented on " + previousDate + " and is not on " + date + ": it scores "
                                + points(points) + " of " + points(max) + " points.",
                        profile.path("remediation").asText("Implement the control again.").replaceAll("<[^>]*>", " ").trim(),
                        portalBaseUrl + "/securescore?viewid=actions&actionId=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
                e.putObject("secureScore").put("date", date).put("previousDate", previousDate).put("controlName", name)
                        .put("controlCategory", profile.path("controlCategory").asText(""))
                        .put("score", points).put("previousScore", earlier.path("score").asDouble(0)).put("maxScore", max)
                        .put("state", latestState(profile));
                events.add(e);
            }
        });
        return events;
    }

    /** Bean method: one event of the split becomes a message with the headers of an alert. */
    public void toAlertMessage(Exchange exchange) throws Exception {
        ObjectNode event = exchange.getIn().getMandatoryBody(ObjectNode.class);
        Message in = exchange.getIn();
        in.setBody(JSON.writeValueAsString(event));
        in.setHeader("graphEntityType", "alert");
        in.setHeader("graphApi", "secureScore");
        in.setHeader("graphTenant", exchange.getProperty("graphTenant", GraphTenants.DEFAULT, String.class));
        in.setHeader("graphEventType", "created");
        in.setHeader("graphAlertId", event.get("id").asText());
        in.setHeader("graphLastUpdateDateTime", event.get("lastUpdateDateTime").asText());
        in.setHeader("graphSeverity", severity);
        in.setHeader("graphRoute", severity);
        in.setHeader("JMSPriority", PRIORITY.get(severity));
        in.setHeader("graphStatus", "new");
        if (event.path("tenantId").isTextual()) {
            in.setHeader("graphTenantId", event.get("tenantId").asText());
        }
        in.setHeader("graphPortalUrl", event.get("alertWebUrl").asText());
        in.setHeader("graphEvidenceSummary", NO_EVIDENCE);
    }

    private ObjectNode event(JsonNode today, String id, String title, String description, String actions, String link) {
        GraphIds.problem("secure score event id", id).ifPresent(p -> {
            throw new IllegalStateException(p);
        });
        String created = SecureScoreSnapshot.createdOf(today);
        ObjectNode e = JSON.createObjectNode().put("id", id).put("title", title).put("description", description)
                .put("severity", severity).put("status", "new").put("category", CATEGORY)
                .put("createdDateTime", created).put("lastUpdateDateTime", created).put("recommendedActions", actions);
        if (today.path("azureTenantId").isTextual()) {
            e.put("tenantId", today.get("azureTenantId").asText());
        }
        e.put("alertWebUrl", link);
        return e;
    }

    /**
     * A control name made safe for an id (letters, digits, - and _); a name that had to change gets a
     * short digest of the original, so two names never share an id.
     */
    static String safe(String controlName) {
        String cleaned = controlName.replaceAll("[^A-Za-z0-9_-]", "_");
        if (cleaned.length() > 150) {
            cleaned = cleaned.substring(0, 150);
        }
        if (cleaned.equals(controlName)) {
            return cleaned;
        }
        return cleaned + "-" + Integer.toHexString(controlName.hashCode() & 0x7fffffff);
    }

    private static String latestState(JsonNode profile) {
        JsonNode updates = profile.path("controlStateUpdates");
        return updates.isArray() && !updates.isEmpty() ? updates.get(updates.size() - 1).path("state").asText("Default")
                : "Default";
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String points(double v) {
        double r = round(v);
        return r == Math.rint(r) ? String.valueOf((long) r) : String.format(Locale.ROOT, "%.2f", r);
    }
}
