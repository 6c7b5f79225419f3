package io.graphsec.routes.graph;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.time.Duration;

/**
 * One request budget for every call this app makes to Graph's /security API (polls, reads, PATCH,
 * comments), so together they stay under Graph's documented 150 requests a minute per app and
 * tenant instead of learning it from 429s. A caller waits for a permit; the period is short (2 s by
 * default) so the budget never bunches into a burst at a minute's boundary.
 */
public final class GraphRateBudget {

    private final RateLimiter limiter;

    public GraphRateBudget(int requestsPerPeriod, Duration period, Duration maxWait) {
        if (requestsPerPeriod < 1) {
            throw new IllegalStateException("graph.rate.requests-per-period must be at least 1, was " + requestsPerPeriod);
        }
        this.limiter = RateLimiter.of("graph-security", RateLimiterConfig.custom()
                .limitForPeriod(requestsPerPeriod)
                .limitRefreshPeriod(period)
                .timeoutDuration(maxWait)
                .build());
    }

    /** Blocks until the budget allows one more Graph request. */
    public void acquire() {
        try {
            RateLimiter.waitForPermission(limiter);
        } catch (RequestNotPermitted e) {
            throw new IllegalStateException("the Graph request budget (graph.rate.*) had no room within "
                    + limiter.getRateLimiterConfig().getTimeoutDuration() + "; is another poll stuck?", e);
        }
    }
}
