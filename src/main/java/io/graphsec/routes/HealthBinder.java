package io.graphsec.routes;

import io.graphsec.routes.config.Props;
import io.graphsec.routes.health.PollHealthCheck;
import io.graphsec.routes.health.PollMetrics;
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
        // With several instances each poll runs on one of them: every health check of a poll reads the
        // group's completions, whichever instance bound it (checks bound later by a host included).
        context.addStartupListener((started, alreadyStarted) -> {
            PollCompletions completions = StateStores.of(started).pollCompletions();
            started.getRegistry().findByType(PollHealthCheck.class).forEach(check -> check.shareWith(completions));
        });
        // Every legacy alerts poll (of any tenant) says in readiness when Graph shows the retired API gone.
        LegacyRetirement retirement = new LegacyRetirement(LocalDate.parse(props.required("graph.legacy-alerts.retired-on")),
                Clock.systemUTC());
        context.addStartupListener((started, alreadyStarted) ->
                started.getRegistry().findByType(PollHealthCheck.class).forEach(check -> check.watch(retirement)));
        context.addLifecycleStrategy(new UnmeteredRoutes(props.apply("graph.metrics.unmetered-routes").orElse("")));
        context.getRegistry().bind("graphPollMetrics", new PollMetrics(Clock.systemUTC()));
    }
}
