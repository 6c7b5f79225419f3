package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.GraphCall;
import io.graphsec.routes.simulator.SeenRequest;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/**
 * A host Camel application (a plain CamelContext with its own broker) whose own YAML uses our
 * Kamelets by kamelet: URI, as the Kamelet catalog's examples read: the alerts source into the
 * severity router, each severity to the host's own queue, and feedback through the feedback sink
 * back to Graph. Graph's throttling and a revoked token during the host's poll are retried within
 * that poll, though Camel gives a route made inside a Kamelet no error handler of its own.
 */
class KameletsInHostTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SEVERITIES = List.of("high", "medium", "low", "informational");
    private static final List<String> QUEUES = List.of("high", "medium", "low", "informational", "triage");

    @TempDir
    Path dir;
    private SimulatedTenant tenant;
    private EmbeddedActiveMQ hostBroker;
    private int hostBrokerPort;
    private JmsPoolConnectionFactory hostFactory;
    private DefaultCamelContext host;

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
        // As docs/embedding.md asks of a host: else HttpClient retries Graph's 429 itself, before our handling sees it.
        host.getComponent("https", HttpComponent.class).setAutomaticRetriesDisabled(true);
        GraphSecurityBeans.addDefaults(host);
        Map<String, String> props = RunningApp.against(tenant, dir, RunningApp.freePort());
        // The host polls with the Kamelet; the standalone poll and its router stay idle.
        props.put("graph.alerts.poll.enabled", "false");
        props.forEach(host.getPropertiesComponent()::addOverrideProperty);
        GraphSecurityBeans.bind(host);
        var resolver = PluginHelper.getPackageScanResourceResolver(host);
        PluginHelper.getRoutesLoader(host).loadRoutes(resolver.findResources("classpath:graph-security/routes/*.camel.yaml"));
        PluginHelper.getRoutesLoader(host).loadRoutes(resolver.findResources("classpath:kamelet-host/*.camel.yaml"));
    }

    @AfterEach
    void stopHost() throws Exception {
        host.close();
        hostFactory.stop();
        hostBroker.stop();
        tenant.close();
    }

    @Test
    void the_alerts_source_kamelet_into_the_severity_router_kamelet_delivers_each_alert_to_its_severitys_queue() throws Exception {
        List<ObjectNode> alerts = tenant.addAlerts(20);
        // unknown and any severity Graph adds later go to triage
        Map<String, Long> expected = alerts.stream().map(a -> a.get("severity").asText())
                .collect(Collectors.groupingBy(s -> SEVERITIES.contains(s) ? s : "triage", Collectors.counting()));
        host.start();

        try (Queues queues = new Queues(hostBrokerPort)) {
            for (String severity : QUEUES) {
                int count = expected.getOrDefault(severity, 0L).intValue();
                List<Queues.Received> got = queues.collect("host.alerts." + severity, count);
                assertThat(got).as(severity).hasSize(count).allSatisfy(m -> {
                    assertThat(m.property("graphRoute")).isEqualTo(severity);
                    assertThat(m.property("graphTenant")).isEqualTo("default");
                    assertThat(m.property("graphEventType")).isEqualTo("created");
                    ObjectNode alert = (ObjectNode) JSON.readTree(m.body());
                    assertThat(alert.get("severity").asText()).isEqualTo(m.property("graphSeverity"));
                    assertThat(tenant.alerts().get(alert.get("id").asText())).isPresent();
                });
            }
            assertThat(queues.leftAfterCompletion("graph.alerts.high")).as("the standalone router is not in this path")
                    .isEmpty();
        }
        assertThat(host.getRouteController().getRouteStatus("graph-alerts-poll").isStopped()).isTrue();
    }

    @Test
    void graph_throttling_during_the_alerts_source_kamelets_poll_is_waited_out_within_the_poll_and_each_alert_delivered_once() throws Exception {
        List<ObjectNode> alerts = tenant.addAlerts(12);
        tenant.simulator.failNext("GET", 429, Map.of("Retry-After", "2"), "TooManyRequests");
        host.start();

        try (Queues queues = new Queues(hostBrokerPort)) {
            assertEachDeliveredOnce(queues, alerts);
        }
        List<GraphCall> calls = tenant.simulator.graphCalls();
        assertThat(calls.get(0).status()).isEqualTo(429);
        // Each poll asks for a window ending at its own start: only a retry within the poll asks exactly the same.
        assertThat(calls.get(1).query()).as("the same call again").isEqualTo(calls.get(0).query());
        assertThat(calls.get(1).status()).isEqualTo(200);
        assertThat(calls.get(1).arrived() - calls.get(0).arrived()).as("ms between the throttled call and its retry")
                .isGreaterThanOrEqualTo(2000);
    }

    @Test
    void a_token_revoked_during_the_alerts_source_kamelets_poll_is_renewed_within_the_poll_and_each_alert_delivered_once() throws Exception {
        List<ObjectNode> first = tenant.addAlerts(3);
        host.start();

        try (Queues queues = new Queues(hostBrokerPort)) {
            assertEachDeliveredOnce(queues, first);
            tenant.simulator.revokeTokens();
            List<ObjectNode> more = tenant.addAlerts(6);
            assertEachDeliveredOnce(queues, more);
        }
        List<GraphCall> calls = tenant.simulator.graphCalls();
        int refused = calls.stream().map(GraphCall::status).toList().indexOf(401);
        assertThat(refused).as("a call refused with the revoked token").isPositive();
        assertThat(calls.get(refused + 1).query()).as("the same call again").isEqualTo(calls.get(refused).query());
        assertThat(calls.get(refused + 1).status()).isEqualTo(200);
        assertThat(tenant.simulator.tokenRequests()).as("the first token and its renewal").isEqualTo(2);
    }

    @Test
    void feedback_through_the_feedback_sink_kamelet_is_patched_onto_the_graph_alert() throws Exception {
        String id = tenant.addAlerts(3).get(1).get("id").asText();
        host.start();

        try (Queues queues = new Queues(hostBrokerPort)) {
            queues.send("host.feedback", JSON.createObjectNode().put("alertId", id).put("status", "resolved")
                    .put("classification", "truePositive").put("requestedBy", "host-esb").toString());
            assertThat(queues.collect("graph.feedback.audit", 1).get(0).body()).contains(id);
        }
        List<SeenRequest> patches = tenant.simulator.requestsSeen().stream()
                .filter(r -> "PATCH".equals(r.method())).toList();
        assertThat(patches).hasSize(1);
        assertThat(patches.get(0).rawPath()).endsWith("/security/alerts_v2/" + id);
        assertThat(JSON.readTree(patches.get(0).body()).get("status").asText()).isEqualTo("resolved");
        assertThat(JSON.readTree(patches.get(0).body()).get("classification").asText()).isEqualTo("truePositive");
        assertThat(tenant.alerts().get(id).orElseThrow().get("status").asText()).isEqualTo("resolved");
    }

    @Test
    void an_invalid_alert_in_the_alerts_source_kamelets_poll_is_dead_lettered_with_its_reason_and_the_rest_delivered() throws Exception {
        ObjectNode numericSeverity = tenant.newAlert(java.time.Instant.now().minusSeconds(30), "low");
        numericSeverity.put("severity", 5);
        ObjectNode fine = tenant.newAlert(java.time.Instant.now().minusSeconds(20), "high");
        tenant.alerts().putAll(List.of(numericSeverity, fine));
        host.start();

        try (Queues queues = new Queues(hostBrokerPort)) {
            assertThat(queues.collect("graph.alerts.dead-letter", 1)).singleElement().satisfies(m -> {
                assertThat(m.property("graphDeadLetterReason")).isEqualTo("severity must be a string, got number 5");
                assertThat(JSON.readTree(m.body())).isEqualTo(JSON.readTree(numericSeverity.toString()));
            });
            assertThat(queues.collect("host.alerts.high", 1)).singleElement()
                    .extracting(m -> m.property("graphAlertId")).isEqualTo(fine.get("id").asText());
        }
    }

    @Test
    void invalid_feedback_through_the_feedback_sink_kamelet_is_dead_lettered_with_its_reason_and_graph_untouched() throws Exception {
        String id = tenant.addAlerts(1).get(0).get("id").asText();
        host.start();

        try (Queues queues = new Queues(hostBrokerPort)) {
            queues.send("host.feedback", "{\"alertId\":\"" + id + "\",\"status\":\"closed\"}");
            queues.send("host.feedback", "{not json");
            assertThat(queues.collect("graph.feedback.dead-letter", 2)).extracting(m -> m.property("graphDeadLetterReason"))
                    .containsExactly("status 'closed' is not valid for a alert; allowed: new, inProgress, resolved",
                            "feedback is not valid JSON: Unexpected character ('n' (code 110)): was expecting double-quote"
                                    + " to start field name");
            assertThat(queues.leftAfterCompletion("host.feedback")).as("nothing left to redeliver").isEmpty();
        }
        assertThat(tenant.simulator.graphRequests("PATCH")).isZero();
    }

    /**
     * Takes the alerts from the host's queues (each in its severity's) and, once a later poll ran, checks that
     * none came twice.
     */
    private void assertEachDeliveredOnce(Queues queues, List<ObjectNode> alerts) throws Exception {
        Map<String, List<String>> expected = alerts.stream().collect(Collectors.groupingBy(
                a -> SEVERITIES.contains(a.get("severity").asText()) ? a.get("severity").asText() : "triage",
                Collectors.mapping(a -> a.get("id").asText(), Collectors.toList())));
        for (String queue : QUEUES) {
            List<String> ids = expected.getOrDefault(queue, List.of());
            assertThat(queues.collect("host.alerts." + queue, ids.size())).as(queue)
                    .extracting(m -> m.property("graphAlertId")).containsExactlyInAnyOrderElementsOf(ids);
        }
        int seen = tenant.simulator.graphCalls().size();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> tenant.simulator.graphCalls().size() > seen);
        assertThat(queues.leftAfterCompletion(QUEUES.stream().map(q -> "host.alerts." + q).toList()).values())
                .as("nothing delivered twice").allSatisfy(left -> assertThat(left).isEmpty());
    }

    @Test
    void the_severity_router_kamelet_sends_what_it_cannot_place_to_triage_unchanged() throws Exception {
        host.start();
        var producer = host.createProducerTemplate();
        producer.sendBodyAndHeader("direct:host-own-events", "{not json", "graphRoute", "critical");
        producer.sendBody("direct:host-own-events", "no headers at all");

        try (Queues queues = new Queues(hostBrokerPort)) {
            assertThat(queues.collect("host.alerts.triage", 2)).extracting(Queues.Received::body)
                    .containsExactly("{not json", "no headers at all");
        }
    }
}
