package io.graphsec.routes;

import io.graphsec.routes.auth.GraphPermissionsCheck;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.auth.GraphTokenProvider;
import io.graphsec.routes.auth.TrustMaterial;
import io.graphsec.routes.config.GraphSettings;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.enrich.IncidentContext;
import io.graphsec.routes.graph.CollectionPoller;
import io.graphsec.routes.graph.CronSpread;
import io.graphsec.routes.graph.GraphIds;
import io.graphsec.routes.graph.PollRoutes;
import io.graphsec.routes.graph.PollSettings;
import io.graphsec.routes.health.PollHealthCheck;
import io.graphsec.routes.health.PollMetrics;
import io.graphsec.routes.securescore.SecureScoreBinder;
import io.graphsec.routes.state.DeliveredVersions;
import io.graphsec.routes.state.StateStores;
import io.graphsec.routes.state.Watermarks;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.spi.Registry;
import org.quartz.CronExpression;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * The further tenants of the deployment ({@code graph.tenants}): adds one, with its settings
 * ({@code graph.tenant.<name>.*} over the {@code graph.*} keys; {@code tenant-id} is its own), token
 * provider, request budget, state directory (watermarks, delivered versions), pollers, health checks
 * and poll routes of the template for alerts_v2, incidents and legacy alerts (each with its switch,
 * the default tenant's unless its own is set) and secure score, on its own schedules; and removes one
 * again. The same {@link #add} serves the start and a tenant added while the application runs
 * ({@link TenantsReload}), so a tenant added later is what it would have been at start. Its state
 * stays where it is on removal: added again, it reads on from its watermark.
 */
final class ServedTenants {

    /** What was made for a tenant, to be taken down again: its beans, routes and open stores. */
    private record Served(Map<String, String> keys, List<String> beans, List<String> routeIds,
                          List<AutoCloseable> stores) {
    }

    private final CamelContext context;
    // Tenants naming the same trust store share its TLS context: CA certificates, no tenant's secret.
    private final Map<List<Object>, TrustMaterial> trusts = new ConcurrentHashMap<>();
    private final GraphPermissionsCheck permissions;
    private final Map<String, Served> served = new ConcurrentHashMap<>();

    ServedTenants(CamelContext context, GraphPermissionsCheck permissions) {
        this.context = context;
        this.permissions = permissions;
    }

    /** The names of the further tenants served now. */
    Set<String> names() {
        return Set.copyOf(served.keySet());
    }

    /** The keys of its tenants file tenant {@code name} was added with (empty without a file). */
    Map<String, String> keysOf(String name) {
        Served s = served.get(name);
        return s == null ? Map.of() : s.keys();
    }

    /**
     * Binds tenant {@code name}, the {@code index}th of the {@code count} tenants sharing a schedule
     * ({@link CronSpread}), and adds its routes to {@code routes}. A bad entry (a name, a missing
     * tenant id, a setting or cron that does not read) throws naming the key and the problem before
     * anything of the tenant is bound.
     */
    void add(Props props, String name, int index, int count, PollRoutes routes, Map<String, String> keys)
            throws Exception {
        if (!name.matches("[a-z0-9][a-z0-9-]{0,40}") || name.equals(GraphTenants.DEFAULT)) {
            throw new IllegalStateException("graph.tenants: " + GraphIds.quote(name) + " is not a tenant name"
                    + " (lower-case letters, digits and '-'; not 'default')");
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
        Registry registry = context.getRegistry();
        List<PollSettings> collections = List.of("graphAlertsPoller", "graphIncidentsPoller", "graphLegacyAlertsPoller")
                .stream().map(bean -> registry.lookupByNameAndType(bean, CollectionPoller.class).settings()).toList();
        Map<String, String> crons = new LinkedHashMap<>();
        for (PollSettings collection : collections) {
            String c = collection.collection();
            // alerts_v2 is always read; a host that polls with its own instances of the template
            // switches our routes off (the beans stay, its instances use them). Each other collection
            // is behind its switch, as for the default tenant.
            boolean polled = c.equals("alerts") ? own.flag("graph.alerts.poll.enabled") : own.flag("graph." + c + ".enabled");
            if (polled || c.equals("alerts")) {
                crons.put(c, polled ? cron(props, name, c, index, count) : null);
            }
        }
        Served tenant = new Served(Map.copyOf(keys), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        served.put(name, tenant);
        PollRoutes ownRoutes = new PollRoutes();
        try {
            TrustMaterial trust = trusts.computeIfAbsent(Arrays.asList(settings.trustStore().orElse(null),
                    settings.trustStorePassword()), k -> new TrustMaterial(settings.trustStore().orElse(null),
                    settings.trustStorePassword()));
            registry.lookupByNameAndType("graphTenants", GraphTenants.class).add(new GraphTenants.Tenant(name, settings,
                    new GraphTokenProvider(settings, trust), GraphAccessBinder.budget(context, own, settings)));
            Path dir = StateBinder.stateDir(props).resolve("tenants").resolve(name);
            Watermarks watermarks = StateStores.of(context).watermarks(dir);
            registry.lookupByNameAndType("graphIncidentContext", IncidentContext.class)
                    .forTenant(name, settings.graphBaseUrl(), own.flag("graph.incidents.enabled"));
            for (PollSettings collection : collections) {
                if (crons.containsKey(collection.collection())) {
                    tenantPoll(tenant, ownRoutes, own, name, collection, settings, watermarks, dir,
                            crons.get(collection.collection()));
                }
            }
            SecureScoreBinder.bindTenant(context, ownRoutes, name, own, dir).ifPresent(tenant.beans()::add);
            tenant.routeIds().addAll(ownRoutes.routeIds());
        } catch (Exception | LinkageError e) {
            remove(name);
            throw e;
        }
        routes.addAll(ownRoutes);
    }

    /**
     * Adds tenant {@code name} while the application runs: as at start ({@link #add}), then its checks
     * join readiness and its routes are made and started; the other tenants' routes run on untouched.
     */
    void addNow(Props props, String name, int index, int count, Map<String, String> keys) throws Exception {
        PollRoutes routes = new PollRoutes();
        add(props, name, index, count, routes, keys);
        try {
            for (String bean : served.get(name).beans()) {
                if (context.getRegistry().lookupByName(bean) instanceof PollHealthCheck check) {
                    HealthBinder.adopt(context, check);
                }
            }
            routes.makeNow(context);
        } catch (Exception | LinkageError e) {
            remove(name);
            throw e;
        }
    }

    /**
     * Takes tenant {@code name} down: stops and removes its routes (a poll in progress finishes first),
     * unbinds its pollers and health checks, closes its stores and drops its meters and its token and
     * budget. Its state directory stays.
     */
    void remove(String name) throws Exception {
        Served tenant = served.remove(name);
        if (tenant == null) {
            return;
        }
        for (String routeId : tenant.routeIds()) {
            Route route = context.getRoute(routeId);
            if (route != null) {
                context.getRouteController().stopRoute(routeId);
                // Out of the shared store before the route goes: a tick fired here meanwhile finds the stopped
                // route's endpoint and does nothing, where without the route camel-quartz would make a new
                // endpoint, whose start schedules the job again once it is out of the store.
                if (route.getEndpoint() instanceof QuartzEndpoint schedule) {
                    unscheduleShared(schedule);
                }
                context.removeRoute(routeId);
            }
        }
        tenant.beans().forEach(context.getRegistry()::unbind);
        for (AutoCloseable store : tenant.stores()) {
            store.close();
        }
        context.getRegistry().lookupByNameAndType("graphTenants", GraphTenants.class).remove(name);
        PollMetrics metrics = context.getRegistry().lookupByNameAndType("graphPollMetrics", PollMetrics.class);
        if (metrics != null) {
            metrics.forget(context, name);
        }
    }

    /**
     * A clustered job store keeps a job when its route stops, since another instance may still run it;
     * a tenant taken out of the tenants file leaves every instance, so its jobs go from the shared store
     * too, or they would fire on some instance at each tick for good, with nothing to run.
     */
    private static void unscheduleShared(QuartzEndpoint schedule) throws SchedulerException {
        Scheduler scheduler = schedule.getComponent().getScheduler();
        if (scheduler != null && !scheduler.isShutdown() && scheduler.getMetaData().isJobStoreClustered()) {
            scheduler.unscheduleJob(schedule.getTriggerKey());
        }
    }

    /**
     * One collection polled for the tenant: its poller (the tenant's Graph host, watermark and version
     * store under its state directory), health check and poll route {@code graph-<collection>-poll-<name>}
     * on {@code cron} (null: no route of ours). The poller and check are bound under two names: the
     * template's for the resource and tenant ({@code graphPoller-alerts-<name>}) and the bean's.
     */
    private void tenantPoll(Served tenant, PollRoutes routes, Props own, String name, PollSettings poll,
                            GraphSettings settings, Watermarks watermarks, Path dir, String cron) throws Exception {
        String collection = poll.collection();
        StringBuilder bean = new StringBuilder("graph");
        for (String word : collection.split("-")) {
            bean.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        DeliveredVersions versions = PollsBinder.versions(context, own, dir, poll.resource());
        tenant.stores().add(versions);
        CollectionPoller poller = PollsBinder.sweepingLag(new CollectionPoller(poll, settings.graphBaseUrl(), watermarks,
                versions, Clock.systemUTC()).forTenant(name).readingOnly(PollsBinder.fieldsRead(poll)), own)
                .pausedBy(context.getRegistry().lookupByNameAndType("graphTenants", GraphTenants.class).pauses());
        PollHealthCheck health = PollsBinder.pollHealth(own, poll.resource() + "@" + name, permissions);
        bind(tenant, bean + "Poller-" + name, poller);
        bind(tenant, "graphPoller-" + collection + "-" + name, poller);
        bind(tenant, bean + "Health-" + name, health);
        bind(tenant, "graphHealth-" + collection + "-" + name, health);
        if (cron == null) {
            return;
        }
        routes.add(new PollRoutes.Instance("graph-" + collection + "-poll-" + name, collection + "-" + name,
                cron, bean + "Poller-" + name, bean + "Health-" + name));
    }

    private void bind(Served tenant, String name, Object bean) {
        context.getRegistry().bind(name, bean);
        tenant.beans().add(name);
    }

    /**
     * The tenant's poll cron of a collection: its own {@code graph.tenant.<name>.<collection>.poll.cron},
     * or the shared one moved to its place among the {@code count} tenants ({@link CronSpread}). Checked
     * here, so that a cron that does not read is refused with its key rather than when its route starts.
     */
    private static String cron(Props props, String name, String collection, int index, int count) {
        String own = "graph.tenant." + name + "." + collection + ".poll.cron";
        String shared = "graph." + collection + ".poll.cron";
        String key = props.apply(own).isPresent() ? own : shared;
        String cron = props.apply(own).orElseGet(() -> CronSpread.shift(props.required(shared), index, count));
        if (!CronExpression.isValidExpression(cron)) {
            throw new IllegalStateException(key + "=" + GraphIds.quote(cron) + " is not a Quartz cron expression"
                    + " (e.g. 0/30 * * * * ?)");
        }
        return cron;
    }
}
