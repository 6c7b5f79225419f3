package io.graphsec.routes.feedback;

/** A webhook call without a valid signature or key; answered 401 and never acted on. */
public class WebhookUnauthorizedException extends RuntimeException {
    public WebhookUnauthorizedException(String message) {
        super(message);
    }
}
