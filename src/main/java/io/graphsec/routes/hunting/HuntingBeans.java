package io.graphsec.routes.hunting;

import static io.graphsec.routes.GraphSecurityBeans.duration;
import static io.graphsec.routes.GraphSecurityBeans.integer;

import io.graphsec.routes.graph.GraphRateBudget;
import io.graphsec.routes.health.PollMetrics;
import io.graphsec.routes.state.DeliveredVersions;
import io.graphsec.routes.state.StateStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds what routes/hunting.camel.yaml names: the hunts of {@code graph.hunting.dir}, read and
 * checked at start (a bad file stops the start, naming the file and the field, unless hunting is
 * switched off), their schedule, the runner, the row mapping, and a request budget of hunting's own
 * under Graph's advanced hunting quota, in addition to the shared Graph budget.
 */
public final class HuntingBeans {

    private static final Logger LOG = LoggerFactory.getLogger(HuntingBeans.class);

    private HuntingBeans() {
    }

    public static void bind(CamelContext context, Function<String, Optional<String>> props) throws Exception {
        Registry registry = context.getRegistry();
        boolean enabled = props.apply("graph.hunting.enabled").map(Boolean::parseBoolean).orElse(false);
        Path dir = Path.of(props.apply("graph.hunting.dir").orElse("hunts"));
        List<HuntFile> hunts = enabled ? HuntFile.loadAll(dir) : List.of();
        if (enabled) {
            LOG.info("Scheduled hunting: {} hunt(s) in {}: {}", hunts.size(), dir.toAbsolutePath(),
                    hunts.stream().map(h -> h.fileName() + " (" + h.schedule() + ", " + h.severity() + ")").toList());
        }
        Path stateDir = Path.of(props.apply("graph.state.dir").orElse("data/state"));
        int perMinute = integer(props, "graph.hunting.requests-per-minute", 40);
        if (perMinute < 1) {
            throw new IllegalStateException("graph.hunting.requests-per-minute must be at least 1, was " + perMinute);
        }
        // One call each 60/n seconds rather than n at each minute's start: Graph counts a sliding minute.
        GraphRateBudget budget = new GraphRateBudget(1, Duration.ofMinutes(1).dividedBy(perMinute),
                duration(props, "graph.rate.max-wait", "PT5M"));
        registry.bind("graphHuntingBudget", budget);

        DeliveredVersions seenRows = StateStores.of(context).versions(stateDir, "hunting-rows",
                integer(props, "graph.hunting.max-seen-rows", 100_000));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                seenRows.close();
            }
        }, true, true);
        String tenant = props.apply("graph.tenant-id").orElse("");
        HuntRowEvents rowEvents = new HuntRowEvents(tenant,
                props.apply("graph.portal-url").orElse("https://security.microsoft.com"));
        registry.bind("graphHuntRowEvents", rowEvents);
        HuntSchedule schedule = new HuntSchedule(hunts, StateStores.of(context).watermarks(stateDir), Clock.systemUTC());
        HuntRunner runner = new HuntRunner(schedule,
                seenRows, rowEvents, duration(props, "graph.hunting.min-timespan", "PT1H"),
                registry.lookupByNameAndType("graphPollMetrics", PollMetrics.class), Clock.systemUTC());
        registry.bind("graphHuntRunner", runner);

        Processor retryAfter = registry.lookupByNameAndType("graphRetryAfter", Processor.class);
        Processor retryPermit = registry.lookupByNameAndType("graphRetryPermit", Processor.class);
        // Unbound first: the registry keys beans by name and type, and the wrapper's type differs.
        registry.unbind("graphRetryAfter");
        registry.bind("graphRetryAfter", HuntingRetryHooks.onFailure(retryAfter, runner));
        registry.unbind("graphRetryPermit");
        registry.bind("graphRetryPermit", HuntingRetryHooks.beforeRetry(retryPermit, budget));
    }
}
