package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator's probes and Prometheus see on the management port. */
class HealthAndMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void ready_while_polls_succeed_and_the_metrics_count_what_was_delivered() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir)) {
            tenant.addAlerts(10);
            int brokerPort = RunningApp.freePort();
            int managementPort = RunningApp.freePort();
            Map<String, String> props = new HashMap<>(RunningApp.defaults(dir.resolve("app"), brokerPort));
            props.putAll(tenant.appProperties());
            props.put("camel.management.port", String.valueOf(managementPort));
            try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
                AlertsToQueuesTest.collectUntil(queues, 10);
                await().atMost(Duration.ofSeconds(10)).until(() -> get(managementPort, "/observe/health/ready").statusCode() == 200);
                // Details on request: Camel's management server honours ?exposureLevel=full from whoever reaches the port.
                JsonNode health = JSON.readTree(get(managementPort, "/observe/health?exposureLevel=full").body());
                assertThat(health.toString()).contains("graph-poll-alerts_v2").contains("graph-broker");

                String metrics = get(managementPort, "/observe/metrics").body();
                assertThat(metrics).contains("graph_poll_fetched_total{resource=\"alerts_v2\",tenant=\"default\"}");
                assertThat(sum(metrics, "graph_poll_delivered_total")).isEqualTo(10.0);
                assertThat(metrics).contains("graph_watermark_lag_seconds{resource=\"alerts_v2\",tenant=\"default\"}");
                // Camel's own meters per route stay (camel.metrics.route-policy-level = route), except for the
                // flows every alert passes through (graph.metrics.unmetered-routes).
                assertThat(camelExchangesOf(metrics, "graph-split")).isNotEmpty();
                assertThat(camelExchangesOf(metrics, "graph-alerts-route")).isEmpty();
                assertThat(camelExchangesOf(metrics, "graph-alerts-enrich")).isEmpty();
            }
        }
    }

    @Test
    void not_ready_with_the_reason_when_the_app_registration_cannot_read_alerts() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir, "SecurityIncident.Read.All")) {
            int managementPort = RunningApp.freePort();
            Map<String, String> props = new HashMap<>(RunningApp.defaults(dir.resolve("app"), RunningApp.freePort()));
            props.putAll(tenant.appProperties());
            props.put("camel.management.port", String.valueOf(managementPort));
            try (RunningApp app = RunningApp.start(props)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> get(managementPort, "/observe/health/ready").statusCode() == 503);
                String body = get(managementPort, "/observe/health?exposureLevel=full").body();
                assertThat(body).contains("polling alerts_v2 needs SecurityAlert.Read.All or SecurityAlert.ReadWrite.All");
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        sum(get(managementPort, "/observe/metrics").body(), "graph_poll_failures_total") >= 1);
            }
        }
    }

    @Test
    void by_default_health_answers_only_up_or_down_even_when_down_for_a_reason() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir, "SecurityIncident.Read.All")) {
            int managementPort = RunningApp.freePort();
            Map<String, String> props = new HashMap<>(RunningApp.defaults(dir.resolve("app"), RunningApp.freePort()));
            props.putAll(tenant.appProperties());
            props.put("camel.management.port", String.valueOf(managementPort));
            try (RunningApp app = RunningApp.start(props)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> get(managementPort, "/observe/health/ready").statusCode() == 503);
                String body = get(managementPort, "/observe/health").body();
                assertThat(JSON.readTree(body).get("status").asText()).isEqualTo("DOWN");
                assertThat(body).doesNotContain("SecurityAlert").doesNotContain("graph-poll-alerts_v2")
                        .doesNotContain("graph-broker");
            }
        }
    }

    @Test
    void retries_are_counted_by_cause() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir)) {
            tenant.addAlerts(5);
            tenant.simulator.failNext("GET", 429, java.util.Map.of("Retry-After", "0"), "TooManyRequests");
            tenant.simulator.failNext("GET", 503, java.util.Map.of(), "serviceNotAvailable");
            tenant.simulator.dropNext("GET");
            int brokerPort = RunningApp.freePort();
            int managementPort = RunningApp.freePort();
            Map<String, String> props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
            props.put("camel.management.port", String.valueOf(managementPort));
            try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
                AlertsToQueuesTest.collectUntil(queues, 5);
                String metrics = get(managementPort, "/observe/metrics").body();
                assertThat(metrics).contains("graph_http_retries_total{cause=\"429\"} 1.0")
                        .contains("graph_http_retries_total{cause=\"503\"} 1.0")
                        .contains("graph_http_retries_total{cause=\"connection\"} 1.0");
            }
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sum of a Prometheus counter over all its label sets. */
    private static double sum(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static List<String> camelExchangesOf(String metrics, String routeId) {
        return metrics.lines().filter(l -> l.startsWith("camel_exchanges_total{")
                && l.contains("routeId=\"" + routeId + "\"")).toList();
    }

}
