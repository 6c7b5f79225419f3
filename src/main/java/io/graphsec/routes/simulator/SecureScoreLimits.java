package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Graph's limits on secureScores and secureScoreControlProfiles, per app and tenant: 10,000 requests
 * in 10 minutes and four at a time (one more answers 429), with a scripted latency so tests can
 * have requests overlap.
 */
public final class SecureScoreLimits {

    /** A request answered once it is within the limits. */
    interface Answer {
        void run() throws IOException;
    }

    private final GraphResponses out;
    private final GraphGate gate;
    private final Object latencyGate = new Object();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private volatile int concurrency = 4;
    private volatile int requestsPer10Minutes = 10_000;
    private volatile long latencyMillis;

    SecureScoreLimits(GraphResponses out, GraphGate gate) {
        this.out = out;
        this.gate = gate;
    }

    /**
     * Graph allows four concurrent requests per app and tenant on secureScores and
     * secureScoreControlProfiles; one more answers 429.
     */
    public SecureScoreLimits concurrency(int limit) {
        concurrency = limit;
        return this;
    }

    /** Graph allows 10,000 requests in 10 minutes per app and tenant on secure score and its profiles; 0: no limit. */
    public SecureScoreLimits requestsPer10Minutes(int limit) {
        requestsPer10Minutes = limit;
        return this;
    }

    /**
     * Every secure score request holds its slot this long before it is answered, so a test can have
     * requests overlap; setting {@link Duration#ZERO} releases the ones held at once.
     */
    public SecureScoreLimits latency(Duration latency) {
        synchronized (latencyGate) {
            latencyMillis = latency.toMillis();
            latencyGate.notifyAll();
        }
        return this;
    }

    void within(HttpExchange http, JsonNode claims, Answer answer) throws IOException {
        String app = claims.path("tid").asText() + "/" + claims.path("appid").asText();
        if (gate.throttled(http, "securescore:" + app, requestsPer10Minutes, 600_000, "Please retry again later."
                + " The limit of " + requestsPer10Minutes + " requests in 10 minutes on secure score was reached.")) {
            return;
        }
        AtomicInteger running = inFlight.computeIfAbsent(app, k -> new AtomicInteger());
        if (running.incrementAndGet() > concurrency) {
            running.decrementAndGet();
            out.graphError(http, 429, "TooManyRequests", "Please retry again later. The limit of " + concurrency
                    + " concurrent requests on secure score was reached.", Map.of("Retry-After", "1"));
            return;
        }
        try {
            hold();
            answer.run();
        } finally {
            running.decrementAndGet();
        }
    }

    private void hold() {
        long until = System.currentTimeMillis() + latencyMillis;
        synchronized (latencyGate) {
            long left;
            while (latencyMillis > 0 && (left = until - System.currentTimeMillis()) > 0) {
                try {
                    latencyGate.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
