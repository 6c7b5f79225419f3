package io.graphsec.routes.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.graph.CollectionPoller;
import io.graphsec.routes.graph.PollProgress;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * Prometheus figures of the polling (graph_* meters): completed polls, fetched, delivered per route,
 * deduplicated, dead-lettered, failed polls, throttled calls, permits of the request budget taken,
 * and how far the watermark lags behind now. Each carries the tag {@code tenant}: the configured name of the deployment's tenant
 * ({@code default}, or a name of {@code graph.tenants}), never a value from Graph. Uses the
 * MeterRegistry Camel Main binds when camel.metrics.enabled=true; without one (an embedding host
 * without Micrometer) it records nothing.
 */
public final class PollMetrics {

    private final Clock clock;
    private final Map<String, AtomicLong> watermarks = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry;

    public PollMetrics(Clock clock) {
        this.clock = clock;
    }

    /** After a completed poll (the exchange carries its {@link PollProgress}). */
    public void completed(Exchange exchange) {
        PollProgress p = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        MeterRegistry r = registry(exchange.getContext());
        if (r == null || p == null) {
            return;
        }
        String resource = p.resource();
        String tenant = p.getTenant();
        Instant watermark = p.watermark();
        r.counter("graph_polls", "tenant", tenant, "resource", resource).increment();
        r.counter("graph_poll_fetched", "tenant", tenant, "resource", resource).increment(p.fetched());
        r.counter("graph_poll_deduplicated", "tenant", tenant, "resource", resource).increment(p.duplicates());
        r.counter("graph_poll_dead_lettered", "tenant", tenant, "resource", resource).increment(p.deadLettered());
        p.routed().forEach((route, n) -> r.counter("graph_poll_delivered", "tenant", tenant, "resource", resource,
                "route", route).increment(n));
        if (watermark == null) {
            // A snapshot collection has no watermark to lag.
            return;
        }
        watermarks.computeIfAbsent(tenant + "\n" + resource, key -> {
            AtomicLong holder = new AtomicLong(watermark.toEpochMilli());
            Gauge.builder("graph_watermark_lag_seconds", holder,
                            h -> Duration.between(Instant.ofEpochMilli(h.get()), Instant.now(clock)).toMillis() / 1000.0)
                    .tag("tenant", tenant).tag("resource", resource).register(r);
            return holder;
        }).set(watermark.toEpochMilli());
    }

    /** After a failed poll. */
    public void failed(Exchange exchange) {
        PollProgress p = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        MeterRegistry r = registry(exchange.getContext());
        if (r != null) {
            r.counter("graph_poll_failures", "tenant", tenantOf(exchange),
                    "resource", p == null ? "unknown" : p.resource()).increment();
        }
    }

    /** A Graph call answered 429 or 503. */
    public void throttled(Exchange exchange) {
        MeterRegistry r = registry(exchange.getContext());
        if (r != null) {
            r.counter("graph_http_throttled", "tenant", tenantOf(exchange)).increment();
        }
    }

    /** A Graph call took a permit of its tenant's request budget (graph.rate.*): the budget this instance used. */
    public void permitTaken(Exchange exchange) {
        MeterRegistry r = registry(exchange.getContext());
        if (r != null) {
            r.counter("graph_budget_permits", "tenant", tenantOf(exchange)).increment();
        }
    }

    /** A Graph call is about to be retried; cause is the HTTP status or "connection". */
    public void retried(Exchange exchange, String cause) {
        MeterRegistry r = registry(exchange.getContext());
        if (r != null) {
            r.counter("graph_http_retries", "cause", cause).increment();
        }
    }

    /**
     * A tenant no longer served: its meters go, so a scrape shows no figures frozen at their last value
     * (and a tenant added again starts its counters afresh).
     */
    public void forget(CamelContext context, String tenant) {
        watermarks.keySet().removeIf(key -> key.startsWith(tenant + "\n"));
        MeterRegistry r = registry(context);
        if (r != null) {
            List.copyOf(r.getMeters()).stream().filter(m -> tenant.equals(m.getId().getTag("tenant"))).forEach(r::remove);
        }
    }

    /** Adds {@code amount} to the counter {@code name} with the tags given (name, value, ...), for other flows' figures. */
    public void count(Exchange exchange, String name, double amount, String... tags) {
        MeterRegistry r = registry(exchange.getContext());
        if (r != null) {
            r.counter(name, tags).increment(amount);
        }
    }

    /**
     * The configured name of the tenant whose call this is: the poll's, or the one the exchange's
     * tenant lookup resolves to (an unknown name resolves to the default tenant, so no outside value
     * becomes a tag).
     */
    private static String tenantOf(Exchange exchange) {
        PollProgress p = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        if (p != null) {
            return p.getTenant();
        }
        GraphTenants tenants = exchange.getContext() == null ? null
                : exchange.getContext().getRegistry().lookupByNameAndType("graphTenants", GraphTenants.class);
        return tenants == null ? GraphTenants.DEFAULT : tenants.of(exchange).name();
    }

    private MeterRegistry registry(CamelContext context) {
        MeterRegistry r = registry;
        if (r == null && context != null) {
            r = context.getRegistry().findSingleByType(MeterRegistry.class);
            registry = r;
        }
        return r;
    }
}
