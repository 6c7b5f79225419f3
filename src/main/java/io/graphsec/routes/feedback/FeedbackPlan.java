package io.graphsec.routes.feedback;

import java.util.Map;

/**
 * What writing one feedback takes, worked out after reading the entity: the PATCH body with only
 * the fields that differ (null: nothing to patch), and the comment request (null: none, or the
 * same comment is already there). Both null means the feedback is already applied.
 */
public record FeedbackPlan(String patchBody, String commentBody, Map<String, Object> before, Map<String, Object> after,
                           String entityUrl, String commentsUrl) {

    public boolean hasPatch() {
        return patchBody != null;
    }

    public boolean hasComment() {
        return commentBody != null;
    }
}
