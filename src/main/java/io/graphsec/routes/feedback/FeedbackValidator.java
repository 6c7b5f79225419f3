package io.graphsec.routes.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.graph.GraphIds;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.camel.Exchange;

/**
 * Turns a feedback message (JSON) into a {@link Feedback}, or refuses it with a reason that names
 * the bad field and what it may be. Unknown fields are refused too: a typo such as "stauts" must
 * not be silently ignored while the analyst believes the alert was resolved.
 */
public final class FeedbackValidator {

    public static final String PROPERTY = "graphFeedback";
    private static final int MAX_TEXT = 4000;
    private static final Set<String> ENVELOPE = Set.of("alertId", "incidentId", "api", "basedOn", "requestedBy",
            "tenant");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Function<String, String> graphBaseUrlOfTenant;

    /**
     * {@code graphBaseUrlOfTenant}: the Graph base URL (its cloud's host) of a tenant of the
     * deployment by name ("default" when the message names none); an IllegalArgumentException
     * naming the tenant when the deployment has no such tenant.
     */
    public FeedbackValidator(Function<String, String> graphBaseUrlOfTenant) {
        this.graphBaseUrlOfTenant = graphBaseUrlOfTenant;
    }

    /**
     * Validates the message body and keeps the result in the exchange property {@code graphFeedback};
     * its tenant in {@code graphTenant}, so that the Graph calls take that tenant's token and budget.
     */
    public void validate(Exchange exchange) {
        Feedback feedback = parse(exchange.getIn().getBody(String.class));
        exchange.setProperty(PROPERTY, feedback);
        exchange.setProperty("graphTenant", feedback.tenant());
    }

    public Feedback parse(String json) {
        JsonNode msg;
        try {
            msg = json == null ? null : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidFeedbackException("feedback is not valid JSON: " + e.getOriginalMessage());
        }
        if (msg == null || !msg.isObject()) {
            throw new InvalidFeedbackException("feedback must be a JSON object");
        }
        String named = msg.has("tenant") ? text(msg, "tenant", 100) : "";
        String tenant = named.isEmpty() ? GraphTenants.DEFAULT : named;
        String baseUrl;
        try {
            baseUrl = graphBaseUrlOfTenant.apply(tenant);
        } catch (IllegalArgumentException e) {
            throw new InvalidFeedbackException(e.getMessage());
        }
        FeedbackTarget target = target(msg);
        String id = text(msg, target.idField, 1000);
        GraphIds.problem(target.idField, id).ifPresent(p -> {
            throw new InvalidFeedbackException(p);
        });

        Map<String, String> fields = new LinkedHashMap<>();
        List<String> tags = null;
        String comment = null;
        for (Iterator<String> names = msg.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (ENVELOPE.contains(name)) {
                continue;
            }
            if (name.equals("comment") && target.commentsEndpoint) {
                comment = text(msg, name, MAX_TEXT);
            } else if (target.enumFields.containsKey(name)) {
                String value = text(msg, name, 200);
                List<String> allowed = target.enumFields.get(name);
                if (!allowed.contains(value)) {
                    throw new InvalidFeedbackException(name + " " + abbreviate(value) + " is not valid for a " + target.label
                            + "; allowed: " + String.join(", ", allowed));
                }
                fields.put(name, value);
            } else if (name.equals("customTags") && target.textFields.contains(name)) {
                tags = tags(msg.get(name));
            } else if (target.textFields.contains(name)) {
                fields.put(name, text(msg, name, 320));
            } else {
                throw new InvalidFeedbackException("field " + abbreviate(name) + " cannot be written to a " + target.label
                        + "; allowed: " + allowedFields(target));
            }
        }
        if (fields.isEmpty() && tags == null && comment == null) {
            throw new InvalidFeedbackException("feedback for " + target.label + " " + id + " changes nothing; give any of "
                    + allowedFields(target));
        }
        Instant basedOn = null;
        if (msg.hasNonNull("basedOn")) {
            String v = text(msg, "basedOn", 64);
            try {
                basedOn = Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw new InvalidFeedbackException("basedOn " + abbreviate(v) + " is not an ISO-8601 date-time");
            }
        }
        String requestedBy = msg.hasNonNull("requestedBy") ? text(msg, "requestedBy", 320) : "unknown";
        return new Feedback(tenant, target, id, fields, tags, comment, basedOn, requestedBy,
                baseUrl + target.path + GraphIds.pathSegment(target.idField, id));
    }

    private static FeedbackTarget target(JsonNode msg) {
        boolean alert = msg.has("alertId");
        boolean incident = msg.has("incidentId");
        if (alert == incident) {
            throw new InvalidFeedbackException("feedback must name exactly one target: alertId or incidentId");
        }
        String api = msg.hasNonNull("api") ? msg.get("api").asText() : "v2";
        if (incident) {
            if (!api.equals("v2")) {
                throw new InvalidFeedbackException("api " + abbreviate(api) + " is only allowed with alertId");
            }
            return FeedbackTarget.INCIDENT;
        }
        return switch (api) {
            case "v2" -> FeedbackTarget.ALERT;
            case "legacy" -> FeedbackTarget.LEGACY_ALERT;
            default -> throw new InvalidFeedbackException("api " + abbreviate(api) + " is not valid; allowed: v2, legacy");
        };
    }

    private static String text(JsonNode msg, String field, int max) {
        JsonNode v = msg.get(field);
        if (v == null || !v.isTextual()) {
            throw new InvalidFeedbackException(field + " must be a string, got "
                    + (v == null ? "nothing" : v.getNodeType().toString().toLowerCase()));
        }
        String s = v.asText();
        if (s.length() > max) {
            throw new InvalidFeedbackException(field + " is " + s.length() + " characters; at most " + max + " are allowed");
        }
        if (s.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            throw new InvalidFeedbackException(field + " contains a control character");
        }
        return s;
    }

    private static List<String> tags(JsonNode v) {
        if (v == null || !v.isArray() || v.size() > 50) {
            throw new InvalidFeedbackException("customTags must be an array of at most 50 strings");
        }
        List<String> tags = new ArrayList<>();
        for (JsonNode t : v) {
            if (!t.isTextual() || t.asText().isBlank() || t.asText().length() > 100) {
                throw new InvalidFeedbackException("customTags must hold non-empty strings of at most 100 characters");
            }
            tags.add(t.asText());
        }
        return tags;
    }

    private static String allowedFields(FeedbackTarget target) {
        List<String> all = new ArrayList<>(target.enumFields.keySet());
        all.addAll(target.textFields);
        if (target.commentsEndpoint) {
            all.add("comment");
        }
        return String.join(", ", all.stream().distinct().sorted().toList());
    }

    private static String abbreviate(String s) {
        return GraphIds.quote(s);
    }
}
