package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SecondTenant;
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
 * An operator of several tenants sees each on its own: the poll metrics carry the configured tenant
 * name, and readiness names a tenant in trouble without failing the others.
 */
class PerTenantOperationsTest extends AgainstSimulatedTenant {

    private final HttpClient http = HttpClient.newHttpClient();

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
            String metrics = get(managementPort, "/observe/metrics").body();
            assertThat(sum(metrics, "graph_poll_delivered_total", "default")).isEqualTo(2.0);
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

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sum of a Prometheus meter over the label sets of one tenant. */
    static double sum(String metrics, String name, String tenant) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") && l.contains("tenant=\"" + tenant + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
