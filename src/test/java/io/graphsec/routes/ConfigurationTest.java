package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user configures: refusing to start half-configured, the token's lifetime, rewired endpoints. */
class ConfigurationTest {

    @TempDir
    Path dir;

    @Test
    void refuses_to_start_without_credentials_and_names_every_missing_key() throws Exception {
        Map<String, String> props = new HashMap<>(RunningApp.defaults(dir, RunningApp.freePort()));
        props.put("graph.tenant-id", "");
        props.put("graph.client-id", "");
        props.put("graph.client-secret", "");

        assertThatThrownBy(() -> RunningApp.start(props).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing configuration graph.tenant-id, graph.client-id,"
                        + " graph.client-secret or graph.client-certificate")
                .hasMessageContaining("GRAPH_TENANT_ID");
        // Never half-started: no broker data, no state written.
        assertThat(dir.resolve("state/alerts_v2.watermark")).doesNotExist();
    }

    @Test
    void the_ticket_flow_runs_where_graph_tickets_route_enabled_says_and_by_default_where_a_system_is_set() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir)) {
            Map<String, String> props = new HashMap<>(RunningApp.defaults(dir.resolve("app"), RunningApp.freePort()));
            props.putAll(tenant.appProperties());
            props.put("graph.tickets.system", "webhook");
            props.put("graph.tickets.webhook.url", "https://127.0.0.1:9/unused");
            for (var expected : Map.of("", ServiceStatus.Started, "false", ServiceStatus.Stopped, "true", ServiceStatus.Started)
                    .entrySet()) {
                props.put("graph.tickets.route-enabled", expected.getKey());
                try (RunningApp app = RunningApp.start(props)) {
                    assertThat(app.context().getRouteController().getRouteStatus("graph-tickets-deliver"))
                            .as("graph.tickets.route-enabled=" + expected.getKey()).isEqualTo(expected.getValue());
                }
            }
            props.put("graph.tickets.system", "none");
            props.put("graph.tickets.route-enabled", "");
            try (RunningApp app = RunningApp.start(props)) {
                assertThat(app.context().getRouteController().getRouteStatus("graph-tickets-deliver")).isEqualTo(ServiceStatus.Stopped);
            }
            props.put("graph.tickets.route-enabled", "true");
            assertThatThrownBy(() -> RunningApp.start(props).close())
                    .hasStackTraceContaining("graph.tickets.route-enabled=true needs a ticketing system: graph.tickets.system is none");
        }
    }

    @Test
    void a_duplicate_id_cache_smaller_than_a_page_is_refused_at_start() throws Exception {
        Map<String, String> props = new HashMap<>(RunningApp.defaults(dir, RunningApp.freePort()));
        props.put("graph.tenant-id", "contoso");
        props.put("graph.client-id", "app");
        props.put("graph.client-secret", "not-used");
        props.put("graph.alerts.page-size", "1000");
        props.put("graph.broker.embedded.id-cache-size", "999");

        assertThatThrownBy(() -> RunningApp.start(props).close())
                .hasStackTraceContaining("graph.broker.embedded.id-cache-size=999 is smaller than graph.alerts.page-size=1000");
    }

    @Test
    void the_token_is_requested_once_reused_and_renewed_when_it_expires() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir)) {
            // Renewal is due 15 s after issue: room for several polls even when start-up is slow.
            tenant.simulator.tokenLifetime(Duration.ofSeconds(20));
            tenant.addAlerts(3);
            Map<String, String> props = new HashMap<>(RunningApp.defaults(dir.resolve("app"), RunningApp.freePort()));
            props.putAll(tenant.appProperties());
            props.put("graph.token.renew-before", "PT5S");
            try (RunningApp app = RunningApp.start(props)) {
                // Polls every second: they ride on the first token, then a renewed one carries the following polls.
                await().atMost(Duration.ofSeconds(90)).until(() -> tenant.simulator.requestsWithToken(1) >= 2);
                assertThat(tenant.simulator.requestsWithToken(0)).as("calls on the first token").isGreaterThanOrEqualTo(2);
                // However slow the machine: no token was asked for while the one before was fresh (iat is in
                // whole seconds, hence the second's slack)...
                List<Long> issued = tenant.simulator.issuedTokens().stream().map(ConfigurationTest::issuedAt).toList();
                for (int i = 1; i < issued.size(); i++) {
                    assertThat(issued.get(i) - issued.get(i - 1)).as("s between token %d and token %d", i - 1, i)
                            .isGreaterThanOrEqualTo(20 - 5 - 1);
                }
                // ...and none was used past its expiry: Graph never had to refuse one.
                assertThat(tenant.simulator.graphCalls()).extracting(c -> c.status()).doesNotContain(401);
            }
        }
    }

    /** A JWT's iat claim (epoch seconds). */
    private static long issuedAt(String jwt) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1])).get("iat").asLong();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void a_revoked_token_is_renewed_once_and_polling_goes_on() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir)) {
            tenant.addAlerts(2);
            int brokerPort = RunningApp.freePort();
            Map<String, String> props = new HashMap<>(RunningApp.defaults(dir.resolve("app"), brokerPort));
            props.putAll(tenant.appProperties());
            try (RunningApp app = RunningApp.start(props);
                 io.graphsec.routes.support.Queues queues = new io.graphsec.routes.support.Queues(brokerPort)) {
                assertThat(AlertsToQueuesTest.total(AlertsToQueuesTest.collectUntil(queues, 2))).isEqualTo(2);
                tenant.simulator.revokeTokens();
                tenant.addAlerts(3);
                assertThat(AlertsToQueuesTest.total(AlertsToQueuesTest.collectUntil(queues, 3))).isEqualTo(3);
                assertThat(tenant.simulator.tokenRequests()).isEqualTo(2);
            }
        }
    }

    @Test
    void a_destination_rewired_by_one_property_receives_its_alerts() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir)) {
            long highs = tenant.addAlerts(25).stream().filter(a -> "high".equals(a.get("severity").asText())).count();
            Path out = dir.resolve("high-alerts");
            Map<String, String> props = new HashMap<>(RunningApp.defaults(dir.resolve("app"), RunningApp.freePort()));
            props.putAll(tenant.appProperties());
            props.put("graph.alerts.destination.high", "file:" + out + "?fileName=${header.graphAlertId}.json");
            try (RunningApp app = RunningApp.start(props)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> countFiles(out) == highs);
                List<Path> files;
                try (Stream<Path> s = Files.list(out)) {
                    files = s.toList();
                }
                assertThat(files).allSatisfy(f -> assertThat(Files.readString(f)).contains("\"severity\":\"high\""));
            }
        }
    }

    private static long countFiles(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).count();
        }
    }
}
