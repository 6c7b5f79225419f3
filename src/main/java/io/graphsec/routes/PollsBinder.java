package io.graphsec.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.graphsec.routes.auth.GraphPermissionsCheck;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.config.ContextResources;
import io.graphsec.routes.config.GraphSettings;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.enrich.AlertEnricher;
import io.graphsec.routes.enrich.IncidentContext;
import io.graphsec.routes.enrich.IncidentEnricher;
import io.graphsec.routes.enrich.LegacyAlertEnricher;
import io.graphsec.routes.graph.CollectionPoller;
import io.graphsec.routes.graph.DropExpandOnServerError;
import io.graphsec.routes.graph.IncidentAlertsReader;
import io.graphsec.routes.graph.ItemFields;
import io.graphsec.routes.graph.PageReadAhead;
import io.graphsec.routes.graph.PollSettings;
import io.graphsec.routes.graph.PolledItems;
import io.graphsec.routes.graph.WindowPages;
import io.graphsec.routes.health.PollHealthCheck;
import io.graphsec.routes.state.DeliveredVersions;
import io.graphsec.routes.state.StateStores;
import io.graphsec.routes.state.Watermarks;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.ExpressionAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default tenant's polls of alerts_v2, incidents and legacy alerts: one poller each (the same
 * mechanism with per-resource settings), its health check, version store and enricher, and the
 * per-alert bean methods the routes call. {@link TenantsBinder} reuses their settings for further tenants.
 */
final class PollsBinder {

    private static final Logger LOG = LoggerFactory.getLogger(PollsBinder.class);

    private PollsBinder() {
    }

    static void bind(CamelContext context, Props props) throws Exception {
        Registry registry = context.getRegistry();
        GraphTenants tenants = registry.lookupByNameAndType("graphTenants", GraphTenants.class);
        GraphPermissionsCheck permissions = registry.lookupByNameAndType("graphPermissionsCheck",
                GraphPermissionsCheck.class);
        String baseUrl = tenants.baseUrl(GraphTenants.DEFAULT);
        Watermarks watermarks = StateStores.of(context).watermarks(StateBinder.stateDir(props));
        String portal = props.required("graph.portal-url");

        registry.bind("graphAlertsHealth", pollHealth(props, "alerts_v2", permissions));
        PollSettings alerts = settings(props, "alerts_v2", "/v1.0/security/alerts_v2", "lastUpdateDateTime",
                props.integer("graph.alerts.page-size"), "", "alerts", "", 0);
        PolledItems polledItems = new PolledItems();
        registry.bind("graphNewVersion", perAlert(e -> polledItems.isNew(e.getIn().getBody(JsonNode.class), e)));
        PageReadAhead readAhead = new PageReadAhead(context, "direct:graph-call", props.flag("graph.poll.read-ahead"));
        context.addService(readAhead, true, true);
        registry.bind("graphPageReadAhead", readAhead);
        registry.bind("graphAlertsPoller", sweepingLag(new CollectionPoller(alerts, baseUrl, watermarks,
                versions(context, props, StateBinder.stateDir(props), "alerts_v2"), Clock.systemUTC())
                .readingOnly(fieldsRead(alerts)), props));
        AlertEnricher alertEnricher = new AlertEnricher(portal);
        registry.bind("graphAlertEnricher", alertEnricher);
        registry.bind("graphDuplicateId", perAlert(alertEnricher::duplicateIdOf));
        registry.bind("graphMessageGroup", perAlert(alertEnricher::groupOf));

        bindIncidents(context, props, baseUrl, watermarks, permissions, portal);
        registry.bind("graphDropExpand", new DropExpandOnServerError());
        registry.bind("graphWindowPages", new WindowPages());
        bindLegacyAlerts(context, props, baseUrl, watermarks, permissions);
    }

    /**
     * The incidents poll (its own watermark and version store), the incident context alerts are
     * enriched with, and the reading of an incident's alerts when Graph refuses {@code $expand}.
     */
    private static void bindIncidents(CamelContext context, Props props, String baseUrl, Watermarks watermarks,
                                              GraphPermissionsCheck permissions, String portal) throws Exception {
        Registry registry = context.getRegistry();
        boolean enabled = props.flag("graph.incidents.enabled");
        int pageSize = props.integer("graph.incidents.page-size");
        if (pageSize > 50) {
            throw new IllegalStateException("graph.incidents.page-size=" + pageSize
                    + " is above 50, the most Graph accepts as $top on /security/incidents");
        }
        String expand = props.apply("graph.incidents.expand").orElse("");
        PollSettings incidents = settings(props, "incidents", "/v1.0/security/incidents", "lastUpdateDateTime",
                pageSize, expand.isEmpty() ? "" : "$expand=" + expand, "incidents", "", 0);
        registry.bind("graphIncidentsPoller", sweepingLag(new CollectionPoller(incidents, baseUrl, watermarks,
                versions(context, props, StateBinder.stateDir(props), "incidents"), Clock.systemUTC()), props));
        PollHealthCheck health = pollHealth(props, "incidents", permissions);
        if (!enabled) {
            health.switchOff();
        }
        registry.bind("graphIncidentsHealth", health);
        IncidentContext incidentContext = new IncidentContext(baseUrl, enabled,
                props.duration("graph.incidents.cache-ttl"), 10_000, Clock.systemUTC());
        registry.bind("graphIncidentContext", incidentContext);
        registry.bind("graphIncidentLookupNeeded", perAlert(incidentContext::needsLookup));
        registry.bind("graphIncidentEnricher", new IncidentEnricher(portal, incidentContext));
        registry.bind("graphIncidentAlerts", new IncidentAlertsReader());
    }

