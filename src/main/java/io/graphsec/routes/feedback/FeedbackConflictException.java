package io.graphsec.routes.feedback;

/** The entity changed in Graph after the version the analyst based the feedback on. */
public class FeedbackConflictException extends RuntimeException {
    private final String currentEntity;

    public FeedbackConflictException(String message, String currentEntity) {
        super(message);
        this.currentEntity = currentEntity;
    }

    public String currentEntity() {
        return currentEntity;
    }
}
