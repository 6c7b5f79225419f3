package io.graphsec.routes;

import io.graphsec.routes.auth.GraphPermissionsCheck;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.config.ConfigFiles;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.config.TenantsFile;
import io.graphsec.routes.graph.CollectionPoller;
import io.graphsec.routes.graph.ConfiguredCollections;
import io.graphsec.routes.graph.PollRoutes;
import io.graphsec.routes.graph.TenantPauses;
import io.graphsec.routes.health.PollHealthCheck;
import io.graphsec.routes.health.TenantReadiness;
import io.graphsec.routes.state.StateStores;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The polls beyond the default tenant's three: further tenants of the deployment
 * ({@code graph.tenants = a,b}, {@link ServedTenants}; kept in step with the tenants file while the
 * application runs, {@link TenantsReload}) and the other collections of {@code graph.collections.*};
 * then the names by which the poll template finds every poller and health check.
 */
final class TenantsBinder {

    private TenantsBinder() {
    }

    static void bind(CamelContext context, Props props) throws Exception {
        Registry registry = context.getRegistry();
        GraphPermissionsCheck permissions = registry.lookupByNameAndType("graphPermissionsCheck",
                GraphPermissionsCheck.class);
        // The tenants are in application.properties, or in a tenants file the running application reads again.
        Optional<Path> file = TenantsFile.configured(ConfigFiles.of(context, props), props);
        TenantsFile tenantsFile = file.map(TenantsReload::read).orElse(null);
        ServedTenants served = new ServedTenants(context, permissions);
        List<String> names = bindTenants(context, props, served, tenantsFile);
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
        if (!names.isEmpty() || tenantsFile != null) {
            // Several tenants: readiness over all of them, naming the failing ones (checks a host binds
            // and tenants added later included: HealthBinder.adopt).
            registry.bind("graphTenantsHealth",
                    new TenantReadiness(() -> registry.findByType(PollHealthCheck.class), pauses));
        }
        if (tenantsFile != null) {
            TenantsReload.start(context, props, served, tenantsFile);
        }
    }

    /**
     * Each further tenant of {@code graph.tenants} (the tenants file's, if there is one), its routes
     * made as the context initializes. The default tenant keeps its schedule; the others sharing it
     * are spread over its period. Any bad entry stops the start. The names bound.
     */
    private static List<String> bindTenants(CamelContext context, Props props, ServedTenants served, TenantsFile file)
            throws Exception {
        Props tenantProps = file == null ? props : file.over(props);
        List<String> names = TenantsFile.listed(tenantProps);
        PollRoutes routes = new PollRoutes();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            served.add(tenantProps, name, i + 1, 1 + names.size(), routes, file == null ? Map.of() : file.keysOf(name));
        }
        routes.makeAtStart(context);
        return names;
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