    /**
     * The legacy /security/alerts poll: the same poller with the legacy collection's settings
     * (lastModifiedDateTime, $skip at most 500, an optional extra filter), routed as alerts are.
     */
    private static void bindLegacyAlerts(CamelContext context, Props props, String baseUrl,
                                                 Watermarks watermarks, GraphPermissionsCheck permissions)
            throws Exception {
        Registry registry = context.getRegistry();
        int pageSize = props.integer("graph.legacy-alerts.page-size");
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalStateException("graph.legacy-alerts.page-size=" + pageSize
                    + " is outside 1..1000, what Graph accepts as $top on /security/alerts");
        }
        PollSettings legacy = settings(props, "legacy_alerts", "/v1.0/security/alerts", "lastModifiedDateTime",
                pageSize, "", "legacy-alerts", props.apply("graph.legacy-alerts.filter").orElse(""), 500);
        registry.bind("graphLegacyAlertsPoller", sweepingLag(new CollectionPoller(legacy, baseUrl, watermarks,
                versions(context, props, StateBinder.stateDir(props), "legacy_alerts"), Clock.systemUTC()), props));
        PollHealthCheck health = pollHealth(props, "legacy_alerts", permissions);
        if (!props.flag("graph.legacy-alerts.enabled")) {
            health.switchOff();
        } else {
            LOG.warn("Polling the legacy /security/alerts API, which Microsoft has retired (last announced date"
                    + " October 15, 2026; since then it returns no data). alerts_v2 replaces it: set"
                    + " graph.legacy-alerts.enabled=false (README, \"Moving off legacy alerts\").");
        }
        registry.bind("graphLegacyAlertsHealth", health);
        registry.bind("graphLegacyAlertEnricher", new LegacyAlertEnricher());
    }

    /** A collection's poll settings; lag, first look-back and window size are shared (graph.alerts.*). */
    private static PollSettings settings(Props props, String resource, String path, String watermarkField, int pageSize,
                                         String query, String collection, String filter, int maxSkip) {
        String routing = collection.equals("incidents") ? "incidents" : "alerts";
        return new PollSettings(resource, path, watermarkField, pageSize, props.duration("graph.alerts.lag"),
                props.duration("graph.alerts.initial-lookback"), query, props.integer("graph.alerts.max-window-alerts"),
                props.duration("graph.state.change-memory"), collection, routing, filter, maxSkip, true);
    }

    /** Most polls reach back graph.alerts.overlap, one every graph.alerts.lag-sweep-interval the whole lag. */
    static CollectionPoller sweepingLag(CollectionPoller poller, Props props) {
        return poller.sweepingLag(props.duration("graph.alerts.overlap"), props.duration("graph.alerts.lag-sweep-interval"));
    }

    /** The versions delivered of one resource, under {@code dir}, closed when the context stops. */
    static DeliveredVersions versions(CamelContext context, Props props, Path dir, String resource) throws Exception {
        DeliveredVersions versions = StateStores.of(context).versions(dir, resource,
                props.integer("graph.dedup.max-entries"));
        ContextResources.closeOnStop(context, versions::close);
        return versions;
    }

    /** The readiness check of one poll, DOWN after graph.health.max-poll-age without a completed poll. */
    static PollHealthCheck pollHealth(Props props, String resource, GraphPermissionsCheck permissions) {
        return new PollHealthCheck(resource, props.duration("graph.health.max-poll-age"), permissions, Clock.systemUTC());
    }

    /**
     * The fields of an item the collection's enrich flow reads: alerts_v2's enricher reads a few, the
     * other enrichers (incidents get their alerts added, collections are passed through) whole items.
     */
    static ItemFields fieldsRead(PollSettings poll) {
        return poll.collection().equals("alerts") ? AlertEnricher.FIELDS_READ : ItemFields.WHOLE;
    }

    /**
     * A bean method the routes call for every alert, as an expression (or predicate) for the ref
     * language, which calls it directly: the method language copies the exchange before each call
     * (10 % of the poll thread for four such calls; docs/performance.md).
     */
    private static Expression perAlert(Function<Exchange, Object> method) {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                return method.apply(exchange);
            }
        };
    }
}
