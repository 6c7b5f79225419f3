package io.graphsec.routes.feedback;

/** Feedback that cannot be sent to Graph as it is; the message names the field and the allowed values. */
public class InvalidFeedbackException extends RuntimeException {
    public InvalidFeedbackException(String message) {
        super(message);
    }
}
