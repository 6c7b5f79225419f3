package io.graphsec.routes.auth;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, reads {@code GET /security} (the singleton every security resource hangs off) to prove
 * that the network path, TLS trust and token reach the Security API, and says so in the log: a
 * wrong base URL, proxy, trust store or credential shows up in the first seconds, not as a failed poll
 * later. Each tenant of the deployment is checked with its own token at its own cloud's host.
 */
public final class SecurityApiCheck implements AggregationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityApiCheck.class);
    private final java.util.Map<String, Boolean> reachable = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Exchange aggregate(Exchange start, Exchange read) {
        String url = start.getProperty("graphReadUrl", String.class);
        String tenant = start.getProperty("graphTenant", GraphTenants.DEFAULT, String.class);
        String of = GraphTenants.DEFAULT.equals(tenant) ? "" : " for tenant " + tenant;
        Exception e = read.getException();
        if (e == null && read.getIn().getHeader("graphReadNotFound", false, Boolean.class)) {
            e = new IllegalStateException("Graph answered 404");
        }
        if (e == null) {
            reachable.put(tenant, true);
            LOG.info("Graph Security API reachable at {}{}", url, of);
        } else {
            reachable.put(tenant, false);
            LOG.error("Graph Security API not reachable at {}{}: {} (check the credentials, graph.base-url, graph.cloud,"
                    + " the proxy and graph.trust-store)", url, of, e.getMessage());
        }
        return start;
    }

    /** Null until the default tenant was checked; then whether every tenant checked so far answered. */
    public Boolean reachable() {
        return reachable.containsKey(GraphTenants.DEFAULT) ? !reachable.containsValue(false) : null;
    }

    /** Null until that tenant was checked. */
    public Boolean reachable(String tenant) {
        return reachable.get(tenant);
    }
}
