package io.graphsec.routes.feedback;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One validated piece of analyst feedback: which entity, which fields to set, an optional comment,
 * the version the analyst saw, who asked, and the tenant of the deployment whose Graph holds it.
 */
public record Feedback(String tenant, FeedbackTarget target, String id, Map<String, String> fields, List<String> customTags,
                       String comment, Instant basedOn, String requestedBy, String entityUrl) {

    public String commentsUrl() {
        return entityUrl + "/comments";
    }
}
