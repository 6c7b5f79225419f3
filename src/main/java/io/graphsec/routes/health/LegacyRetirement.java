package io.graphsec.routes.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Microsoft has retired the legacy /security/alerts API (its last announced date, which moved several
 * times, is {@code graph.legacy-alerts.retired-on}); alerts_v2 replaces it. Tells, in one line a
 * readiness check can show, when Graph's answers say the legacy collection is gone: an error that
 * means "no such API any more" (410, 404, 400), or, once the date has passed, nothing but empty pages
 * since the app started. Until then a poll of it would only retry, silently, at every tick.
 */
public final class LegacyRetirement {

    static final String RESOURCE = "legacy_alerts";
    private static final Set<Integer> GONE = Set.of(400, 404, 410);
    private static final String REPLACED = "alerts_v2 replaces it: grant SecurityAlert.Read.All and set"
            + " graph.legacy-alerts.enabled=false (docs/alerts.md, \"Legacy alerts, and moving off them\")";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalDate retiredOn;
    private final Clock clock;
    private long emptyPolls;
    private boolean dataSeen;

    public LegacyRetirement(LocalDate retiredOn, Clock clock) {
        this.retiredOn = retiredOn;
        this.clock = clock;
    }

    /** Whether a poll health check's resource is the legacy alerts collection (of any tenant). */
    static boolean isLegacy(String resource) {
        return resource.equals(RESOURCE) || resource.startsWith(RESOURCE + "@");
    }

    /** The readiness reason for a failed poll, or null when the failure does not say the API is gone. */
    String reasonFor(Throwable failure) {
        if (!(failure instanceof HttpOperationFailedException http) || !GONE.contains(http.getStatusCode())) {
            return null;
        }
        return "legacy /security/alerts answers " + http.getStatusCode() + graphError(http.getResponseBody())
                + ": Microsoft has retired this API (last announced date " + retiredOn + "); " + REPLACED;
    }

    /** After each completed poll: how many items it fetched. Returns the readiness reason, or null. */
    synchronized String completed(long fetched) {
        if (fetched > 0) {
            dataSeen = true;
        }
        emptyPolls = fetched > 0 ? 0 : emptyPolls + 1;
        if (dataSeen || LocalDate.now(clock.withZone(ZoneOffset.UTC)).isBefore(retiredOn)) {
            return null;
        }
        return "legacy /security/alerts has answered only empty pages since start (" + emptyPolls
                + " polls) and Microsoft retired it on " + retiredOn + ": it returns no data any more; " + REPLACED;
    }

    /** Graph's error code and message, one short line, or nothing. */
    private static String graphError(String body) {
        try {
            JsonNode error = body == null ? null : JSON.readTree(body).path("error");
            if (error == null || !error.isObject()) {
                return "";
            }
            String text = (error.path("code").asText("") + " " + error.path("message").asText("")).trim()
                    .replaceAll("[\\p{Cntrl}\\s]+", " ");
            return text.isEmpty() ? "" : " (" + (text.length() > 200 ? text.substring(0, 199) + "…" : text) + ")";
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }
}
