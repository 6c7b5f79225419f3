package com.example.esb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.broker.EmbeddedBroker;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.simulator.GraphSimulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot host (Camel Spring Boot, its own Artemis broker and connection factory, its own
 * routes and logging) uses our Kamelets by kamelet: URI in its YAML and gets the simulated tenant's
 * high alerts on its own queue, through a route of its own.
 */
@SpringBootTest(classes = EsbApplication.class, properties = {
        "camel.main.routes-include-pattern=classpath:graph-security/routes/*.camel.yaml,classpath:camel/*.camel.yaml",
        "graph.alerts.poll.enabled=false",
        "graph.incidents.enabled=false",
        "graph.startup.check-security-api=false"})
class EsbEmbedsGraphSecurityTest {

    private static final String TENANT = "11111111-2222-3333-4444-555555555555";
    private static GraphSimulator simulator;
    private static EmbeddedActiveMQ broker;
    private static long highs;

    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void tenantAndBroker(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory("esb-graph-security");
        simulator = new GraphSimulator(0).registerClient(TENANT, "esb-client", "esb-secret", "SecurityAlert.Read.All").start();
        AlertFactory factory = new AlertFactory(7, TENANT);
        List<ObjectNode> alerts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            alerts.add(factory.newAlert(Instant.now().minusSeconds(60 - i), AlertFactory.SEVERITIES.get(i % 5), "i" + i));
        }
        simulator.alerts(TENANT).putAll(alerts);
        highs = alerts.stream().filter(a -> "high".equals(a.get("severity").asText())).count();
        int port = freePort();
        broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl().setPersistenceEnabled(false)
                .setSecurityEnabled(false).setJMXManagementEnabled(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port));
        broker.start();

        registry.add("esb.broker-url", () -> "tcp://127.0.0.1:" + port);
        registry.add("graph.tenant-id", () -> TENANT);
        registry.add("graph.client-id", () -> "esb-client");
        registry.add("graph.client-secret", () -> "esb-secret");
        registry.add("graph.base-url", simulator::baseUrl);
        registry.add("graph.authority-host", simulator::baseUrl);
        registry.add("graph.trust-store", () -> write(simulator, dir));
        registry.add("graph.trust-store-password", GraphSimulator::trustStorePassword);
        registry.add("graph.state.dir", () -> dir.resolve("state").toString());
        // Read from the file system at start: the host keeps its copy (here the jar's, unchanged).
        Path mapping = dir.resolve("ticket-feedback-mapping.yaml");
        try (var in = EsbEmbedsGraphSecurityTest.class.getResourceAsStream("/graph-security/routes/ticket-feedback-mapping.yaml")) {
            Files.copy(in, mapping);
        }
        registry.add("graph.webhook.mapping-file", mapping::toString);
    }

    @AfterAll
    static void stop() throws Exception {
        broker.stop();
        simulator.close();
    }

    @Test
    void the_esb_gets_high_alerts_on_its_own_queue_through_its_own_route() {
        MockEndpoint high = camel.getEndpoint("mock:esb-high", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> high.getReceivedCounter() >= highs);
        assertThat(highs).isPositive();
        assertThat(high.getReceivedCounter()).isEqualTo(highs);
        assertThat(high.getExchanges()).allSatisfy(e -> {
            assertThat(e.getMessage().getHeader("graphSeverity")).isEqualTo("high");
            assertThat(e.getMessage().getHeader("esbSeen")).isEqualTo("yes");
        });
        assertThat(camel.hasService(EmbeddedBroker.class)).isNull();
        assertThat(camel.getRoute("esb-high-alerts").getConfigurationId()).isNull();
    }

    private static String write(GraphSimulator simulator, Path dir) {
        try {
            return simulator.writeTrustStore(dir.resolve("truststore.p12")).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
