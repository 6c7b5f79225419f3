package io.graphsec.routes.auth;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, reads {@code GET /security} (the singleton every security resource hangs off) to prove
 * that the network path, TLS trust and token reach the Security API, and says so in the log: a
 * wrong base URL, proxy or trust store shows up in the first seconds, not as a failed poll later.
 */
public final class SecurityApiCheck implements AggregationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityApiCheck.class);
    private volatile Boolean reachable;

    @Override
    public Exchange aggregate(Exchange start, Exchange read) {
        String url = start.getProperty("graphReadUrl", String.class);
        Exception e = read.getException();
        if (e == null && read.getIn().getHeader("graphReadNotFound", false, Boolean.class)) {
            e = new IllegalStateException("Graph answered 404");
        }
        if (e == null) {
            reachable = true;
            LOG.info("Graph Security API reachable at {}", url);
        } else {
            reachable = false;
            LOG.error("Graph Security API not reachable at {}: {} (check graph.base-url, graph.cloud, the proxy"
                    + " and graph.trust-store)", url, e.getMessage());
        }
        return start;
    }

    /** Null until the check ran. */
    public Boolean reachable() {
        return reachable;
    }
}
