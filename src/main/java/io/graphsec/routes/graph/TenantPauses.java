package io.graphsec.routes.graph;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants Graph asked to wait longer than a poll may wait on its worker ({@code Retry-After}
 * beyond {@code graph.poll.max-throttle-wait}): each with the instant its polls may call again.
 * Polls share a few scheduler threads with every other tenant, so a throttled tenant's poll gives up
 * its tick instead of sleeping on one, and its next ticks are skipped until then. Nothing is lost:
 * the watermark moves only after a commit, so the first poll after the pause reads from where it stood.
 */
public final class TenantPauses {

    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
    private final Clock clock;

    public TenantPauses(Clock clock) {
        this.clock = clock;
    }

    /** The tenant's polls call Graph again no earlier than {@code until} (a later pause already noted stays). */
    public void pause(String tenant, Instant until) {
        notBefore.merge(tenant, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Until when the tenant's polls wait; empty once that has passed. */
    public Optional<Instant> pausedUntil(String tenant) {
        Instant until = notBefore.get(tenant);
        if (until == null) {
            return Optional.empty();
        }
        if (!Instant.now(clock).isBefore(until)) {
            notBefore.remove(tenant, until);
            return Optional.empty();
        }
        return Optional.of(until);
    }

    /** Whether the tenant's poll may call Graph now. */
    public boolean due(String tenant) {
        return pausedUntil(tenant).isEmpty();
    }
}
