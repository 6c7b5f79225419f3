package io.graphsec.routes;

import io.graphsec.routes.auth.GraphPermissionsCheck;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.auth.GraphTokenProvider;
import io.graphsec.routes.auth.TrustMaterial;
import io.graphsec.routes.config.GraphSettings;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.enrich.IncidentContext;
import io.graphsec.routes.graph.CollectionPoller;
import io.graphsec.routes.graph.ConfiguredCollections;
import io.graphsec.routes.graph.CronSpread;
import io.graphsec.routes.graph.PollRoutes;
import io.graphsec.routes.graph.PollSettings;
import io.graphsec.routes.graph.TenantPauses;
import io.graphsec.routes.health.PollHealthCheck;
import io.graphsec.routes.health.TenantReadiness;
import io.graphsec.routes.securescore.SecureScoreBinder;
import io.graphsec.routes.state.DeliveredVersions;
import io.graphsec.routes.state.StateStores;
import io.graphsec.routes.state.Watermarks;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The polls beyond the default tenant's three: further tenants of the deployment
 * ({@code graph.tenants = a,b}) and the other collections of {@code graph.collections.*}; then the
 * names by which the poll template finds every poller and health check.
 */
final class TenantsBinder {

    private TenantsBinder() {
    }

    static void bind(CamelContext context, Props props) throws Exception {
        Registry registry = context.getRegistry();
        GraphPermissionsCheck permissions = registry.lookupByNameAndType("graphPermissionsCheck",
                GraphPermissionsCheck.class);
        bindTenants(context, props, permissions);
        Path stateDir = StateBinder.stateDir(props);
        registry.bind("graphCollectionItems", ConfiguredCollections.bind(context, props,
                registry.lookupByNameAndType("graphTenants", GraphTenants.class).baseUrl(GraphTenants.DEFAULT),
                StateStores.of(context).watermarks(stateDir), props.duration("graph.state.change-memory"),
                resource -> PollsBinder.pollHealth(props, resource, permissions), stateDir,
                props.integer("graph.dedup.max-entries")));
        bindSourceNames(registry);
        // Every poll of a tenant skips its ticks while Graph throttles that tenant.
        TenantPauses pauses = registry.lookupByNameAndType("graphTenants", GraphTenants.class).pauses();
        registry.findByType(CollectionPoller.class).forEach(poller -> poller.pausedBy(pauses));
        if (!props.apply("graph.tenants").orElse("").isBlank()) {
            // Several tenants: readiness over all of them, naming the failing ones (checks a host binds included).
            TenantReadiness readiness = new TenantReadiness(() -> registry.findByType(PollHealthCheck.class), pauses);
            registry.bind("graphTenantsHealth", readiness);
            context.addStartupListener((started, alreadyStarted) ->
                    registry.findByType(PollHealthCheck.class).forEach(check -> check.deferTo(readiness)));
        }
    }

