package io.graphsec.routes.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.state.DeliveredVersions;
import io.graphsec.routes.state.StateStores;
import io.graphsec.routes.state.Watermarks;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any other Graph security collection a user names in properties ({@code graph.collections.<name>.*}:
 * path, cron, watermark field or none for a snapshot, destination), polled by the same poll
 * template, split flow and stores as alerts, and delivered as Graph sent each item. One poll route
 * per collection is made from the template once the routes are loaded.
 */
public final class ConfiguredCollections {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredCollections.class);
    private static final Pattern KEY = Pattern.compile("^graph\\.collections\\.([^.]+)\\.path$");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");
    /** Where a collection's unset keys (cron, page-size, lag, initial-lookback, count, enabled) are read. */
    private static final String DEFAULTS = "graph.collection-defaults.";

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, String> destinations = new LinkedHashMap<>();

    /**
     * Binds a poller, a health check ({@code healthCheck} of the collection's resource name) and a
     * destination per configured collection; returns this bean.
     */
    public static ConfiguredCollections bind(CamelContext context, Function<String, Optional<String>> props,
                                             String baseUrl, Watermarks watermarks, Duration changeMemory,
                                             Function<String, HealthCheck> healthCheck, Path stateDir,
                                             int maxEntries) throws Exception {
        ConfiguredCollections collections = new ConfiguredCollections();
        Map<String, String> cron = new LinkedHashMap<>();
        for (String name : names(context)) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalStateException("graph.collections." + name + ": a collection name is lower-case"
                        + " letters, digits and '-' (it names state files and routes)");
            }
            String key = "graph.collections." + name + ".";
            Function<String, String> setting = field -> props.apply(key + field)
                    .or(() -> props.apply(DEFAULTS + field)).orElseThrow(() -> new IllegalStateException(
                            key + field + " is not set, nor " + DEFAULTS + field + " (application.properties)"));
            if (!Boolean.parseBoolean(setting.apply("enabled"))) {
                continue;
            }
            String path = props.apply(key + "path").orElseThrow();
            if (!path.matches("/(v1\\.0|beta)/security/[A-Za-z0-9/_.-]+") || path.contains("..")) {
                throw new IllegalStateException(key + "path=" + path + " is not a Graph security path such as"
                        + " /beta/security/attackSimulation/simulations");
            }
            String destination = props.apply(key + "destination").orElseThrow(() -> new IllegalStateException(
                    key + "destination is missing: where this collection's items go (a Camel endpoint URI)"));
            String resource = "collection-" + name;
            PollSettings settings = new PollSettings(resource, path, props.apply(key + "watermark-field").orElse(""),
                    Integer.parseInt(setting.apply("page-size")), Duration.parse(setting.apply("lag")),
                    Duration.parse(setting.apply("initial-lookback")), "", 20_000, changeMemory,
                    "collection", "collection", props.apply(key + "filter").orElse(""), 0,
                    Boolean.parseBoolean(setting.apply("count")));
            DeliveredVersions versions = StateStores.of(context).versions(stateDir, resource, maxEntries);
            context.getRegistry().bind("graphCollectionPoller-" + name,
                    new CollectionPoller(settings, baseUrl, watermarks, versions, Clock.systemUTC()));
            context.getRegistry().bind("graphCollectionHealth-" + name,
                    healthCheck.apply(resource));
            collections.destinations.put(resource, destination);
            cron.put(name, setting.apply("cron"));
            LOG.info("Collection {}: {} every '{}' ({}) to {}", name, path, cron.get(name),
                    settings.snapshot() ? "snapshot" : "watermark " + settings.watermarkField(), destination);
        }
        PollRoutes routes = new PollRoutes();
        cron.forEach((name, expression) -> routes.add(new PollRoutes.Instance("graph-collection-" + name + "-poll",
                "collection-" + name, expression, "graphCollectionPoller-" + name, "graphCollectionHealth-" + name)));
        routes.makeAtStart(context);
        return collections;
    }

    private static TreeSet<String> names(CamelContext context) {
        TreeSet<String> names = new TreeSet<>();
        Properties all = context.getPropertiesComponent().loadProperties(k -> k.startsWith("graph.collections."));
        all.putAll(System.getProperties());
        for (Object k : all.keySet()) {
            Matcher m = KEY.matcher(String.valueOf(k));
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * One item as a message: the body Graph's JSON, headers naming the collection and the item's
     * id and version, the Artemis duplicate id, and where it goes.
     */
    public void enrich(Exchange exchange) throws JsonProcessingException {
        Message in = exchange.getIn();
        JsonNode item = in.getBody(JsonNode.class);
        PollProgress poll = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        in.setBody(poll.textOf(item, mapper));
        String resource = poll.resource();
        String key = ItemKeys.keyOf(item);
        String version = poll.poller.versionOf(item);
        String name = resource.substring("collection-".length());
        in.setHeader("graphEntityType", name);
        in.setHeader("graphRoute", name);
        in.setHeader("graphItemId", key);
        in.setHeader("graphItemVersion", version);
        in.setHeader("_AMQ_DUPL_ID", resource + "|" + key + "|" + version);
        exchange.setProperty("graphCollectionDestination", destinations.get(resource));
    }
}
