package io.graphsec.routes.feedback;

/** A webhook call over its source's rate (or the replay memory's room); answered 429 with Retry-After. */
public class WebhookThrottledException extends RuntimeException {

    private final long retryAfterSeconds;

    public WebhookThrottledException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long getRetryAfterSeconds() {
        return retryAfterSeconds;
    }
}
