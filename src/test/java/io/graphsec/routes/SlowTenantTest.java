package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.OneWorkerFiveTenants;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One tenant's trouble stays its own, when its Graph is slow: a poll whose call times out gives up its
 * scheduler worker instead of retrying on it, and the tenant backs off, so the others keep their
 * cadence. As in {@link ThrottledTenantTest}, one worker serves five tenants (the tightest case of ten
 * workers for hundreds of tenants); the default tenant's Graph answers after 4 s, past the client's
 * 1.5 s timeout, for a while.
 */
class SlowTenantTest extends AgainstSimulatedTenant {

    private static final List<String> OTHERS = OneWorkerFiveTenants.OTHERS;

    @Test
    void a_tenant_whose_graph_times_out_backs_off_while_the_others_keep_their_cadence_then_delivers_everything_once()
            throws Exception {
        Instant now = Instant.now();
        Map<String, String> tenantIds = OneWorkerFiveTenants.configure(dir, tenant, props, now);
        props.put("camel.component.https.response-timeout", "1500");
        props.put("camel.component.https.so-timeout", "1500");
        props.put("graph.poll.failure-backoff", "PT15S");
        ObjectNode before = tenant.newAlert(now.minusSeconds(40), "high");
        tenant.alerts().put(before);

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Received> high = new ArrayList<>(queues.collect("graph.alerts.high", 1 + OTHERS.size()));
            // Every tenant polled once; now the default tenant's Graph answers too late, and it gets new alerts.
            long slowFrom = System.currentTimeMillis();
            tenant.simulator.slowTenant(SimulatedTenant.TENANT, Duration.ofSeconds(4), Duration.ofSeconds(14));
            List<ObjectNode> slowAlerts = List.of(before, tenant.newAlert(Instant.now().minusSeconds(2), "high"),
                    tenant.newAlert(Instant.now().minusSeconds(1), "high"));
            tenant.alerts().putAll(slowAlerts.subList(1, 3));
            // From past its first timed-out call (1.5 s), ten ticks of the others.
            long from = slowFrom + 3_000;
            long to = from + 10_000;
            await().atMost(Duration.ofSeconds(20)).until(() -> System.currentTimeMillis() > to + 500);
            OneWorkerFiveTenants.assertOthersKeptTheirCadence(tenant, tenantIds, from, to,
                    "while the other tenant's Graph is slow");
            long slowCalls = OneWorkerFiveTenants.callsWithin(tenant, SimulatedTenant.TENANT, from, to);
            assertThat(slowCalls).as("calls of the slow tenant while it backs off").isLessThanOrEqualTo(1);

            // Graph is quick again and the back-off over: the tenant reads on from its watermark, each alert once.
            high.addAll(queues.collect("graph.alerts.high", 2));
            int calls = tenant.simulator.graphCallsOf(SimulatedTenant.TENANT).size();
            await().atMost(Duration.ofSeconds(10)).until(() -> tenant.simulator.graphCallsOf(SimulatedTenant.TENANT).size()
                    >= calls + 2);
            high.addAll(queues.drain("graph.alerts.high"));
            OneWorkerFiveTenants.assertEachDeliveredOnce(high, slowAlerts);
        }
    }
}
