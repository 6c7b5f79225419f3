package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.broker.BrokerCredentials;
import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import jakarta.jms.JMSSecurityException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who the embedded broker admits over TCP, and what its work queues accept from those it admits. */
class BrokerAccessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private SimulatedTenant tenant;
    private int brokerPort;
    private Map<String, String> props;

    @BeforeEach
    void setUp() throws Exception {
        tenant = new SimulatedTenant(dir, "SecurityAlert.ReadWrite.All");
        brokerPort = RunningApp.freePort();
        props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
        Deserialized.happened = false;
    }

    @AfterEach
    void tearDown() {
        tenant.close();
    }

    @Test
    void tcp_clients_without_the_password_are_refused_and_with_it_consume_alerts() throws Exception {
        tenant.addAlerts(3);
        try (RunningApp app = RunningApp.start(props)) {
            ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
            assertThatThrownBy(() -> cf.createConnection().close()).as("no credentials")
                    .isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> cf.createConnection(RunningApp.BROKER_USER, "not-the-password").close())
                    .as("a wrong password").isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> cf.createConnection("admin", RunningApp.BROKER_PASSWORD).close())
                    .as("another user").isInstanceOf(JMSSecurityException.class);
            try (Queues queues = new Queues(brokerPort, RunningApp.BROKER_USER, RunningApp.BROKER_PASSWORD)) {
                List<Received> alerts = AlertsToQueuesTest.collectUntil(queues, 3).values().stream()
                        .flatMap(List::stream).toList();
                assertThat(alerts).hasSize(3).allSatisfy(m -> assertThat(JSON.readTree(m.body()).get("id").asText())
                        .isEqualTo(m.property("graphAlertId")));
            }
        }
    }

    @Test
    void an_object_message_on_the_feedback_queue_is_dead_lettered_unread_and_text_feedback_after_it_is_applied()
            throws Exception {
        String id = tenant.addAlerts(1).get(0).get("id").asText();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            queues.sendObject("graph.feedback", new Deserialized());
            queues.send("graph.feedback", JSON.createObjectNode().put("alertId", id).put("status", "resolved")
                    .put("requestedBy", "soc").toString());

            List<Received> audit = queues.collect("graph.feedback.audit", 2);
            List<Received> dead = queues.collect("graph.feedback.dead-letter", 1);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).property("graphDeadLetterReason")).isEqualTo(
                    "jms://queue:graph.feedback accepts JMS TextMessage (JSON text) only, received a ObjectMessage;"
                            + " its body was not read");
            assertThat(dead.get(0).body()).isNull();
            assertThat(Deserialized.happened).as("the ObjectMessage's payload was deserialized").isFalse();
            assertThat(audit).extracting(m -> JSON.readTree(m.body()).get("outcome").asText())
                    .containsExactlyInAnyOrder("failed", "applied");
            assertThat(tenant.alerts().get(id).orElseThrow().get("status").asText()).isEqualTo("resolved");
            assertThat(queues.leftAfterCompletion("DLQ")).as("nothing rolled back onto the broker's own dead-letter address").isEmpty();
        }
    }

    @Test
    void without_a_configured_password_one_is_generated_owner_only_reused_on_restart_and_never_logged()
            throws Exception {
        props.remove("graph.broker.embedded.password");
        tenant.addAlerts(1);
        Path file = dir.resolve("app/broker").resolve(BrokerCredentials.PASSWORD_FILE);
        String password;
        try (LogCapture log = new LogCapture(Map.of("io.graphsec", Level.DEBUG, "org.apache.activemq", Level.DEBUG))) {
            try (RunningApp app = RunningApp.start(props)) {
                password = Files.readString(file).trim();
                assertThat(password).hasSizeGreaterThanOrEqualTo(40);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
                try (Queues queues = new Queues(brokerPort, "graph", password)) {
                    assertThat(AlertsToQueuesTest.collectUntil(queues, 1).values().stream().mapToInt(List::size).sum())
                            .isEqualTo(1);
                }
            }
            try (RunningApp app = RunningApp.start(props)) {
                assertThat(Files.readString(file).trim()).as("the password of the first start").isEqualTo(password);
                tenant.addAlerts(1);
                try (Queues queues = new Queues(brokerPort, "graph", password)) {
                    assertThat(AlertsToQueuesTest.collectUntil(queues, 1)).isNotEmpty();
                }
            }
            assertThat(log.contains(file.toAbsolutePath().toString())).as("the log names the file").isTrue();
            assertThat(log.lines()).as("log lines with the password").noneMatch(l -> l.contains(password));
        }
    }

    /** A payload that records being deserialized, as a gadget class would run code at that point. */
    static final class Deserialized implements Serializable {
        private static final long serialVersionUID = 1L;
        static volatile boolean happened;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            happened = true;
        }
    }
}
