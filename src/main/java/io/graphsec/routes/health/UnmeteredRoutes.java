package io.graphsec.routes.health;

import java.util.Collection;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.PatternHelper;

/**
 * Leaves the routes every alert passes through (graph.metrics.unmetered-routes, by default the enrich and
 * route flows) out of Camel's per-route meters, as each route is added and before it starts. Their exchanges
 * are already counted per route by graph_poll_delivered_total, and Camel's meter names its timer per exchange
 * with String.format (docs/performance.md). Camel Main offers no setting for it; its policy
 * configuration is shared by every context of the JVM, so each policy of a matched route gets a copy of
 * its own instead of the shared one being changed.
 */
public final class UnmeteredRoutes extends LifecycleStrategySupport {

    private final String[] patterns;

    /** @param patterns comma-separated route ids; a trailing * matches any end (Camel's PatternHelper) */
    public UnmeteredRoutes(String patterns) {
        this.patterns = patterns.isBlank() ? new String[0] : patterns.trim().split("\\s*,\\s*");
    }

    @Override
    public void onRoutesAdd(Collection<Route> routes) {
        for (Route route : routes) {
            if (patterns.length > 0 && PatternHelper.matchPatterns(route.getRouteId(), patterns)) {
                route.getRoutePolicyList().forEach(UnmeteredRoutes::switchOff);
            }
        }
    }

    private static void switchOff(RoutePolicy policy) {
        // By class name: a host without camel-micrometer has no such policy, and must not need the class.
        if (policy.getClass().getName().equals("org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicy")) {
            MicrometerPolicies.routeMetersOff(policy);
        }
    }
}
