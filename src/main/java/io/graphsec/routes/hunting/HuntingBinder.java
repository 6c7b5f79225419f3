package io.graphsec.routes.hunting;

import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.config.ConfigFiles;
import io.graphsec.routes.config.ContextResources;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.graph.GraphRateBudget;
import io.graphsec.routes.graph.RateBudgets;
import io.graphsec.routes.health.PollMetrics;
import io.graphsec.routes.state.DeliveredVersions;
import io.graphsec.routes.state.StateStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds what routes/7-hunting.camel.yaml names: the hunts of {@code graph.hunting.dir}, read and
 * checked at start (a bad file stops the start, naming the file and the field, unless hunting is
 * switched off), their schedule, the runner, the row mapping, and a request budget of hunting's own
 * under Graph's advanced hunting quota, in addition to the shared Graph budget (the shared retry
 * hooks take a permit of it before a hunting call is retried: {@link HuntingRetryHooks}).
 */
public final class HuntingBinder {

    private static final Logger LOG = LoggerFactory.getLogger(HuntingBinder.class);

    private HuntingBinder() {
    }

    public static void bind(CamelContext context, Props props) throws Exception {
        Registry registry = context.getRegistry();
        boolean enabled = props.flag("graph.hunting.enabled");
        List<HuntFile> hunts = List.of();
        if (enabled) {
            Map<String, ConfigFiles.ConfigFile> files = ConfigFiles.of(context, props).readAll("graph.hunting.dir", ".kql");
            hunts = HuntFile.loadAll(files.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, f -> f.getValue().text())));
            LOG.info("Scheduled hunting: {} hunt(s): {}", hunts.size(), files.values().stream()
                    .map(ConfigFiles.ConfigFile::location).toList());
        }
        Path stateDir = Path.of(props.required("graph.state.dir"));
        int perMinute = props.integer("graph.hunting.requests-per-minute");
        if (perMinute < 1) {
            throw new IllegalStateException("graph.hunting.requests-per-minute must be at least 1, was " + perMinute);
        }
        // One call each 60/n seconds rather than n at each minute's start: Graph counts a sliding minute.
        GraphRateBudget budget = RateBudgets.of(context).budget("hunting:" + props.apply("graph.tenant-id").orElse("")
                        + "/" + props.apply("graph.client-id").orElse(""), 1, Duration.ofMinutes(1).dividedBy(perMinute),
                props.duration("graph.rate.max-wait"));
        registry.bind("graphHuntingBudget", budget);

        DeliveredVersions seenRows = StateStores.of(context).versions(stateDir, "hunting-rows",
                props.integer("graph.hunting.max-seen-rows"));
        ContextResources.closeOnStop(context, seenRows::close);
        String tenant = props.apply("graph.tenant-id").orElse("");
        HuntRowEvents rowEvents = new HuntRowEvents(tenant, props.required("graph.portal-url"));
        registry.bind("graphHuntRowEvents", rowEvents);
        HuntSchedule schedule = new HuntSchedule(hunts, StateStores.of(context).watermarks(stateDir), Clock.systemUTC());
        HuntRunner runner = new HuntRunner(schedule,
                seenRows, rowEvents, props.duration("graph.hunting.min-timespan"),
                registry.lookupByNameAndType("graphPollMetrics", PollMetrics.class), Clock.systemUTC(),
                registry.lookupByNameAndType("graphTenants", GraphTenants.class).baseUrl(GraphTenants.DEFAULT));
        registry.bind("graphHuntRunner", runner);
    }
}
