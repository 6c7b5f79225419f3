package io.graphsec.routes.feedback;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * At most {@code callsPerPeriod} webhook calls per period from one remote address, so that a
 * chatty or hostile caller cannot turn the shared Graph request budget (which every feedback write
 * spends) away from the polls. The address is the TCP peer's, never a header the caller chose.
 * The buckets of the {@code maxSources} most recent addresses are kept; an older one starts afresh.
 */
public final class WebhookRateLimit {

    /** Where Camel's platform-http (Vert.x) puts the peer's address. */
    static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";

    private final Bandwidth limit;
    private final Map<String, Bucket> buckets;

    public WebhookRateLimit(int callsPerPeriod, Duration period, int maxSources) {
        if (callsPerPeriod < 1 || maxSources < 1) {
            throw new IllegalStateException("graph.webhook.rate.calls-per-period and graph.webhook.rate.max-sources"
                    + " must be at least 1, were " + callsPerPeriod + " and " + maxSources);
        }
        this.limit = Bandwidth.builder().capacity(callsPerPeriod).refillIntervally(callsPerPeriod, period).build();
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxSources;
            }
        };
    }

    public void admit(Exchange exchange) {
        String source = sourceOf(exchange.getIn().getHeader(REMOTE_ADDRESS));
        Bucket bucket;
        synchronized (buckets) {
            bucket = buckets.computeIfAbsent(source, s -> Bucket.builder().addLimit(limit).build());
        }
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw new WebhookThrottledException("more than " + limit.getCapacity() + " webhook calls within "
                    + Duration.ofNanos(limit.getRefillPeriodNanos()).toMillis() + " ms from one source (graph.webhook.rate.*)",
                    (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
        }
    }

    private static String sourceOf(Object address) {
        if (address instanceof SocketAddress a) {
            return a.hostAddress() == null ? String.valueOf(a.path()) : a.hostAddress();
        }
        return address == null ? "unknown" : address.toString();
    }
}
