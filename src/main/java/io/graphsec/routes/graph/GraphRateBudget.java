package io.graphsec.routes.graph;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;

/**
 * One request budget for every call this app makes to Graph's /security API (polls, reads, PATCH,
 * comments), so together they stay under Graph's documented 150 requests a minute per app and
 * tenant instead of learning it from 429s. A caller waits for a permit; the period is short (2 s by
 * default) so the budget never bunches into a burst at a minute's boundary. The permits come from
 * this JVM ({@link #inMemory}) or from a row every instance shares ({@link SharedRateBudgets}):
 * {@link RateBudgets} picks one for the deployment.
 */
public final class GraphRateBudget {

    /** Where the permits come from. */
    @FunctionalInterface
    public interface Permits {
        /** Takes one permit, waiting at most {@code maxWait}; false when none came in time (none taken). */
        boolean take(Duration maxWait) throws InterruptedException;
    }

    private final Permits permits;
    private final Duration maxWait;

    public GraphRateBudget(Permits permits, Duration maxWait) {
        this.permits = permits;
        this.maxWait = maxWait;
    }

    /** {@code requestsPerPeriod} permits each {@code period}, counted in this JVM only. */
    public static GraphRateBudget inMemory(int requestsPerPeriod, Duration period, Duration maxWait) {
        return of(Bucket.builder().addLimit(limit(requestsPerPeriod, period)).build(), maxWait);
    }

    /** The bucket of a budget: all its permits back at once each period, never more than a period's worth. */
    static Bandwidth limit(int requestsPerPeriod, Duration period) {
        return Bandwidth.builder().capacity(checked(requestsPerPeriod)).refillIntervally(requestsPerPeriod, period)
                .build();
    }

    /** A budget taking its permits from {@code bucket}, this JVM's or one the instances share. */
    static GraphRateBudget of(Bucket bucket, Duration maxWait) {
        // Bucket4j's blocking take refuses a wait of zero: that is a plain try.
        return new GraphRateBudget(wait -> wait.isZero() ? bucket.tryConsume(1) : bucket.asBlocking().tryConsume(1, wait),
                maxWait);
    }

    /** Blocks until the budget allows one more Graph request. */
    public void acquire() {
        boolean taken;
        try {
            taken = permits.take(maxWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a permit of the Graph request budget", e);
        }
        if (!taken) {
            throw new IllegalStateException("the Graph request budget (graph.rate.*) had no room within " + maxWait
                    + "; is another poll stuck?");
        }
    }

    static int checked(int requestsPerPeriod) {
        if (requestsPerPeriod < 1) {
            throw new IllegalStateException("graph.rate.requests-per-period must be at least 1, was " + requestsPerPeriod);
        }
        return requestsPerPeriod;
    }
}
