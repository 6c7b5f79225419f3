package io.graphsec.routes;

import io.graphsec.routes.auth.GraphPermissionsCheck;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.auth.GraphTokenProvider;
import io.graphsec.routes.auth.RenewTokenOnUnauthorized;
import io.graphsec.routes.auth.TrustMaterial;
import io.graphsec.routes.broker.BrokerCredentials;
import io.graphsec.routes.broker.EmbeddedBroker;
import io.graphsec.routes.config.GraphSettings;
import io.graphsec.routes.enrich.AlertEnricher;
import io.graphsec.routes.enrich.IncidentContext;
import io.graphsec.routes.enrich.IncidentEnricher;
import io.graphsec.routes.enrich.LegacyAlertEnricher;
import io.graphsec.routes.feedback.FeedbackAudit;
import io.graphsec.routes.feedback.FeedbackPlanner;
import io.graphsec.routes.feedback.FeedbackValidator;
import io.graphsec.routes.feedback.TicketFeedbackMapper;
import io.graphsec.routes.feedback.TicketOwnership;
import io.graphsec.routes.feedback.WebhookAuthenticator;
import io.graphsec.routes.feedback.WebhookRateLimit;
import io.graphsec.routes.graph.CollectionPoller;
import io.graphsec.routes.graph.ConfiguredCollections;
import io.graphsec.routes.graph.DropExpandOnServerError;
import io.graphsec.routes.graph.IncidentAlertsReader;
import io.graphsec.routes.graph.ItemFields;
import io.graphsec.routes.graph.GraphRateBudget;
import io.graphsec.routes.graph.GraphRequestGuard;
import io.graphsec.routes.graph.PollRoutes;
import io.graphsec.routes.graph.PollSettings;
import io.graphsec.routes.graph.PageReadAhead;
import io.graphsec.routes.graph.PolledItems;
import io.graphsec.routes.graph.RetryAfterDelay;
import io.graphsec.routes.graph.RetryPermit;
import io.graphsec.routes.health.BrokerHealthCheck;
import io.graphsec.routes.health.PollCompletions;
import io.graphsec.routes.health.PollHealthCheck;
import io.graphsec.routes.health.PollMetrics;
import io.graphsec.routes.health.UnmeteredRoutes;
import io.graphsec.routes.simulator.DemoTimeline;
import io.graphsec.routes.simulator.GraphSimulator;
import io.graphsec.routes.state.DeliveredVersions;
import io.graphsec.routes.state.StateStores;
import io.graphsec.routes.state.TicketCorrelations;
import io.graphsec.routes.state.Watermarks;
import io.graphsec.routes.state.jdbc.JdbcStateStores;
import io.graphsec.routes.state.jdbc.QuartzCluster;
import io.graphsec.routes.state.jdbc.StateDatabase;
import jakarta.jms.ConnectionFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.JmsHeaderFilterStrategy;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.ExpressionAdapter;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceSupport;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.jms.connection.JmsTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Binds every bean the routes refer to, from the {@code graph.*} properties. Camel Main calls it
 * through {@link GraphSecurityConfiguration}; a host application embedding the routes calls
 * {@link #bind(CamelContext)} itself before loading routes/*.camel.yaml. Bean names start with
 * {@code graph} so they do not clash with a host's.
 */
public final class GraphSecurityBeans {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GraphSecurityBeans.class);

    private GraphSecurityBeans() {
    }

    /**
     * For a host application, once its own properties are in place: each {@code graph.*} key of our
     * application.properties (in the jar, as graph-security/application.properties) that the host
     * does not set becomes a property of lowest priority. Only those: Camel Spring Boot asks the
     * Spring environment after Camel's own properties, so a default added for a key Spring has would
     * hide the host's value. The {@code camel.*} keys are left out: they would configure the host's Camel.
     */
    public static void addDefaults(CamelContext context) throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context,
                "classpath:graph-security/application.properties")) {
            defaults.load(in);
        }
        defaults.stringPropertyNames().stream()
                .filter(key -> key.startsWith("graph.") && context.getPropertiesComponent().resolveProperty(key).isEmpty())
                .forEach(key -> context.getPropertiesComponent().addInitialProperty(key, defaults.getProperty(key)));
    }

    /**
     * A bean method the routes call for every alert, as an expression (or predicate) for the ref
     * language, which calls it directly: the method language copies the exchange before each call
     * (10 % of the poll thread for four such calls; docs/performance.md, session 6).
     */
    private static Expression perAlert(Function<Exchange, Object> method) {
        return new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                return method.apply(exchange);
            }
        };
    }

    public static void bind(CamelContext context) throws Exception {
        Function<String, Optional<String>> props = key -> context.getPropertiesComponent().resolveProperty(key)
                .map(String::trim).filter(v -> !v.isEmpty());
        Registry registry = context.getRegistry();

        if (flag(props, "graph.simulator.enabled", false)) {
            startDemoSimulator(context, props);
        }
        // With several instances each poll runs on one of them: every health check of a poll reads the
        // group's completions, whichever instance bound it (checks bound later by a host included).
        context.addStartupListener((started, alreadyStarted) -> {
            PollCompletions completions = StateStores.of(started).pollCompletions();
            started.getRegistry().findByType(PollHealthCheck.class).forEach(check -> check.shareWith(completions));
        });

        context.addLifecycleStrategy(new UnmeteredRoutes(props.apply("graph.metrics.unmetered-routes").orElse("")));

        GraphSettings settings = GraphSettings.from(props);
        // Routes say {{graph.base-url}}; make it the value the settings derived from graph.cloud.
        context.getPropertiesComponent().addOverrideProperty("graph.base-url", settings.graphBaseUrl());

        TrustMaterial trust = new TrustMaterial(settings.trustStore().orElse(null), settings.trustStorePassword());
        GraphTokenProvider tokens = new GraphTokenProvider(settings, trust);
        registry.bind("graphSslContext", trust.camelParameters());
        registry.bind("graphTokenProvider", tokens);
        whileRoutesInitialise(context, tokens::prefetch);

        java.util.Set<String> switchedOff = new java.util.HashSet<>();
        if (!flag(props, "graph.incidents.enabled", true)) {
            switchedOff.add("polling incidents");
        }
        if (!flag(props, "graph.legacy-alerts.enabled", false)) {
            switchedOff.add("polling legacy_alerts");
        }
        if (!flag(props, "graph.secure-score.enabled", false)) {
            switchedOff.add("snapshot of secure score");
        }
        if (!flag(props, "graph.hunting.enabled", false)) {
            switchedOff.add("scheduled hunting");
        }
        GraphPermissionsCheck permissions = new GraphPermissionsCheck(tokens, switchedOff);
        registry.bind("graphPermissionsCheck", permissions);
        registry.bind("graphSecurityApiCheck", new io.graphsec.routes.auth.SecurityApiCheck());
        // Health checks bound as beans are found by Camel's health-check registry (camel.health.enabled).
        registry.bind("graphAlertsHealth", pollHealth(props, "alerts_v2", permissions));
        GraphRateBudget budget = new GraphRateBudget(integer(props, "graph.rate.requests-per-period", 4),
                duration(props, "graph.rate.period", "PT2S"), duration(props, "graph.rate.max-wait", "PT5M"));
        registry.bind("graphRateBudget", budget);
        GraphTenants tenants = new GraphTenants(new GraphTenants.Tenant(GraphTenants.DEFAULT, settings, tokens, budget));
        registry.bind("graphTenants", tenants);
        GraphRequestGuard requestGuard = new GraphRequestGuard(tenants::graphBaseUrls);
        registry.bind("graphRequestGuard", requestGuard);
        registry.bind("graphRenewToken", new RenewTokenOnUnauthorized(tenants));
        PollMetrics metrics = new PollMetrics(Clock.systemUTC());
        registry.bind("graphPollMetrics", metrics);
        registry.bind("graphRetryPermit", new RetryPermit(budget, metrics));
        registry.bind("graphRetryAfter", new RetryAfterDelay(duration(props, "graph.http.max-retry-after", "PT5M"),
                metrics::throttled));

        Path stateDir = Path.of(props.apply("graph.state.dir").orElse("data/state"));
        StateStores stores = stateStores(context, props, stateDir);
        registry.bind(StateStores.BEAN, stores);
        Watermarks watermarks = stores.watermarks(stateDir);
        Duration changeMemory = duration(props, "graph.state.change-memory", "P30D");
        DeliveredVersions alertVersions = stores.versions(stateDir, "alerts_v2",
                integer(props, "graph.dedup.max-entries", 500_000));
        context.addService(new Closer(alertVersions::close), true, true);
        PollSettings alerts = new PollSettings("alerts_v2", "/v1.0/security/alerts_v2", "lastUpdateDateTime",
                integer(props, "graph.alerts.page-size", 500),
                duration(props, "graph.alerts.lag", "PT10M"),
                duration(props, "graph.alerts.initial-lookback", "P1D"), "",
                integer(props, "graph.alerts.max-window-alerts", 20_000), changeMemory, "alerts", "alerts", "", 0, true);
        PolledItems polledItems = new PolledItems();
        registry.bind("graphNewVersion", perAlert(e -> polledItems.isNew(e.getIn().getBody(JsonNode.class), e)));
        PageReadAhead readAhead = new PageReadAhead(context, tenants, requestGuard, "{{graph.base-url}}?sslContextParameters=#graphSslContext",
                flag(props, "graph.poll.read-ahead", true));
        context.addService(readAhead, true, true);
        registry.bind("graphPageReadAhead", readAhead);
        registry.bind("graphAlertsPoller",
                new CollectionPoller(alerts, settings.graphBaseUrl(), watermarks, alertVersions, Clock.systemUTC())
                        .readingOnly(fieldsRead(alerts)));
        String portal = props.apply("graph.portal-url").orElse("https://security.microsoft.com");
        AlertEnricher alertEnricher = new AlertEnricher(portal);
        registry.bind("graphAlertEnricher", alertEnricher);
        registry.bind("graphDuplicateId", perAlert(alertEnricher::duplicateIdOf));
        registry.bind("graphMessageGroup", perAlert(alertEnricher::groupOf));
        PollSettings incidents = bindIncidents(context, props, settings, watermarks, changeMemory, permissions, portal);
        registry.bind("graphDropExpand", new DropExpandOnServerError());
        PollSettings legacy = bindLegacyAlerts(context, props, settings, watermarks, changeMemory, permissions);
        bindTenants(context, props, tenants, List.of(alerts, incidents, legacy), stateDir, permissions);
        registry.bind("graphCollectionItems", ConfiguredCollections.bind(context, props, settings.graphBaseUrl(),
                watermarks, changeMemory, permissions, duration(props, "graph.health.max-poll-age", "PT5M"), stateDir,
                integer(props, "graph.dedup.max-entries", 500_000)));

        registry.bind("graphFeedbackValidator", new FeedbackValidator(
                name -> tenants.require(name, "tenant").settings().graphBaseUrl()));
        registry.bind("graphFeedbackPlanner",
                new FeedbackPlanner(props.apply("graph.feedback.conflict-policy").orElse("reject")));
        registry.bind("graphFeedbackAudit", new FeedbackAudit(Clock.systemUTC()));
        bindWebhook(registry, props, tenants, stores.tickets(stateDir));
        registry.bind("graphTextMessagesOnly", new io.graphsec.routes.broker.TextMessagesOnly());

        // Off unless asked (application.properties asks, for the standalone app), and never beside a host's own
        // connection factory, which the routes would use instead.
        BrokerCredentials embedded = null;
        if (flag(props, "graph.broker.embedded.enabled", false) && hostConnectionFactory(context) == null) {
            Path brokerData = Path.of(props.apply("graph.broker.embedded.data-dir").orElse("data/broker"));
            embedded = BrokerCredentials.resolve(brokerData, props.apply("graph.broker.embedded.user").orElse("graph"),
                    props.apply("graph.broker.embedded.password").orElse(null));
            EmbeddedBroker broker = new EmbeddedBroker(brokerData,
                    props.apply("graph.broker.embedded.host").orElse("127.0.0.1"),
                    integer(props, "graph.broker.embedded.port", 61616), "0",
                    props.apply("graph.broker.embedded.global-max-size").map(Long::parseLong).orElse(-1L), embedded)
                    .idCacheSize(brokerIdCacheSize(props));
            context.addService(broker, true, true);
            whileRoutesInitialise(context, broker::beginStart);
        }
        io.graphsec.routes.ticketing.TicketingBinder.bind(context, props);
        io.graphsec.routes.securescore.SecureScoreBeans.bind(context, props);
        io.graphsec.routes.hunting.HuntingBeans.bind(context, props);
        bindJms(context, props, embedded);
        io.graphsec.routes.mail.GraphMailBeans.bind(context, props);
        bindSourceNames(registry);
    }

    /** The ticketing webhook's gatekeepers, in the order the routes call them (docs/security.md, "The feedback webhook"). */
    private static void bindWebhook(Registry registry, Function<String, Optional<String>> props, GraphTenants tenants,
                                    TicketCorrelations tickets) {
        registry.bind("graphWebhookRateLimit", new WebhookRateLimit(integer(props, "graph.webhook.rate.calls-per-period", 30),
                duration(props, "graph.webhook.rate.period", "PT1M"), integer(props, "graph.webhook.rate.max-sources", 10_000)));
        registry.bind("graphWebhookAuthenticator", new WebhookAuthenticator(
                props.apply("graph.webhook.hmac-secret").orElse(null),
                props.apply("graph.webhook.bearer-token").orElse(null),
                duration(props, "graph.webhook.signature-window", "PT5M"),
                integer(props, "graph.webhook.replay-cache-size", 100_000), Clock.systemUTC()));
        registry.bind("graphTicketFeedbackMapper", new TicketFeedbackMapper(
                Path.of(props.apply("graph.webhook.mapping-file").orElse("routes/ticket-feedback-mapping.yaml")),
                tenants.all().keySet().stream().filter(n -> !n.equals(GraphTenants.DEFAULT)).toList()));
        TicketOwnership ownership = new TicketOwnership(tickets, List.copyOf(tenants.all().keySet()),
                flag(props, "graph.webhook.verify-ticket-owner", true));
        registry.bind("graphTicketOwnership", ownership);
        if (flag(props, "graph.webhook.enabled", false) && !ownership.verifies()) {
            LOG.warn("graph.webhook.verify-ticket-owner=false: the ticketing webhook acts on whatever alert, incident and"
                    + " tenant a signed ticket names, without checking this app opened that ticket for it; anyone who can"
                    + " edit those ticket fields can change any alert of any tenant. Keep it off only while another"
                    + " integration opens the tickets.");
        }
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

    /**
     * Begins work the first poll waits for (the broker's journal, the first token) once binding is done
     * and Camel starts initialising the routes, which takes a second or more: the two overlap instead of
     * adding up (docs/performance.md, start-up). A host whose context is already initialised skips this.
     */
    private static void whileRoutesInitialise(CamelContext context, Runnable task) {
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextInitializing(CamelContext initialising) {
                task.run();
            }
        });
    }

    /**
     * The incidents poll (same mechanism as alerts, its own watermark and version store), the
     * incident context alerts are enriched with, and the reading of an incident's alerts when
     * Graph refuses {@code $expand}. Returns the incidents' poll settings, which other tenants share.
     */
    private static PollSettings bindIncidents(CamelContext context, Function<String, Optional<String>> props,
                                      GraphSettings settings, Watermarks watermarks, Duration changeMemory,
                                      GraphPermissionsCheck permissions, String portal) throws Exception {
        Registry registry = context.getRegistry();
        boolean enabled = flag(props, "graph.incidents.enabled", true);
        int pageSize = integer(props, "graph.incidents.page-size", 50);
        if (pageSize > 50) {
            throw new IllegalStateException("graph.incidents.page-size=" + pageSize
                    + " is above 50, the most Graph accepts as $top on /security/incidents");
        }
        String expand = props.apply("graph.incidents.expand").orElse("");
        DeliveredVersions versions = StateStores.of(context).versions(
                Path.of(props.apply("graph.state.dir").orElse("data/state")), "incidents",
                integer(props, "graph.dedup.max-entries", 500_000));
        context.addService(new Closer(versions::close), true, true);
        PollSettings incidents = new PollSettings("incidents", "/v1.0/security/incidents", "lastUpdateDateTime",
                pageSize, duration(props, "graph.alerts.lag", "PT10M"),
                duration(props, "graph.alerts.initial-lookback", "P1D"),
                expand.isEmpty() ? "" : "$expand=" + expand,
                integer(props, "graph.alerts.max-window-alerts", 20_000), changeMemory, "incidents", "incidents", "", 0, true);
        registry.bind("graphIncidentsPoller",
                new CollectionPoller(incidents, settings.graphBaseUrl(), watermarks, versions, Clock.systemUTC()));
        PollHealthCheck health = pollHealth(props, "incidents", permissions);
        if (!enabled) {
            health.switchOff();
        }
        registry.bind("graphIncidentsHealth", health);
        IncidentContext incidentContext = new IncidentContext(settings.graphBaseUrl(), enabled,
                duration(props, "graph.incidents.cache-ttl", "PT10M"), 10_000, Clock.systemUTC());
        registry.bind("graphIncidentContext", incidentContext);
        registry.bind("graphIncidentLookupNeeded", perAlert(incidentContext::needsLookup));
        registry.bind("graphIncidentEnricher", new IncidentEnricher(portal, incidentContext));
        registry.bind("graphIncidentAlerts", new IncidentAlertsReader());
        return incidents;
    }

    /**
     * Further tenants of the deployment ({@code graph.tenants = a,b}): each with its own settings
     * ({@code graph.tenant.<name>.*} over the {@code graph.*} keys; {@code tenant-id} is its own),
     * token provider, request budget, state directory (watermarks, delivered versions), and poll
     * routes of the template for alerts_v2, incidents and legacy alerts (each with its switch, the
     * default tenant's unless its own is set), on its own schedules; its incidents give its own
     * alerts their context, never another tenant's.
     */
    private static void bindTenants(CamelContext context, Function<String, Optional<String>> props,
                                    GraphTenants tenants, List<PollSettings> collections, Path stateDir,
                                    GraphPermissionsCheck permissions) throws Exception {
        IncidentContext incidentContext = context.getRegistry().lookupByNameAndType("graphIncidentContext",
                IncidentContext.class);
        String list = props.apply("graph.tenants").orElse("");
        PollRoutes routes = new PollRoutes();
        for (String raw : list.split(",")) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!name.matches("[a-z0-9][a-z0-9-]{0,40}") || name.equals(GraphTenants.DEFAULT)) {
                throw new IllegalStateException("graph.tenants: '" + name + "' is not a tenant name (lower-case"
                        + " letters, digits and '-'; not 'default')");
            }
            String prefix = "graph.tenant." + name + ".";
            if (props.apply(prefix + "tenant-id").isEmpty()) {
                throw new IllegalStateException(prefix + "tenant-id is missing: each tenant in graph.tenants needs its"
                        + " Entra tenant id (credentials, cloud and the rest default to the graph.* keys)");
            }
            Function<String, Optional<String>> own = key -> key.startsWith("graph.")
                    ? props.apply(prefix + key.substring("graph.".length())).or(() -> props.apply(key)) : props.apply(key);
            GraphSettings settings;
            try {
                settings = GraphSettings.from(own);
            } catch (RuntimeException e) {
                throw new IllegalStateException("tenant " + name + ": " + e.getMessage(), e);
            }
            TrustMaterial trust = new TrustMaterial(settings.trustStore().orElse(null), settings.trustStorePassword());
            GraphRateBudget budget = new GraphRateBudget(integer(own, "graph.rate.requests-per-period", 4),
                    duration(own, "graph.rate.period", "PT2S"), duration(own, "graph.rate.max-wait", "PT5M"));
            tenants.add(new GraphTenants.Tenant(name, settings, new GraphTokenProvider(settings, trust), budget));
            Path dir = stateDir.resolve("tenants").resolve(name);
            Watermarks watermarks = StateStores.of(context).watermarks(dir);
            incidentContext.forTenant(name, settings.graphBaseUrl(), flag(own, "graph.incidents.enabled", true));
            for (PollSettings collection : collections) {
                String c = collection.collection();
                if (c.equals("alerts")) {
                    // alerts_v2 is always read; a host that polls with its own instances of the template
                    // switches our routes off (the beans stay, its instances use them).
                    tenantPoll(context, routes, own, name, collection, settings, watermarks, dir, permissions,
                            flag(own, "graph.alerts.poll.enabled", true));
                } else if (flag(own, "graph." + c + ".enabled", !c.equals("legacy-alerts"))) {
                    // Each other collection behind its switch, as for the default tenant.
                    tenantPoll(context, routes, own, name, collection, settings, watermarks, dir, permissions, true);
                }
            }
            io.graphsec.routes.securescore.SecureScoreBeans.bindTenant(context, routes, name, own, dir);
        }
        routes.makeAtStart(context);
    }

    /**
     * The fields of an item the collection's enrich flow reads: alerts_v2's enricher reads a few, the
     * other enrichers (incidents get their alerts added, collections are passed through) whole items.
     */
    private static ItemFields fieldsRead(PollSettings poll) {
        return poll.collection().equals("alerts") ? AlertEnricher.FIELDS_READ : ItemFields.WHOLE;
    }

    /**
     * One collection polled for one further tenant: its poller (the tenant's Graph host, watermark
     * and version store under its state directory), health check and poll route
     * {@code graph-<collection>-poll-<name>} on {@code graph.tenant.<name>.<collection>.poll.cron}.
     */
    private static void tenantPoll(CamelContext context, PollRoutes routes, Function<String, Optional<String>> own,
                                   String name, PollSettings poll, GraphSettings settings, Watermarks watermarks,
                                   Path dir, GraphPermissionsCheck permissions, boolean makeRoute) throws Exception {
        String collection = poll.collection();
        StringBuilder bean = new StringBuilder("graph");
        for (String word : collection.split("-")) {
            bean.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        DeliveredVersions versions = StateStores.of(context).versions(dir, poll.resource(),
                integer(own, "graph.dedup.max-entries", 500_000));
        context.addService(new Closer(versions::close), true, true);
        context.getRegistry().bind(bean + "Poller-" + name, new CollectionPoller(poll, settings.graphBaseUrl(), watermarks,
                versions, Clock.systemUTC()).forTenant(name).readingOnly(fieldsRead(poll)));
        context.getRegistry().bind(bean + "Health-" + name, pollHealth(own, poll.resource() + "@" + name, permissions));
        if (!makeRoute) {
            return;
        }
        String cron = "graph." + collection + ".poll.cron";
        routes.add(new PollRoutes.Instance("graph-" + collection + "-poll-" + name, collection + "-" + name,
                own.apply(cron).orElseThrow(() -> new IllegalStateException(cron + " is missing")),
                bean + "Poller-" + name, bean + "Health-" + name));
    }

    /**
     * The legacy /security/alerts poll: the same poller with the legacy collection's settings
     * (lastModifiedDateTime, $skip at most 500, an optional extra filter), routed as alerts are.
     */
    private static PollSettings bindLegacyAlerts(CamelContext context, Function<String, Optional<String>> props,
                                         GraphSettings settings, Watermarks watermarks, Duration changeMemory,
                                         GraphPermissionsCheck permissions) throws Exception {
        Registry registry = context.getRegistry();
        boolean enabled = flag(props, "graph.legacy-alerts.enabled", false);
        int pageSize = integer(props, "graph.legacy-alerts.page-size", 100);
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalStateException("graph.legacy-alerts.page-size=" + pageSize
                    + " is outside 1..1000, what Graph accepts as $top on /security/alerts");
        }
        DeliveredVersions versions = StateStores.of(context).versions(
                Path.of(props.apply("graph.state.dir").orElse("data/state")), "legacy_alerts",
                integer(props, "graph.dedup.max-entries", 500_000));
        context.addService(new Closer(versions::close), true, true);
        PollSettings legacy = new PollSettings("legacy_alerts", "/v1.0/security/alerts", "lastModifiedDateTime",
                pageSize, duration(props, "graph.alerts.lag", "PT10M"),
                duration(props, "graph.alerts.initial-lookback", "P1D"), "",
                integer(props, "graph.alerts.max-window-alerts", 20_000), changeMemory, "legacy-alerts", "alerts",
                props.apply("graph.legacy-alerts.filter").orElse(""), 500, true);
        registry.bind("graphLegacyAlertsPoller",
                new CollectionPoller(legacy, settings.graphBaseUrl(), watermarks, versions, Clock.systemUTC()));
        PollHealthCheck health = pollHealth(props, "legacy_alerts", permissions);
        if (!enabled) {
            health.switchOff();
        } else {
            LOG.warn("Polling the legacy /security/alerts API: Microsoft has deprecated it and announced it stops"
                    + " returning data on October 15, 2026 (the date has moved before). Move the route to alerts_v2:"
                    + " README, \"Moving off legacy alerts\".");
        }
        registry.bind("graphLegacyAlertsHealth", health);
        registry.bind("graphLegacyAlertEnricher", new LegacyAlertEnricher());
        return legacy;
    }

    /**
     * The files under graph.state.dir (one instance), or PostgreSQL shared by several instances
     * (graph.state.store=jdbc), which then also holds Quartz's clustered job store.
     */
    /** The readiness check of one poll, DOWN after graph.health.max-poll-age without a completed poll. */
    private static PollHealthCheck pollHealth(Function<String, Optional<String>> props, String resource,
                                              GraphPermissionsCheck permissions) {
        return new PollHealthCheck(resource, duration(props, "graph.health.max-poll-age", "PT5M"), permissions,
                Clock.systemUTC());
    }

    private static StateStores stateStores(CamelContext context, Function<String, Optional<String>> props,
                                           Path stateDir) throws Exception {
        String kind = props.apply("graph.state.store").orElse("file");
        if (kind.equals("file")) {
            return StateStores.files();
        }
        if (!kind.equals("jdbc")) {
            throw new IllegalStateException("graph.state.store=" + kind + " is not a state store: file (the default,"
                    + " one instance) or jdbc (PostgreSQL, several instances; set graph.state.jdbc.url)");
        }
        StateDatabase database = StateDatabase.open(props);
        context.addService(new Closer(database), true, true);
        String group = props.apply("graph.cluster.scheduler-name").orElse("graph-security-routes");
        QuartzCluster.configure(context, database.dataSource(),
                props.apply("camel.component.quartz.properties-file").orElse("classpath:graph-security-quartz.properties"),
                group, props.apply("graph.cluster.instance-id").orElse("AUTO"),
                duration(props, "graph.cluster.checkin-interval", "PT5S"));
        return new JdbcStateStores(database.dataSource(), stateDir, group);
    }

    /**
     * The broker connection, the local JMS transaction that commits a page at once, and camel-jms.
     * Without graph.jms.user the routes sign in to the embedded broker (if any) as its own user.
     */
    private static void bindJms(CamelContext context, Function<String, Optional<String>> props,
                                BrokerCredentials embedded) throws Exception {
        JmsComponent jms = context.getComponent("jms", JmsComponent.class);
        ConnectionFactory connectionFactory = hostConnectionFactory(context);
        if (connectionFactory == null) {
            String url = props.apply("graph.jms.url").orElse("vm://0");
            Optional<String> user = props.apply("graph.jms.user");
            ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(url,
                    user.or(() -> Optional.ofNullable(embedded).map(BrokerCredentials::user)).orElse(null),
                    user.isPresent() ? props.apply("graph.jms.password").orElse(null)
                            : Optional.ofNullable(embedded).map(BrokerCredentials::password).orElse(null));
            // Nothing that arrives on a queue is ever deserialized into an object: an ObjectMessage's
            // payload could run code of any class on the classpath (a gadget chain) as it is read.
            artemis.setDeserializationDenyList("*");
            // A poll that cannot reach the broker must fail and let the next tick try again: left to retry
            // inside the client, it would hold the (non-concurrent) poll job and polling would stop.
            // A URL that sets its own retry policy keeps it.
            if (!url.contains("ConnectAttempts") && !url.contains("reconnectAttempts")) {
                artemis.setInitialConnectAttempts(2);
                artemis.setReconnectAttempts(0);
                artemis.setRetryInterval(500);
            }
            if (!url.contains("callTimeout")) {
                artemis.setCallTimeout(15_000);
            }
            // Without it every send asks the broker whether its queue exists (a blocking round trip per
            // alert, most of the routes' time under load: docs/performance.md); queues are auto-created anyway.
            if (!url.contains("cacheDestinations")) {
                artemis.setCacheDestinations(true);
            }
            JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
            pool.setConnectionFactory(artemis);
            pool.setMaxConnections(integer(props, "graph.jms.max-connections", 4));
            // Never wait forever for a session a failed exchange did not give back.
            pool.setBlockIfSessionPoolIsFullTimeout(15_000);
            context.addService(new Closer(pool::stop), true, true);
            connectionFactory = pool;
            context.getRegistry().bind("graphJmsConnectionFactory", connectionFactory);
        }
        context.getRegistry().bind("graphBrokerHealth", new BrokerHealthCheck(connectionFactory));
        // A host may bring its own transaction manager (over the same connection factory).
        PlatformTransactionManager txManager = context.getRegistry()
                .lookupByNameAndType("graphJmsTransactionManager", PlatformTransactionManager.class);
        if (txManager == null) {
            txManager = new JmsTransactionManager(connectionFactory);
            context.getRegistry().bind("graphJmsTransactionManager", txManager);
        }
        context.getRegistry().bind("graphDeliveryTx", new SpringTransactionPolicy(txManager));

        if (jms.getConnectionFactory() == null) {
            jms.setConnectionFactory(connectionFactory);
            // CVE-2026-40453: camel-jms 4.18.0 filters Camel* headers case-sensitively; lower-casing closes it.
            JmsHeaderFilterStrategy filter = new JmsHeaderFilterStrategy();
            filter.setLowerCase(true);
            jms.setHeaderFilterStrategy(filter);
        }
    }

    /**
     * A host's own factory: a bean of our name, else the one its jms component already has (the
     * page's transaction must be on the factory the sends use), else the only one in its registry
     * (a Spring Boot host's, which Camel autowires into the component later). Null in the standalone app.
     */
    private static ConnectionFactory hostConnectionFactory(CamelContext context) {
        return Optional.ofNullable(context.getRegistry()
                .lookupByNameAndType("graphJmsConnectionFactory", ConnectionFactory.class))
                .or(() -> Optional.ofNullable(context.getComponent("jms", JmsComponent.class).getConnectionFactory()))
                .orElseGet(() -> context.getRegistry().findSingleByType(ConnectionFactory.class));
    }

    private static void startDemoSimulator(CamelContext context, Function<String, Optional<String>> props)
            throws Exception {
        if (flag(props, "graph.simulator.fresh-state", false)) {
            // The simulated tenant and the fake ServiceNow live in memory and begin anew on every run; state
            // kept from an earlier run would note tickets this ServiceNow never opened (404, dead-lettered).
            for (String key : List.of("graph.state.dir", "graph.broker.embedded.data-dir")) {
                Path dir = Path.of(props.apply(key).orElseThrow(() -> new IllegalStateException(
                        "graph.simulator.fresh-state needs " + key + " set, to know what to clear")));
                if (Files.isDirectory(dir)) {
                    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                            Files.delete(f);
                        }
                    }
                }
            }
        }
        String tenant = props.apply("graph.tenant-id").orElse("demo-tenant");
        GraphSimulator simulator = new GraphSimulator(integer(props, "graph.simulator.port", 9443))
                .registerClient(tenant, props.apply("graph.client-id").orElse("demo-client"),
                        props.apply("graph.client-secret").orElse("demo-secret"),
                        "SecurityAlert.ReadWrite.All", "SecurityIncident.ReadWrite.All", "SecurityEvents.ReadWrite.All")
                .start();
        simulator.writeTrustStore(Path.of(props.apply("graph.trust-store").orElse("data/demo/simulator-truststore.p12")));
        DemoTimeline timeline = new DemoTimeline(simulator.alerts(tenant), tenant,
                integer(props, "graph.simulator.initial-alerts", 40),
                duration(props, "graph.simulator.tick", "PT5S"));
        context.addService(new Closer(() -> {
            timeline.close();
            simulator.close();
        }), true, true);
        timeline.start();
    }

    /**
     * The embedded broker's duplicate ids per address. A page of alerts is one JMS transaction, remembered
     * once committed; after a crash in between it is sent again, and the broker must still know its ids.
     */
    private static int brokerIdCacheSize(Function<String, Optional<String>> props) {
        int ids = integer(props, "graph.broker.embedded.id-cache-size", EmbeddedBroker.DEFAULT_ID_CACHE_SIZE);
        int page = integer(props, "graph.alerts.page-size", 500);
        if (ids < page) {
            throw new IllegalStateException("graph.broker.embedded.id-cache-size=" + ids + " is smaller than"
                    + " graph.alerts.page-size=" + page + ": a page sent again after a crash would be delivered twice");
        }
        return ids;
    }

    private static boolean flag(Function<String, Optional<String>> props, String key, boolean dflt) {
        return props.apply(key).map(Boolean::parseBoolean).orElse(dflt);
    }

    public static int integer(Function<String, Optional<String>> props, String key, int dflt) {
        String v = props.apply(key).orElse(null);
        try {
            return v == null ? dflt : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(key + "=" + v + " is not a whole number", e);
        }
    }

    public static Duration duration(Function<String, Optional<String>> props, String key, String dflt) {
        String v = props.apply(key).orElse(dflt);
        try {
            return Duration.parse(v);
        } catch (RuntimeException e) {
            throw new IllegalStateException(key + "=" + v + " is not an ISO-8601 duration such as PT10M", e);
        }
    }

    /** Closes a resource when the CamelContext stops (services stop in reverse order of adding). */
    private static final class Closer extends ServiceSupport {
        private final AutoCloseable resource;

        Closer(AutoCloseable resource) {
            this.resource = resource;
        }

        @Override
        protected void doStop() throws Exception {
            resource.close();
        }
    }
}
