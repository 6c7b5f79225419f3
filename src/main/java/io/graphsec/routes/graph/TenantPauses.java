package io.graphsec.routes.graph;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants Graph asked to wait longer than a poll may wait on its worker ({@code Retry-After}
 * beyond {@code graph.poll.max-throttle-wait}): each with the instant its polls may call again.
 * Polls share a few scheduler threads with every other tenant, so a throttled tenant's poll gives up
 * its tick instead of sleeping on one, and its next ticks are skipped until then. The same holds for
 * a tenant whose Graph is slow or failing ({@link PollRetryLimit}): it backs off for a while that
 * doubles with each poll given up in a row, from {@code firstBackOff} to at most {@code maxBackOff},
 * until one of its polls completes. Nothing is lost: the watermark moves only after a commit, so the
 * first poll after the pause reads from where it stood.
 */
public final class TenantPauses {

    private static final String THROTTLED = "throttled by Graph";

    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();
    private final Map<String, String> why = new ConcurrentHashMap<>();
    private final Map<String, Integer> givenUpInARow = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration firstBackOff;
    private final Duration maxBackOff;

    public TenantPauses(Clock clock, Duration firstBackOff, Duration maxBackOff) {
        this.clock = clock;
        this.firstBackOff = firstBackOff;
        this.maxBackOff = maxBackOff;
    }

    /** The tenant's polls call Graph again no earlier than {@code until} (a later pause already noted stays). */
    public void pause(String tenant, Instant until) {
        pause(tenant, until, THROTTLED);
    }

    private void pause(String tenant, Instant until, String reason) {
        Instant kept = notBefore.merge(tenant, until, (a, b) -> a.isAfter(b) ? a : b);
        if (kept.equals(until)) {
            why.put(tenant, reason);
        }
    }

    /**
     * A poll of the tenant gave up its tick because Graph was slow or failing: its polls skip their
     * ticks until the instant returned, {@code firstBackOff} after the first such poll in a row, twice
     * as long after each further one, at most {@code maxBackOff}.
     */
    public Instant backOff(String tenant) {
        int inARow = givenUpInARow.merge(tenant, 1, Integer::sum);
        Duration wait = firstBackOff;
        for (int i = 1; i < inARow && wait.compareTo(maxBackOff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        Instant until = Instant.now(clock).plus(wait.compareTo(maxBackOff) < 0 ? wait : maxBackOff);
        pause(tenant, until, "Graph slow or failing (" + inARow + " poll(s) given up in a row)");
        return until;
    }

    /** A poll of the tenant completed: its next back-off starts again from {@code firstBackOff}. */
    public void recovered(String tenant) {
        givenUpInARow.remove(tenant);
    }

    /** Why the tenant's polls are paused ("throttled by Graph", "Graph slow or failing ..."). */
    public String reason(String tenant) {
        return why.getOrDefault(tenant, THROTTLED);
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
