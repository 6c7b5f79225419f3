package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two tenants in one deployment (an MSSP's case): each polled with its own app credentials, token,
 * watermark and delivered-version store, its alerts carrying its name, and routing using it.
 */
class MultiTenantTest extends AgainstSimulatedTenant {

    private static final String FABRIKAM = "99999999-8888-7777-6666-555555555555";
    private static final String FABRIKAM_CLIENT = "ffffffff-eeee-dddd-cccc-bbbbbbbbbbbb";
    private static final String FABRIKAM_SECRET = "fabrikam-S3cret~value";

    @Test
    void each_tenant_is_polled_with_its_own_credentials_and_state_and_routed_by_its_name() throws Exception {
        tenant.simulator.registerClient(FABRIKAM, FABRIKAM_CLIENT, FABRIKAM_SECRET, "SecurityAlert.Read.All");
        AlertFactory fabrikamAlerts = new AlertFactory(77, FABRIKAM);
        Instant now = Instant.now();
        List<ObjectNode> theirs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            theirs.add(fabrikamAlerts.newAlert(now.minusSeconds(30 - i), "high", "9000" + i));
        }
        tenant.simulator.alerts(FABRIKAM).putAll(theirs);
        List<ObjectNode> ours = List.of(tenant.newAlert(now.minusSeconds(20), "high"), tenant.newAlert(now.minusSeconds(10), "high"));
        tenant.alerts().putAll(ours);

        props.put("graph.tenants", "fabrikam");
        props.put("graph.tenant.fabrikam.tenant-id", FABRIKAM);
        props.put("graph.tenant.fabrikam.client-id", FABRIKAM_CLIENT);
        props.put("graph.tenant.fabrikam.client-secret", FABRIKAM_SECRET);
        props.put("graph.tenant.fabrikam.alerts.poll.cron", "0/1 * * * * ?");
        // Routing by tenant, in properties alone: one high queue per tenant.
        props.put("graph.alerts.destination.high", "jms:queue:${header.graphTenant}.alerts.high");

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Received> defaultHigh = queues.collect("default.alerts.high", 2);
            List<Received> fabrikamHigh = queues.collect("fabrikam.alerts.high", 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("app/state/tenants/fabrikam/alerts_v2.watermark")));
            // Two further polls of both tenants: nothing more may arrive.
            int gets = tenant.simulator.graphRequests("GET");
            await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphRequests("GET") >= gets + 4);
            defaultHigh.addAll(queues.drain("default.alerts.high"));
            fabrikamHigh.addAll(queues.drain("fabrikam.alerts.high"));

            assertThat(defaultHigh).extracting(m -> m.property("graphAlertId"))
                    .containsExactlyInAnyOrderElementsOf(ours.stream().map(a -> a.get("id").asText()).toList());
            assertThat(defaultHigh).allMatch(m -> SimulatedTenant.TENANT.equals(m.property("graphTenantId")));
            assertThat(fabrikamHigh).extracting(m -> m.property("graphAlertId"))
                    .containsExactlyInAnyOrderElementsOf(theirs.stream().map(a -> a.get("id").asText()).toList());
            assertThat(fabrikamHigh).allMatch(m -> FABRIKAM.equals(m.property("graphTenantId"))
                    && "fabrikam".equals(m.property("graphTenant")));
            assertThat(Files.exists(dir.resolve("app/state/alerts_v2.watermark"))).isTrue();
            // The simulator serves each tenant's alerts only to that tenant's token: both tokens were issued.
            assertThat(tenant.simulator.tokenRequests()).isGreaterThanOrEqualTo(2);
        }
    }
}
