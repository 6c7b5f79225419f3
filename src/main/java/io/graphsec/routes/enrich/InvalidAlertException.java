package io.graphsec.routes.enrich;

/** An alert that cannot be routed as it is; its message names the field and what was wrong with it. */
public class InvalidAlertException extends RuntimeException {
    public InvalidAlertException(String message) {
        super(message);
    }
}
