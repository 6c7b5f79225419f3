package io.graphsec.routes.mail;

/** A work-queue message that cannot become a mail (not JSON, not an object): dead-lettered at once, never retried. */
public class UnrenderableAlertException extends RuntimeException {
    public UnrenderableAlertException(String message) {
        super(message);
    }
}
