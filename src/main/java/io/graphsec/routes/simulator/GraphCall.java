package io.graphsec.routes.simulator;

/**
 * One Graph API call (a {@link SeenRequest} to /v1.0 or /beta), so a test can check what a client did
 * between two calls: when it arrived (epoch millis), its method, path and decoded query ("" for none),
 * the status answered and the Retry-After sent with it (null: none).
 */
public record GraphCall(long arrived, String method, String path, String query, int status, String retryAfter) {

    /** The Retry-After this call was answered with, in milliseconds. */
    public long retryAfterMillis() {
        return Math.round(Double.parseDouble(retryAfter) * 1000);
    }
}
