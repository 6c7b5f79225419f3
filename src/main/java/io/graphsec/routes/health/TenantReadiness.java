package io.graphsec.routes.health;

import io.graphsec.routes.graph.TenantPauses;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of a deployment of several tenants ({@code graph-tenants}): one tenant's trouble must not
 * take the others out of service, so it is DOWN only when no tenant is ready, and otherwise UP,
 * naming in {@code failing} each tenant whose last poll failed, whose polls are paused (Graph throttles
 * it, or it backs off from a slow or failing Graph), or whose poll is not ready, with the reason under {@code tenant.<name>}. A tenant is
 * ready when none of its polls is (the poll checks' rule: a missing permission, or no completed poll
 * for {@code graph.health.max-poll-age}). Names are the configured tenant names.
 */
public final class TenantReadiness extends AbstractHealthCheck {

    private final Supplier<Collection<PollHealthCheck>> polls;
    private final TenantPauses pauses;

    public TenantReadiness(Supplier<Collection<PollHealthCheck>> polls, TenantPauses pauses) {
        super("graph", "graph-tenants");
        this.polls = polls;
        this.pauses = pauses;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Set<String> tenants = new TreeSet<>();
        Set<String> notReady = new TreeSet<>();
        Map<String, String> reasons = new TreeMap<>();
        for (PollHealthCheck poll : polls.get()) {
            String tenant = poll.tenant();
            tenants.add(tenant);
            String problem = poll.problem(new HashMap<>());
            if (problem != null) {
                notReady.add(tenant);
                reasons.putIfAbsent(tenant, problem);
            } else if (poll.lastPollFailed()) {
                reasons.putIfAbsent(tenant, "last poll failed, retried on the next tick");
            }
        }
        for (String tenant : tenants) {
            pauses.pausedUntil(tenant).ifPresent(until ->
                    reasons.merge(tenant, pauses.reason(tenant) + ": polls paused until " + until, (a, b) -> b + "; " + a));
        }
        builder.detail("tenants", tenants.size());
        builder.detail("failing", String.join(",", reasons.keySet()));
        reasons.forEach((tenant, reason) -> builder.detail("tenant." + tenant, reason));
        if (!tenants.isEmpty() && notReady.containsAll(tenants)) {
            builder.down().message("no tenant is ready: " + String.join(", ", notReady));
            return;
        }
        if (!reasons.isEmpty()) {
            // The message shows at exposure level full even without the details (data=true).
            builder.message("failing tenants: " + String.join(", ", reasons.keySet()));
        }
        builder.up();
    }
}