    /**
     * Each further tenant with its own settings ({@code graph.tenant.<name>.*} over the {@code graph.*}
     * keys; {@code tenant-id} is its own), token provider, request budget, state directory (watermarks,
     * delivered versions), and poll routes of the template for alerts_v2, incidents and legacy alerts
     * (each with its switch, the default tenant's unless its own is set), on its own schedules; its
     * incidents give its own alerts their context, never another tenant's.
     */
    private static void bindTenants(CamelContext context, Props props, GraphPermissionsCheck permissions)
            throws Exception {
        Registry registry = context.getRegistry();
        GraphTenants tenants = registry.lookupByNameAndType("graphTenants", GraphTenants.class);
        IncidentContext incidentContext = registry.lookupByNameAndType("graphIncidentContext", IncidentContext.class);
        List<PollSettings> collections = List.of("graphAlertsPoller", "graphIncidentsPoller", "graphLegacyAlertsPoller")
                .stream().map(bean -> registry.lookupByNameAndType(bean, CollectionPoller.class).settings()).toList();
        PollRoutes routes = new PollRoutes();
        String[] listed = props.apply("graph.tenants").orElse("").split(",");
        // The default tenant keeps its schedule; the others sharing it are spread over its period.
        int count = 1 + (int) java.util.Arrays.stream(listed).filter(n -> !n.isBlank()).count();
        int index = 0;
        // Tenants naming the same trust store share its TLS context: CA certificates, no tenant's secret.
        Map<List<Object>, TrustMaterial> trusts = new HashMap<>();
        for (String raw : listed) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            index++;
            if (!name.matches("[a-z0-9][a-z0-9-]{0,40}") || name.equals(GraphTenants.DEFAULT)) {
                throw new IllegalStateException("graph.tenants: '" + name + "' is not a tenant name (lower-case"
                        + " letters, digits and '-'; not 'default')");
            }
            String prefix = "graph.tenant." + name + ".";
            if (props.apply(prefix + "tenant-id").isEmpty()) {
                throw new IllegalStateException(prefix + "tenant-id is missing: each tenant in graph.tenants needs its"
                        + " Entra tenant id (credentials, cloud and the rest default to the graph.* keys)");
            }
            Props own = props.forTenant(name);
            GraphSettings settings;
            try {
                settings = GraphSettings.from(own);
            } catch (RuntimeException e) {
                throw new IllegalStateException("tenant " + name + ": " + e.getMessage(), e);
            }
            TrustMaterial trust = trusts.computeIfAbsent(java.util.Arrays.asList(settings.trustStore().orElse(null),
                    settings.trustStorePassword()), k -> new TrustMaterial(settings.trustStore().orElse(null),
                    settings.trustStorePassword()));
            tenants.add(new GraphTenants.Tenant(name, settings, new GraphTokenProvider(settings, trust),
                    GraphAccessBinder.budget(own)));
            Path dir = StateBinder.stateDir(props).resolve("tenants").resolve(name);
            Watermarks watermarks = StateStores.of(context).watermarks(dir);
            incidentContext.forTenant(name, settings.graphBaseUrl(), own.flag("graph.incidents.enabled"));
            for (PollSettings collection : collections) {
                String c = collection.collection();
                if (c.equals("alerts")) {
                    // alerts_v2 is always read; a host that polls with its own instances of the template
                    // switches our routes off (the beans stay, its instances use them).
                    tenantPoll(context, routes, own, name, collection, settings, watermarks, dir, permissions,
                            own.flag("graph.alerts.poll.enabled") ? cron(props, name, c, index, count) : null);
                } else if (own.flag("graph." + c + ".enabled")) {
                    // Each other collection behind its switch, as for the default tenant.
                    tenantPoll(context, routes, own, name, collection, settings, watermarks, dir, permissions,
                            cron(props, name, c, index, count));
                }
            }
            SecureScoreBinder.bindTenant(context, routes, name, own, dir);
        }
        routes.makeAtStart(context);
    }

    /**
     * One collection polled for one further tenant: its poller (the tenant's Graph host, watermark
     * and version store under its state directory), health check and poll route
     * {@code graph-<collection>-poll-<name>} on {@code cron} (null: no route of ours).
     */
    private static void tenantPoll(CamelContext context, PollRoutes routes, Props own, String name, PollSettings poll,
                                   GraphSettings settings, Watermarks watermarks, Path dir,
                                   GraphPermissionsCheck permissions, String cron) throws Exception {
        String collection = poll.collection();
        StringBuilder bean = new StringBuilder("graph");
        for (String word : collection.split("-")) {
            bean.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        DeliveredVersions versions = PollsBinder.versions(context, own, dir, poll.resource());
        context.getRegistry().bind(bean + "Poller-" + name, PollsBinder.sweepingLag(new CollectionPoller(poll,
                settings.graphBaseUrl(), watermarks, versions, Clock.systemUTC()).forTenant(name)
                .readingOnly(PollsBinder.fieldsRead(poll)), own));
        context.getRegistry().bind(bean + "Health-" + name,
                PollsBinder.pollHealth(own, poll.resource() + "@" + name, permissions));
        if (cron == null) {
            return;
        }
        routes.add(new PollRoutes.Instance("graph-" + collection + "-poll-" + name, collection + "-" + name,
                cron, bean + "Poller-" + name, bean + "Health-" + name));
    }

    /**
     * The tenant's poll cron of a collection: its own {@code graph.tenant.<name>.<collection>.poll.cron},
     * or the shared one moved to its place among the {@code count} tenants ({@link CronSpread}).
     */
    private static String cron(Props props, String name, String collection, int index, int count) {
        String key = collection + ".poll.cron";
        return props.apply("graph.tenant." + name + "." + key)
                .orElseGet(() -> CronSpread.shift(props.required("graph." + key), index, count));
    }

    /**
     * The alerts source template (graph-poll-collection) finds a poller and its health check by
     * resource and tenant: graphPoller-alerts-default, graphHealth-incidents-default,
     * graphPoller-alerts-fabrikam, ... (the same beans under a second name).
     */
    private static void bindSourceNames(Registry registry) {
        Pattern named = Pattern.compile("graph(Alerts|Incidents|LegacyAlerts)(Poller|Health)(-(.+))?");
        Map<String, Object> beans = new HashMap<>(registry.findByTypeWithName(CollectionPoller.class));
        beans.putAll(registry.findByTypeWithName(PollHealthCheck.class));
        beans.forEach((name, bean) -> {
            Matcher m = named.matcher(name);
            if (m.matches()) {
                String resource = m.group(1).replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
                String tenant = m.group(4) == null ? GraphTenants.DEFAULT : m.group(4);
                registry.bind("graph" + m.group(2) + "-" + resource + "-" + tenant, bean);
            }
        });
    }
}
