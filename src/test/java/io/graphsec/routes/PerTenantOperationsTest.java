package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SecondTenant;
import io.graphsec.routes.support.SimulatedTenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An operator of several tenants sees each on its own: the poll metrics and the permits taken of
 * each tenant's request budget carry the configured tenant name, and readiness names a tenant in
 * trouble without failing the others.
 */
class PerTenantOperationsTest extends AgainstSimulatedTenant {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void the_poll_metrics_count_each_tenant_apart() throws Exception {
        tenant.simulator.registerClient(SecondTenant.TENANT, SecondTenant.CLIENT, SecondTenant.SECRET,
                "SecurityAlert.Read.All");
        Instant now = Instant.now();
        AlertFactory fabrikam = new AlertFactory(77, SecondTenant.TENANT);
        for (int i = 0; i < 3; i++) {
            tenant.simulator.alerts(SecondTenant.TENANT).put(fabrikam.newAlert(now.minusSeconds(30 - i), "high", "9000" + i));
        }
        tenant.alerts().putAll(List.of(tenant.newAlert(now.minusSeconds(20), "high"),
                tenant.newAlert(now.minusSeconds(10), "high")));
        SecondTenant.configure(props);
        props.put("graph.tenant.fabrikam.alerts.poll.cron", "0/1 * * * * ?");
        int managementPort = RunningApp.freePort();
        props.put("camel.management.port", String.valueOf(managementPort));

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Queues.Received> high = new ArrayList<>(queues.collect("graph.alerts.high", 5));
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                String m = get(managementPort, "/observe/metrics").body();
                return sum(m, "graph_poll_delivered_total", "default") == 2 && sum(m, "graph_poll_delivered_total", "fabrikam") == 3;
            });
            int callsOfDefault = tenant.simulator.graphCallsOf(SimulatedTenant.TENANT).size();
            int callsOfFabrikam = tenant.simulator.graphCallsOf(SecondTenant.TENANT).size();
            String metrics = get(managementPort, "/observe/metrics").body();
            assertThat(sum(metrics, "graph_poll_delivered_total", "default")).isEqualTo(2.0);
            // Every Graph request took a permit of its own tenant's budget before it left.
            assertThat(sum(metrics, "graph_budget_permits_total", "default")).isPositive()
                    .isGreaterThanOrEqualTo(callsOfDefault);
            assertThat(sum(metrics, "graph_budget_permits_total", "fabrikam")).isPositive()
                    .isGreaterThanOrEqualTo(callsOfFabrikam);
            assertThat(sum(metrics, "graph_poll_delivered_total", "fabrikam")).isEqualTo(3.0);
            // Fetched counts every read, the overlap of later windows included.
            assertThat(sum(metrics, "graph_poll_fetched_total", "fabrikam")).isGreaterThanOrEqualTo(3.0);
            assertThat(sum(metrics, "graph_polls_total", "default")).isGreaterThanOrEqualTo(1.0);
            assertThat(sum(metrics, "graph_polls_total", "fabrikam")).isGreaterThanOrEqualTo(1.0);
            assertThat(metrics).contains("graph_watermark_lag_seconds{resource=\"alerts_v2\",tenant=\"default\"}")
                    .contains("graph_watermark_lag_seconds{resource=\"alerts_v2\",tenant=\"fabrikam\"}");
            high.addAll(queues.drain("graph.alerts.high"));
            assertThat(high).hasSize(5);
        }
    }

    @Test
    void readiness_names_the_tenant_graph_throttles_and_stays_up_for_the_others() throws Exception {
        tenant.simulator.registerClient(SecondTenant.TENANT, SecondTenant.CLIENT, SecondTenant.SECRET,
                "SecurityAlert.Read.All");
        Instant now = Instant.now();
        tenant.simulator.alerts(SecondTenant.TENANT).put(new AlertFactory(77, SecondTenant.TENANT)
                .newAlert(now.minusSeconds(30), "high", "90000"));
        tenant.alerts().put(tenant.newAlert(now.minusSeconds(20), "high"));
        SecondTenant.configure(props);
        props.put("graph.tenant.fabrikam.alerts.poll.cron", "0/1 * * * * ?");
        props.put("graph.health.max-poll-age", "PT4S");
        int managementPort = RunningApp.freePort();
        props.put("camel.management.port", String.valueOf(managementPort));

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            queues.collect("graph.alerts.high", 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> get(managementPort, "/observe/health/ready").statusCode() == 200);
            assertThat(tenantsCheck(managementPort).path("data").path("failing").asText()).isEmpty();

            // Graph asks fabrikam to wait a minute: longer than a poll waits, so its polls pause.
            tenant.simulator.throttleTenant(SecondTenant.TENANT, "60", Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonNode seen = tenantsCheck(managementPort);
                assertThat(seen.path("data").path("failing").asText()).as("%s", seen).isEqualTo("fabrikam");
            });
            JsonNode check = tenantsCheck(managementPort);
            assertThat(check.path("status").asText()).isEqualTo("UP");
            assertThat(check.path("message").asText()).isEqualTo("failing tenants: fabrikam");
            assertThat(check.path("data").path("tenant.fabrikam").asText()).contains("throttled by Graph");
            assertThat(check.path("data").has("tenant.default")).isFalse();
            assertThat(get(managementPort, "/observe/health/ready").statusCode()).isEqualTo(200);
            String metrics = get(managementPort, "/observe/metrics").body();
            assertThat(sum(metrics, "graph_http_throttled_total", "fabrikam")).isGreaterThanOrEqualTo(1.0);
            assertThat(sum(metrics, "graph_http_throttled_total", "default")).isZero();

            // Past graph.health.max-poll-age fabrikam's poll is not ready; the deployment still is.
            await().atMost(Duration.ofSeconds(10)).until(() -> tenantsCheck(managementPort).path("data")
                    .path("tenant.fabrikam").asText().contains("no successful alerts_v2@fabrikam poll"));
            assertThat(get(managementPort, "/observe/health/ready").statusCode()).isEqualTo(200);
            assertThat(tenantsCheck(managementPort).path("data").path("failing").asText()).isEqualTo("fabrikam");
        }
    }

    @Test
    void not_ready_naming_every_tenant_when_none_is_ready() throws Exception {
        tenant.simulator.registerClient(SecondTenant.TENANT, SecondTenant.CLIENT, SecondTenant.SECRET,
                "SecurityAlert.Read.All");
        SecondTenant.configure(props);
        props.put("graph.tenant.fabrikam.alerts.poll.cron", "0/1 * * * * ?");
        props.put("graph.health.max-poll-age", "PT4S");
        int managementPort = RunningApp.freePort();
        props.put("camel.management.port", String.valueOf(managementPort));

        try (RunningApp app = RunningApp.start(props)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> get(managementPort, "/observe/health/ready").statusCode() == 200);
            tenant.simulator.throttleTenant(SimulatedTenant.TENANT, "60", Duration.ofSeconds(60));
            tenant.simulator.throttleTenant(SecondTenant.TENANT, "60", Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(15)).until(() -> get(managementPort, "/observe/health/ready").statusCode() == 503);
            JsonNode check = tenantsCheck(managementPort);
            assertThat(check.path("status").asText()).isEqualTo("DOWN");
            assertThat(check.path("message").asText()).isEqualTo("no tenant is ready: default, fabrikam");
        }
    }

    /** The graph-tenants readiness check as the management port shows it, with its details. */
    static JsonNode tenantsCheck(int managementPort) throws Exception {
        JsonNode health = JSON.readTree(get(managementPort, "/observe/health?exposureLevel=full&data=true").body());
        for (JsonNode check : health.path("checks")) {
            if ("graph-tenants".equals(check.path("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no graph-tenants check in " + health);
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sum of a Prometheus meter over the label sets of one tenant. */
    static double sum(String metrics, String name, String tenant) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") && l.contains("tenant=\"" + tenant + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
