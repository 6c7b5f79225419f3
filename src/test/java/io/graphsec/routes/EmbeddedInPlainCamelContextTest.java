package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.broker.EmbeddedBroker;
import io.graphsec.routes.enrich.InvalidAlertException;
import io.graphsec.routes.support.HostWithoutArtemisServer;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.PropertiesSource;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/**
 * The way an existing Camel application embeds the flows (docs/embedding.md; README, "Embedding in your Camel
 * application"): a plain CamelContext, no Camel Main, with its own broker, its own pooled JMS
 * connection factory and its own routes; our defaults, routes and templates read from the jar's
 * classpath:graph-security/, our beans bound by GraphSecurityBeans, and the templates instantiated
 * from the host's own YAML and from Java.
 */
class EmbeddedInPlainCamelContextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOST_ROUTES = Set.of("host-before-routing", "host-high-alerts", "host-own-route",
            "host-failing");

    @TempDir
    Path dir;
    private SimulatedTenant tenant;
    private EmbeddedActiveMQ hostBroker;
    private int hostBrokerPort;
    private JmsPoolConnectionFactory hostFactory;
    private DefaultCamelContext host;
    private final AtomicInteger failingAttempts = new AtomicInteger();
    private final Set<String> keysLookedUp = new ConcurrentSkipListSet<>();

    @BeforeEach
    void startHost() throws Exception {
        tenant = new SimulatedTenant(dir, "SecurityAlert.ReadWrite.All");
        hostBrokerPort = RunningApp.freePort();
        hostBroker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl().setPersistenceEnabled(false)
                .setSecurityEnabled(false).setJMXManagementEnabled(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + hostBrokerPort));
        hostBroker.start();
        hostFactory = new JmsPoolConnectionFactory();
        hostFactory.setConnectionFactory(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + hostBrokerPort));

        host = new DefaultCamelContext();
        host.addComponent("jms", JmsComponent.jmsComponent(hostFactory));
        host.getPropertiesComponent().addPropertiesSource(new KeyRecorder(keysLookedUp));
        GraphSecurityBeans.addDefaults(host);
        Map<String, String> props = RunningApp.against(tenant, dir, RunningApp.freePort());
        // The host polls with its own instance of the alerts source.
        props.put("graph.alerts.poll.enabled", "false");
        props.put("graph.alerts.destination.dead-letter", "mock:graph-dead-letter");
        props.forEach(host.getPropertiesComponent()::addOverrideProperty);
        host.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:host-before-routing").routeId("host-before-routing")
                        .setHeader("hostSeen", constant("yes"))
                        .to("direct:graph-host-severity-router");
                from("jms:queue:host.alerts.high").routeId("host-high-alerts").to("mock:host-high");
                from("direct:host-own-route").routeId("host-own-route").to("mock:host-own");
                from("direct:host-failing").routeId("host-failing").process(e -> {
                    failingAttempts.incrementAndGet();
                    throw e.getMessage().getBody(Exception.class);
                });
            }
        });
    }

    @AfterEach
    void stopHost() throws Exception {
        host.close();
        hostFactory.stop();
        hostBroker.stop();
        tenant.close();
    }

    /** Our beans, our routes and templates from the jar, then the host's own instances from its YAML. */
    private Set<String> embed() throws Exception {
        Set<String> before = host.getRegistry().findByTypeWithName(Object.class).keySet();
        Set<String> beans = new TreeSet<>();
        GraphSecurityBeans.bind(host);
        beans.addAll(host.getRegistry().findByTypeWithName(Object.class).keySet());
        beans.removeAll(before);
        PluginHelper.getRoutesLoader(host).loadRoutes(PluginHelper.getPackageScanResourceResolver(host)
                .findResources("classpath:graph-security/routes/*.camel.yaml"));
        PluginHelper.getRoutesLoader(host).loadRoutes(PluginHelper.getPackageScanResourceResolver(host)
                .findResources("classpath:host/*.camel.yaml"));
        return beans;
    }

    @Test
    void a_host_instantiates_the_templates_and_gets_alerts_through_its_own_broker_and_routes() throws Exception {
        List<ObjectNode> alerts = tenant.addAlerts(20);
        long highs = alerts.stream().filter(a -> "high".equals(a.get("severity").asText())).count();
        String resolved = alerts.get(0).get("id").asText();
        embed();
        TemplatedRouteBuilder.builder(host, "graph-feedback-sink")
                .routeId("graph-host-feedback-sink")
                .prefixId("graph-host-feedback-sink-")
                .parameter("source", "jms:queue:host.feedback?transacted=true&disableReplyTo=true")
                .add();
        host.start();

        assertThat(host.hasService(EmbeddedBroker.class)).as("no broker of ours beside the host's factory").isNull();
        assertThat(host.getRouteController().getRouteStatus("graph-alerts-poll").isStopped()).isTrue();

        MockEndpoint high = host.getEndpoint("mock:host-high", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> high.getReceivedCounter() >= highs);
        assertThat(high.getReceivedCounter()).isEqualTo(highs);
        assertThat(high.getExchanges()).allSatisfy(e -> {
            assertThat(e.getMessage().getBody(String.class)).contains("\"severity\":\"high\"");
            assertThat(e.getMessage().getHeader("graphSeverity")).isEqualTo("high");
            assertThat(e.getMessage().getHeader("hostSeen")).as("passed the host's own route").isEqualTo("yes");
        });
        try (Queues hostQueues = new Queues(hostBrokerPort)) {
            assertThat(hostQueues.drain("host.alerts.medium")).isNotEmpty();
            assertThat(hostQueues.leftAfterCompletion("graph.alerts.high")).as("the standalone router is not in this path")
                    .isEmpty();

            hostQueues.send("host.feedback", JSON.createObjectNode().put("alertId", resolved)
                    .put("status", "resolved").put("requestedBy", "host-esb").toString());
            assertThat(hostQueues.collect("graph.feedback.audit", 1).get(0).body()).contains(resolved);
        }
        assertThat(tenant.alerts().get(resolved).orElseThrow().get("status").asText()).isEqualTo("resolved");
        assertThat(tenant.simulator.graphRequests("PATCH")).isEqualTo(1);

        MockEndpoint own = host.getEndpoint("mock:host-own", MockEndpoint.class);
        host.createProducerTemplate().sendBody("direct:host-own-route", "still mine");
        assertThat(own.getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void a_failing_host_route_sees_camels_default_error_handling_not_ours() throws Exception {
        embed();
        host.start();

        // Our error handling would dead-letter the first and retry the second graph.http.max-retries times.
        for (Exception failure : List.of(new InvalidAlertException("not ours to judge"),
                new HttpOperationFailedException("https://host.example/api", 429, "Too Many Requests", null,
                        Map.of("Retry-After", "1"), ""))) {
            failingAttempts.set(0);
            Exchange result = host.createProducerTemplate().send("direct:host-failing", e -> e.getMessage().setBody(failure));
            assertThat(result.getException()).isSameAs(failure);
            assertThat(failingAttempts.get()).as("no redelivery").isEqualTo(1);
        }
        assertThat(host.getEndpoint("mock:graph-dead-letter", MockEndpoint.class).getReceivedCounter()).isZero();
        assertThat(host.getRoute("host-failing").getConfigurationId()).isNull();
        assertThat(host.getCamelContextExtension().getErrorHandlerFactory()).as("no context-wide errorHandler of ours").isNull();
    }

    @Test
    void every_route_id_node_id_bean_name_property_key_and_route_configuration_of_ours_is_prefixed() throws Exception {
        // A second tenant, whose poller the alerts source finds by tenant name; the host polls it, not us.
        host.getPropertiesComponent().addOverrideProperty("graph.tenants", "fabrikam");
        host.getPropertiesComponent().addOverrideProperty("graph.tenant.fabrikam.tenant-id", "99999999-8888-7777-6666-555555555555");
        Set<String> beans = embed();
        host.start();

        assertThat(beans).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("graph"));
        assertThat(host.getRegistry().lookupByName("graphPoller-alerts-fabrikam")).isNotNull()
                .isSameAs(host.getRegistry().lookupByName("graphAlertsPoller-fabrikam"));
        assertThat(host.getRegistry().lookupByName("graphHealth-incidents-default"))
                .isSameAs(host.getRegistry().lookupByName("graphIncidentsHealth"));
        assertThat(host.getRoute("graph-alerts-poll-fabrikam")).as("graph.alerts.poll.enabled=false").isNull();

        Model model = host.getCamelContextExtension().getContextPlugin(Model.class);
        List<RouteDefinition> ours = model.getRouteDefinitions().stream()
                .filter(r -> !HOST_ROUTES.contains(r.getRouteId())).toList();
        assertThat(ours).hasSizeGreaterThan(20).allSatisfy(r -> assertThat(r.getRouteId()).startsWith("graph-"));
        // Node ids Camel generates (to1, bean7, ...) come from the context's own counter, unique whoever asks.
        Set<String> customNodeIds = customNodeIds(ours.stream().filter(r -> !Boolean.TRUE.equals(r.isKamelet())).toList());
        assertThat(customNodeIds).contains("graph-read-window-fetch-page", "graph-host-severity-router-to-high",
                        "graph-host-alerts-source-open-window")
                .allSatisfy(id -> assertThat(id).startsWith("graph-"));
        // Routes a Kamelet makes (the standalone app's polls, router and feedback sink) take the Kamelet instance's number
        // from the same counter as their node ids' prefix: unique whoever else uses Kamelets.
        List<RouteDefinition> byKamelets = ours.stream().filter(r -> Boolean.TRUE.equals(r.isKamelet())).toList();
        assertThat(byKamelets).extracting(RouteDefinition::getRouteId)
                .contains("graph-alerts-poll", "graph-alerts-severity-router", "graph-feedback-sink-write");
        assertThat(byKamelets).extracting(RouteDefinition::getNodePrefixId).doesNotHaveDuplicates()
                .allSatisfy(prefix -> assertThat(prefix).isNotBlank());
        assertThat(customNodeIds(byKamelets)).hasSizeGreaterThan(10).doesNotContainAnyElementsOf(customNodeIds);

        // The published templates describe themselves: each parameter says what it is, and has a default or is required.
        // So do the Kamelets the standalone routes use, loaded as templates when first used (described in their
        // spec.definition, which the template does not carry).
        assertThat(model.getRouteTemplateDefinitions()).extracting(t -> t.getId())
                .contains("graph-poll-collection", "graph-severity-router", "graph-feedback-sink",
                        "graph-security-alerts-source", "graph-security-severity-router", "graph-security-feedback-sink");
        assertThat(model.getRouteTemplateDefinitions()).allSatisfy(t -> {
            assertThat(t.getId()).startsWith("graph-");
            boolean kamelet = t.getId().startsWith("graph-security-");
            if (!kamelet) {
                assertThat(t.getDescription()).isNotBlank();
            }
            assertThat(t.getTemplateParameters()).allSatisfy(p -> {
                if (!kamelet) {
                    assertThat(p.getDescription()).as(t.getId() + " " + p.getName()).isNotBlank();
                }
                assertThat(p.getDefaultValue() != null || Boolean.TRUE.equals(p.getRequired())).as(t.getId() + " " + p.getName()).isTrue();
            });
        });

        // A routeConfiguration without id would apply to every route without one, the host's included.
        List<RouteConfigurationDefinition> configurations = model.getRouteConfigurationDefinitions();
        assertThat(configurations).isNotEmpty().allSatisfy(c -> {
            assertThat(c.getId()).startsWith("graph-");
            c.getOnExceptions().stream().filter(ProcessorDefinition::hasCustomIdAssigned)
                    .forEach(o -> assertThat(o.getId()).startsWith("graph-"));
        });
        assertThat(host.getRoute("host-own-route").getConfigurationId()).isNull();

        assertThat(keysLookedUp).contains("graph.tickets.queue", "graph.feedback.source")
                .allSatisfy(key -> assertThat(key).startsWith("graph."));
    }

    @Test
    void a_host_without_artemis_server_on_its_classpath_embeds_and_starts_the_flows() throws Exception {
        List<URL> withoutServer = new ArrayList<>();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!Path.of(entry).getFileName().toString().startsWith("artemis-server-")) {
                withoutServer.add(Path.of(entry).toUri().toURL());
            }
        }
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // Not closed: the Artemis client's Netty threads loaded by it outlive the host for a while and load
        // classes when they wind down; a closed loader made them fail in whichever test ran next.
        URLClassLoader hostLoader = new URLClassLoader(withoutServer.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        try {
            assertThatThrownBy(() -> hostLoader.loadClass("org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ"))
                    .isInstanceOf(ClassNotFoundException.class);
            Thread.currentThread().setContextClassLoader(hostLoader);
            Map<String, String> props = RunningApp.against(tenant, dir, RunningApp.freePort());
            props.put("graph.alerts.poll.enabled", "false");
            @SuppressWarnings("unchecked")
            List<String> started = (List<String>) hostLoader.loadClass(HostWithoutArtemisServer.class.getName())
                    .getMethod("embed", Map.class, String.class)
                    .invoke(null, props, "tcp://127.0.0.1:" + hostBrokerPort);
            assertThat(started).contains("graph-host-alerts-source", "graph-host-severity-router", "graph-split",
                    "graph-alerts-route", "graph-feedback");
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /** Custom node ids of these routes, with their routes' node prefix. */
    private static Set<String> customNodeIds(List<RouteDefinition> routes) {
        return routes.stream()
                .flatMap(r -> ProcessorDefinitionHelper.filterTypeInOutputs(r.getOutputs(), ProcessorDefinition.class)
                        .stream().filter(ProcessorDefinition::hasCustomIdAssigned)
                        .map(p -> Objects.toString(r.getNodePrefixId(), "") + p.getId()))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Notes every property key looked up through the host's properties component; answers none. */
    private record KeyRecorder(Set<String> keys) implements PropertiesSource, org.apache.camel.Ordered {
        @Override
        public String getName() {
            return "key-recorder";
        }

        @Override
        public String getProperty(String name) {
            keys.add(name);
            return null;
        }

        @Override
        public int getOrder() {
            return HIGHEST;
        }
    }
}
