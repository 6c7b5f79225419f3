package io.graphsec.routes.simulator;

import java.util.List;
import java.util.Map;

/**
 * One request as it arrived (token and Graph calls alike): when, the method, the raw path and
 * query as sent, the headers and the body; and how it was answered (status, Retry-After or null).
 * For tests that check what left the application, and when.
 */
public record SeenRequest(long atMillis, String method, String rawPath, String rawQuery,
                          Map<String, List<String>> headers, String body, int status, String retryAfter) {
    /** Everything of the request as one text, for searching it. */
    public String text() {
        return method + " " + rawPath + (rawQuery == null ? "" : "?" + rawQuery) + "\n" + headers + "\n" + body;
    }
}
