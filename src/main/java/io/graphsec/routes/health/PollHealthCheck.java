package io.graphsec.routes.health;

import io.graphsec.routes.auth.GraphPermissionsCheck;
import io.graphsec.routes.graph.CollectionPoller;
import io.graphsec.routes.graph.PollProgress;
import io.graphsec.routes.state.PollCompletions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness of one polled Graph collection: DOWN, with the reason, when the app cannot poll it
 * (a missing permission, a refused token) or when no poll has succeeded for longer than
 * {@code graph.health.max-poll-age}. Never a liveness failure: restarting the app does not fix Graph.
 */
public final class PollHealthCheck extends AbstractHealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(PollHealthCheck.class);

    private final String resource;
    private final Duration maxAge;
    private final GraphPermissionsCheck permissions;
    private final Clock clock;
    private final Instant started;
    private volatile Instant lastSuccess;
    private volatile Instant lastFailure;
    private volatile String lastError;
    private volatile boolean switchedOff;
    private volatile PollCompletions group = PollCompletions.LOCAL;
    private volatile LegacyRetirement retirement;
    private volatile String retiredReason;
    private volatile TenantReadiness tenants;

    public PollHealthCheck(String resource, Duration maxAge, GraphPermissionsCheck permissions, Clock clock) {
        super("graph", "graph-poll-" + resource);
        this.resource = resource;
        this.maxAge = maxAge;
        this.permissions = permissions;
        this.clock = clock;
        this.started = Instant.now(clock);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    /**
     * The poll is turned off by configuration: reported UP with a note, since Camel's readiness
     * counts a disabled check as not ready.
     */
    public void switchOff() {
        switchedOff = true;
    }

    /**
     * Shares completions with the other instances of a group: the poll runs on one of them at a time,
     * and each of them reports it ready while any of them polls.
     */
    public void shareWith(PollCompletions completions) {
        group = completions;
    }

    /**
     * For the legacy alerts poll: readiness says so when Graph's answers show the retired API is gone
     * (HealthBinder sets it for every legacy alerts check).
     */
    public void watch(LegacyRetirement retirement) {
        if (LegacyRetirement.isLegacy(resource)) {
            this.retirement = retirement;
        }
    }

    /** Called when a poll of the resource completed (the poll's exchange: what it fetched). */
    public void succeeded(Exchange exchange) {
        lastSuccess = Instant.now(clock);
        lastError = null;
        PollProgress poll = exchange == null ? null : exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        LegacyRetirement legacy = retirement;
        retiredReason = legacy == null || poll == null ? null : legacy.completed(poll.fetched());
        try {
            group.completed(getId(), lastSuccess);
        } catch (RuntimeException e) {
            // The poll itself is done; only the other instances' view of it is late.
            LOG.warn("{}", e.getMessage());
        }
    }

    /** Called when a poll failed: keeps a reason a person can act on. */
    public void failed(Exchange exchange) {
        lastFailure = Instant.now(clock);
        Throwable e = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (e instanceof HttpOperationFailedException http) {
            lastError = "Graph answered " + http.getStatusCode() + (http.getStatusCode() == 403
                    ? " (the app registration lacks a permission; see the start-up check)" : "")
                    + (http.getStatusCode() == 401 ? " (the token was refused)" : "");
        } else {
            lastError = e == null ? "unknown failure" : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        LegacyRetirement legacy = retirement;
        retiredReason = legacy == null ? null : legacy.reasonFor(e);
    }

    /** The configured name of the tenant this poll is for: after '@' in the resource, else the default tenant. */
    public String tenant() {
        int at = resource.indexOf('@');
        return at < 0 ? "default" : resource.substring(at + 1);
    }

    /** Whether the last poll of this instance failed (a success since, here, clears it). */
    public boolean lastPollFailed() {
        return lastError != null;
    }

    /**
     * With several tenants: this check reports its trouble as a detail and stays UP, and
     * {@code tenants} decides readiness over all of them (one tenant's trouble must not fail the others).
     */
    public void deferTo(TenantReadiness tenants) {
        this.tenants = tenants;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Map<String, Object> details = new LinkedHashMap<>();
        String problem = problem(details);
        details.forEach(builder::detail);
        if (problem == null) {
            builder.up();
        } else if (tenants != null) {
            builder.detail("tenantNotReady", problem).up();
        } else {
            builder.down().message(problem);
        }
    }

    /** Why this poll is not ready (null: it is), with what is known of it added to {@code details}. */
    String problem(Map<String, Object> details) {
        Instant now = Instant.now(clock);
        details.put("resource", resource);
        if (switchedOff) {
            details.put("polling", "switched off by configuration");
            return null;
        }
        Instant lastSuccess = this.lastSuccess;
        try {
            Instant anywhere = group.lastCompleted(getId()).orElse(null);
            if (anywhere != null && (lastSuccess == null || anywhere.isAfter(lastSuccess))) {
                lastSuccess = anywhere;
                details.put("polledBy", "another instance of the group");
            }
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        if (lastSuccess != null) {
            details.put("lastSuccess", lastSuccess.toString());
        }
        String lastError = this.lastError;
        if (lastError != null) {
            details.put("lastError", lastError);
        }
        String retired = retiredReason;
        if (retired != null) {
            return retired;
        }
        String missing = permissions.missing().stream().filter(m -> m.startsWith("polling " + resource))
                .findFirst().orElse(null);
        if (missing != null) {
            return missing;
        }
        Instant reference = lastSuccess != null ? lastSuccess : started;
        if (lastError != null && (lastSuccess == null || lastFailure.isAfter(lastSuccess))
                && Duration.between(reference, now).compareTo(maxAge) > 0) {
            return "no successful " + resource + " poll since " + reference + ": " + lastError;
        }
        if (lastSuccess == null && Duration.between(started, now).compareTo(maxAge) > 0) {
            return "no " + resource + " poll has completed since start at " + started;
        }
        return null;
    }
}
