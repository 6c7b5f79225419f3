package io.graphsec.routes.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * Read before write: compares the feedback with the entity as Graph has it now and plans only
 * the changes still needed. That makes a repeated feedback a no-op (at most one effective PATCH),
 * and lets a change someone made in the portal after the analyst looked win, by policy.
 */
public final class FeedbackPlanner {

    public static final String PROPERTY = "graphFeedbackPlan";

    private final ObjectMapper mapper = new ObjectMapper();
    private final boolean overwriteOnConflict;

    public FeedbackPlanner(String conflictPolicy) {
        this.overwriteOnConflict = switch (conflictPolicy) {
            case "reject" -> false;
            case "overwrite" -> true;
            default -> throw new IllegalStateException("graph.feedback.conflict-policy=" + conflictPolicy
                    + " is not valid; use reject or overwrite");
        };
    }

    /** Plans from the entity in the body; the plan goes to the exchange property {@code graphFeedbackPlan}. */
    public void plan(Exchange exchange) throws JsonProcessingException {
        Feedback f = exchange.getProperty(FeedbackValidator.PROPERTY, Feedback.class);
        String currentJson = exchange.getIn().getBody(String.class);
        JsonNode current = mapper.readTree(currentJson);

        Map<String, Object> before = new LinkedHashMap<>();
        Map<String, Object> after = new LinkedHashMap<>();
        ObjectNode patch = mapper.createObjectNode();
        f.fields().forEach((field, value) -> {
            if (f.target() == FeedbackTarget.LEGACY_ALERT && field.equals("comment")) {
                legacyComment(current, value, patch, before, after);
                return;
            }
            String now = current.path(field).isTextual() ? current.get(field).asText() : null;
            if (!value.equals(now)) {
                patch.put(field, value);
                before.put(field, now);
                after.put(field, value);
            }
        });
        if (f.customTags() != null) {
            List<String> now = mapper.convertValue(current.path("customTags"), mapper.getTypeFactory()
                    .constructCollectionType(List.class, String.class));
            if (now == null || !new HashSet<>(now).equals(new HashSet<>(f.customTags()))) {
                patch.putArray("customTags").addAll(f.customTags().stream().map(patch::textNode).toList());
                before.put("customTags", now);
                after.put("customTags", f.customTags());
            }
        }
        boolean commentNeeded = f.comment() != null && !hasComment(current, f.comment());

        if ((!patch.isEmpty() || commentNeeded) && f.basedOn() != null && !overwriteOnConflict) {
            Instant lastUpdate = lastUpdate(current);
            if (lastUpdate != null && lastUpdate.isAfter(f.basedOn())) {
                throw new FeedbackConflictException(f.target().label() + " " + f.id() + " changed in Graph at " + lastUpdate
                        + ", after the version this feedback was based on (" + f.basedOn() + "); not overwritten"
                        + " (graph.feedback.conflict-policy=reject)", currentJson);
            }
        }
        if (!patch.isEmpty() && f.target() == FeedbackTarget.LEGACY_ALERT) {
            // The legacy API refuses a PATCH without the alert's own provider and vendor.
            JsonNode vendor = current.path("vendorInformation");
            patch.putObject("vendorInformation")
                    .put("provider", vendor.path("provider").asText())
                    .put("vendor", vendor.path("vendor").asText());
        }
        String commentBody = null;
        if (commentNeeded) {
            commentBody = mapper.writeValueAsString(mapper.createObjectNode()
                    .put("@odata.type", "microsoft.graph.security.alertComment").put("comment", f.comment()));
            after.put("comment", f.comment());
        }
        FeedbackPlan plan = new FeedbackPlan(patch.isEmpty() ? null : mapper.writeValueAsString(patch), commentBody,
                before, after, f.entityUrl(), f.commentsUrl());
        exchange.setProperty(PROPERTY, plan);
    }

    private static void legacyComment(JsonNode current, String value, ObjectNode patch, Map<String, Object> before,
                                      Map<String, Object> after) {
        for (JsonNode c : current.path("comments")) {
            if (value.equals(c.asText())) {
                return;
            }
        }
        patch.putArray("comments").add(value);
        before.put("comments", current.path("comments").toString());
        after.put("comments", List.of(value));
    }

    private static boolean hasComment(JsonNode current, String comment) {
        for (JsonNode c : current.path("comments")) {
            if (comment.equals(c.path("comment").asText(null))) {
                return true;
            }
        }
        return false;
    }

    private static Instant lastUpdate(JsonNode current) {
        for (String field : new String[] {"lastUpdateDateTime", "lastModifiedDateTime"}) {
            if (current.path(field).isTextual()) {
                try {
                    return Instant.parse(current.get(field).asText());
                } catch (RuntimeException ignored) {
                    // an unparseable stamp cannot prove a conflict
                }
            }
        }
        return null;
    }
}
