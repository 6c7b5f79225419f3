package io.graphsec.routes.securescore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.graph.GraphPageException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The day's secure score as one message: date, total, maximum, percentage, and every control
 * (from every profile page) with its score, its maximum and whether it is implemented.
 *
 * <p>A control is <em>implemented</em> on a day when that day's {@code controlScores[]} entry gives it
 * its profile's full {@code maxScore}: Secure Score awards a control's full points only then, partial
 * points mean partly implemented, and a control's state (Ignored, ThirdParty, Reviewed) already shows in
 * its score. {@code score} and {@code maxScore} are the documented fields (the open type's
 * {@code implementationStatus} text is neither documented nor stable), so this is the rule used.
 */
public final class SecureScoreSnapshot {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The reading's snapshot becomes the body (JSON text), with its date and tenant as headers. */
    public void toMessage(Exchange exchange) throws Exception {
        ObjectNode snapshot = of(exchange.getProperty(SecureScoreReader.READING, SecureScoreReading.class));
        String text = JSON.writeValueAsString(snapshot);
        Message in = exchange.getIn();
        in.setBody(text);
        in.setHeader("graphSecureScoreDate", snapshot.get("date").asText());
        in.setHeader("graphTenant", exchange.getProperty("graphTenant", GraphTenants.DEFAULT, String.class));
        if (snapshot.hasNonNull("tenantId")) {
            in.setHeader("graphTenantId", snapshot.get("tenantId").asText());
        }
        // The broker drops an identical snapshot sent again (a crash before the day was remembered).
        in.setHeader("_AMQ_DUPL_ID", "securescore-snapshot|" + snapshot.get("date").asText() + "|" + digest(text));
    }

    public static ObjectNode of(SecureScoreReading reading) {
        JsonNode today = reading.today();
        ObjectNode s = JSON.createObjectNode();
        s.put("date", dateOf(today).toString());
        if (today.path("azureTenantId").isTextual()) {
            s.put("tenantId", today.get("azureTenantId").asText());
        }
        double current = number(today, "currentScore");
        double max = number(today, "maxScore");
        s.put("currentScore", current).put("maxScore", max)
                .put("percentage", max > 0 ? Math.round(current / max * 10_000) / 100.0 : 0.0);
        JsonNode previous = reading.previous();
        if (previous != null) {
            s.put("previousDate", dateOf(previous).toString()).put("previousScore", number(previous, "currentScore"));
        }
        Map<String, JsonNode> scores = controlScores(today);
        ArrayNode controls = s.putArray("controls");
        reading.profiles().forEach((name, profile) -> {
            JsonNode score = scores.get(name);
            double maxScore = profile.path("maxScore").asDouble(0);
            double points = score == null ? 0 : score.path("score").asDouble(0);
            controls.addObject().put("controlName", name)
                    .put("category", text(profile, "controlCategory", score == null ? null : text(score, "controlCategory", null)))
                    .put("title", text(profile, "title", null))
                    .put("score", points).put("maxScore", maxScore)
                    .put("implemented", score != null && implemented(points, maxScore))
                    .put("deprecated", profile.path("deprecated").asBoolean(false));
        });
        // A control scored today whose profile Graph did not list: still reported, its maximum unknown.
        scores.forEach((name, score) -> {
            if (!reading.profiles().containsKey(name)) {
                controls.addObject().put("controlName", name).put("category", text(score, "controlCategory", null))
                        .put("title", text(score, "description", null)).put("score", score.path("score").asDouble(0))
                        .putNull("maxScore").put("implemented", false).put("deprecated", false);
            }
        });
        return s;
    }

    /** Implemented: the full points of its profile (see the class comment). */
    static boolean implemented(double score, double maxScore) {
        return maxScore > 0 && score >= maxScore;
    }

    /** The record's controlScores by controlName. */
    static Map<String, JsonNode> controlScores(JsonNode record) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        record.path("controlScores").forEach(c -> {
            if (c.path("controlName").isTextual()) {
                byName.put(c.get("controlName").asText(), c);
            }
        });
        return byName;
    }

    /** The day of a daily record: its createdDateTime, else the {@code _yyyy-MM-dd} its id ends with. */
    static LocalDate dateOf(JsonNode record) {
        try {
            if (record.path("createdDateTime").isTextual()) {
                return OffsetDateTime.parse(record.get("createdDateTime").asText()).toLocalDate();
            }
            String id = record.path("id").asText("");
            return LocalDate.parse(id.substring(id.lastIndexOf('_') + 1));
        } catch (DateTimeParseException | IndexOutOfBoundsException e) {
            throw new GraphPageException("secureScores record " + record.path("id").asText("(no id)")
                    + " has neither a createdDateTime nor an id ending in _yyyy-MM-dd");
        }
    }

    /** The record's createdDateTime as sent, else its day's midnight UTC. */
    static String createdOf(JsonNode record) {
        return record.path("createdDateTime").isTextual() ? record.get("createdDateTime").asText()
                : dateOf(record) + "T00:00:00Z";
    }

    static double number(JsonNode record, String field) {
        if (!record.path(field).isNumber()) {
            throw new GraphPageException("secureScores record " + record.path("id").asText("(no id)") + " has no numeric "
                    + field);
        }
        return record.get(field).asDouble();
    }

    private static String text(JsonNode node, String field, String fallback) {
        return node.path(field).isTextual() ? node.get(field).asText() : fallback;
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
