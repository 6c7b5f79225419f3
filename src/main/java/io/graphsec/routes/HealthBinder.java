package io.graphsec.routes;

import io.graphsec.routes.config.Props;
import io.graphsec.routes.health.PollHealthCheck;
import io.graphsec.routes.health.PollMetrics;
import io.graphsec.routes.health.TenantReadiness;
import io.graphsec.routes.health.UnmeteredRoutes;
import io.graphsec.routes.state.PollCompletions;
import io.graphsec.routes.state.StateStores;
import io.graphsec.routes.health.LegacyRetirement;
import java.time.Clock;
import java.time.LocalDate;
import org.apache.camel.CamelContext;

/**
 * The poll metrics every Graph call reports to (graphPollMetrics), the routes left out of Camel's
 * per-route metrics, and the health checks' view of poll completions across instances.
 */
final class HealthBinder {

    private HealthBinder() {
    }

    static void bind(CamelContext context, Props props) throws Exception {
        // Every legacy alerts poll (of any tenant) says in readiness when Graph shows the retired API gone.
        context.getRegistry().bind("graphLegacyRetirement", new LegacyRetirement(
                LocalDate.parse(props.required("graph.legacy-alerts.retired-on")), Clock.systemUTC()));
        // The checks of every poll, a host's and a tenant's added later included (ServedTenants).
        context.addStartupListener((started, alreadyStarted) ->
                started.getRegistry().findByType(PollHealthCheck.class).forEach(check -> adopt(started, check)));
        context.addLifecycleStrategy(new UnmeteredRoutes(props.apply("graph.metrics.unmetered-routes").orElse("")));
        context.getRegistry().bind("graphPollMetrics", new PollMetrics(Clock.systemUTC()));
    }

    /**
     * A poll's readiness check joins the others once the context runs: with several instances each poll
     * runs on one of them, so it reads the group's completions; a legacy alerts poll watches for the
     * retired API; with several tenants, the tenants' check decides readiness over it.
     */
    static void adopt(CamelContext started, PollHealthCheck check) {
        check.shareWith(StateStores.of(started).pollCompletions());
        check.watch(started.getRegistry().lookupByNameAndType("graphLegacyRetirement", LegacyRetirement.class));
        TenantReadiness tenants = started.getRegistry().lookupByNameAndType("graphTenantsHealth", TenantReadiness.class);
        if (tenants != null) {
            check.deferTo(tenants);
        }
    }
}
