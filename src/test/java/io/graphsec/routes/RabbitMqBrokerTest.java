package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.broker.RabbitMqConnectionFactory;
import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RabbitMqOnThisMachine;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RabbitMQ as the external broker (graph.jms.url = amqp://...), on the machine's own RabbitMQ: alerts
 * reach the queue of their severity, feedback put on RabbitMQ reaches Graph, and the connection signs
 * in with the configured user, password and virtual host, never showing the password.
 */
class RabbitMqBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeEach
    void rabbitMqAnswers() {
        RabbitMqOnThisMachine.assumeRunning();
    }

    @Test
    void alerts_reach_the_queue_of_their_severity_once_and_feedback_from_rabbitmq_reaches_graph() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir, "SecurityAlert.ReadWrite.All");
             RabbitMqOnThisMachine rabbit = new RabbitMqOnThisMachine()) {
            List<ObjectNode> alerts = tenant.addAlerts(30);
            Map<String, Long> expected = alerts.stream().collect(Collectors.groupingBy(
                    a -> rabbit.prefix + AlertsToQueuesTest.queueFor(a.get("severity").asText()), Collectors.counting()));
            List<String> severityQueues = Queues.SEVERITY_QUEUES.stream().map(q -> rabbit.prefix + q).toList();
            Map<String, String> props = RunningApp.against(tenant, dir.resolve("app"), RunningApp.freePort());
            props.putAll(rabbit.appProperties());

            try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(rabbit.jmsClient())) {
                Map<String, List<Received>> got = new HashMap<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    AlertsToQueuesTest.merge(got, queues.drainAll(severityQueues));
                    return AlertsToQueuesTest.total(got) >= 30;
                });
                // One more poll must not add anything.
                int requestsBefore = tenant.simulator.graphRequests();
                await().atMost(Duration.ofSeconds(10)).until(() -> tenant.simulator.graphRequests() > requestsBefore);
                AlertsToQueuesTest.merge(got, queues.leftAfterCompletion(severityQueues));

                for (String q : severityQueues) {
                    assertThat(got.getOrDefault(q, List.of())).as(q).hasSize(expected.getOrDefault(q, 0L).intValue());
                }
                Map<String, ObjectNode> byId = alerts.stream()
                        .collect(Collectors.toMap(a -> a.get("id").asText(), Function.identity()));
                for (Map.Entry<String, List<Received>> e : got.entrySet()) {
                    for (Received m : e.getValue()) {
                        JsonNode body = JSON.readTree(m.body());
                        assertThat(body).as("the full Graph alert").isEqualTo(AlertsToQueuesTest.json(byId.get(body.get("id").asText())));
                        assertThat(rabbit.prefix + AlertsToQueuesTest.queueFor(body.get("severity").asText())).isEqualTo(e.getKey());
                        assertThat(m.property("graphAlertId")).isEqualTo(body.get("id").asText());
                        assertThat(m.property("graphIncidentId")).isEqualTo(body.get("incidentId").asText());
                        // RabbitMQ drops no repeat by it, but it reaches consumers as their de-duplication key.
                        assertThat(m.property("_AMQ_DUPL_ID"))
                                .isEqualTo(body.get("id").asText() + "|" + body.get("lastUpdateDateTime").asText());
                    }
                }
                assertThat(got.getOrDefault(rabbit.prefix + "graph.alerts.high", List.of())).allMatch(m -> m.priority() == 9);

                String id = alerts.get(0).get("id").asText();
                queues.send(rabbit.prefix + "graph.feedback", JSON.createObjectNode().put("alertId", id)
                        .put("status", "resolved").put("classification", "truePositive").put("requestedBy", "soc").toString());
                List<Received> audit = queues.collect(rabbit.prefix + "graph.feedback.audit", 1);
                assertThat(audit).singleElement().satisfies(m -> {
                    JsonNode record = JSON.readTree(m.body());
                    assertThat(record.get("outcome").asText()).isEqualTo("applied");
                    assertThat(record.get("target").asText()).isEqualTo("alert");
                    assertThat(record.get("id").asText()).isEqualTo(id);
                });
                assertThat(tenant.simulator.requestsSeen()).filteredOn(r -> r.method().equals("PATCH"))
                        .singleElement().satisfies(r -> {
                            assertThat(r.rawPath()).isEqualTo("/v1.0/security/alerts_v2/" + id);
                            JsonNode patch = JSON.readTree(r.body());
                            assertThat(patch.get("status").asText()).isEqualTo("resolved");
                            assertThat(patch.get("classification").asText()).isEqualTo("truePositive");
                        });
                JsonNode inGraph = tenant.alerts().get(id).orElseThrow();
                assertThat(inGraph.get("status").asText()).isEqualTo("resolved");
                assertThat(inGraph.get("classification").asText()).isEqualTo("truePositive");
                assertThat(queues.leftAfterCompletion(rabbit.prefix + "graph.feedback.dead-letter")).isEmpty();
            }
        }
    }

    @Test
    void the_connection_signs_in_with_the_configured_password_and_virtual_host_and_never_shows_the_password()
            throws Exception {
        String wrong = "not-the-password-" + System.nanoTime();
        String url = "amqp://" + RabbitMqOnThisMachine.HOST + ":" + RabbitMqOnThisMachine.PORT;
        try (LogCapture log = new LogCapture(Map.of("com.rabbitmq", Level.TRACE, "io.graphsec", Level.DEBUG))) {
            ConnectionFactory wrongPassword = RabbitMqConnectionFactory.create(url, RabbitMqOnThisMachine.USER, wrong, 5000);
            assertThatThrownBy(() -> wrongPassword.createConnection().close()).as("a wrong password")
                    .isInstanceOf(JMSSecurityException.class)
                    .satisfies(e -> assertThat(messages(e)).doesNotContain(wrong));

            ConnectionFactory noSuchVhost = RabbitMqConnectionFactory.create(url + "/graphsec-no-such-vhost",
                    RabbitMqOnThisMachine.USER, RabbitMqOnThisMachine.PASSWORD, 5000);
            assertThatThrownBy(() -> noSuchVhost.createConnection().close()).as("a virtual host that does not exist")
                    .isInstanceOf(JMSException.class);

            ConnectionFactory right = RabbitMqConnectionFactory.create(url + "/%2F",
                    RabbitMqOnThisMachine.USER, RabbitMqOnThisMachine.PASSWORD, 5000);
            right.createConnection().close();

            assertThatThrownBy(() -> RabbitMqConnectionFactory.create("amqp://guest:" + wrong + "@127.0.0.1:5672",
                    RabbitMqOnThisMachine.USER, RabbitMqOnThisMachine.PASSWORD, 5000))
                    .as("credentials in the URL").isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("graph.jms.user").satisfies(e -> assertThat(messages(e)).doesNotContain(wrong));
            assertThat(log.lines()).as("log lines with the password").noneMatch(l -> l.contains(wrong));
        }
    }

    private static String messages(Throwable e) {
        List<String> all = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.add(t.toString());
        }
        return String.join("\n", all);
    }
}
