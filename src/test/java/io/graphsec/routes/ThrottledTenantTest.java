package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.simulator.GraphCall;
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
 * One tenant's trouble stays its own: polls of every tenant share a few scheduler threads, so a
 * tenant that Graph throttles for long must not hold one while it waits. Here one worker serves five
 * tenants (the tightest case of ten workers for hundreds of tenants) and the default tenant answers
 * 429 with {@code Retry-After: 60} for a while.
 */
class ThrottledTenantTest extends AgainstSimulatedTenant {

    private static final List<String> OTHERS = OneWorkerFiveTenants.OTHERS;

    @Test
    void a_throttled_tenant_skips_its_ticks_while_the_others_keep_their_cadence_then_delivers_everything_once()
            throws Exception {
        Instant now = Instant.now();
        Map<String, String> tenantIds = OneWorkerFiveTenants.configure(dir, tenant, props, now);
        // Graph asks for 60 s; the app waits at most 15 s (graph.http.max-retry-after) to keep the test short.
        props.put("graph.http.max-retry-after", "PT15S");
        ObjectNode before = tenant.newAlert(now.minusSeconds(40), "high");
        tenant.alerts().put(before);

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Received> high = queues.collect("graph.alerts.high", 1 + OTHERS.size());
            // Every tenant polled once; now Graph throttles the default tenant, which gets new alerts meanwhile.
            tenant.simulator.throttleTenant(SimulatedTenant.TENANT, "60", Duration.ofSeconds(10));
            List<ObjectNode> throttledAlerts = List.of(before, tenant.newAlert(Instant.now().minusSeconds(2), "high"),
                    tenant.newAlert(Instant.now().minusSeconds(1), "high"));
            tenant.alerts().putAll(throttledAlerts.subList(1, 3));
            await().atMost(Duration.ofSeconds(10)).until(() -> tenant.simulator.graphCalls().stream()
                    .anyMatch(c -> c.status() == 429));
            long throttledAt = tenant.simulator.graphCalls().stream().filter(c -> c.status() == 429)
                    .mapToLong(GraphCall::arrived).min().orElseThrow();
            long from = throttledAt + 1_000;
            long to = from + 10_000;
            await().atMost(Duration.ofSeconds(20)).until(() -> System.currentTimeMillis() > to + 500);
            OneWorkerFiveTenants.assertOthersKeptTheirCadence(tenant, tenantIds, from, to, "after the other tenant was throttled");
            long throttledCalls = OneWorkerFiveTenants.callsWithin(tenant, SimulatedTenant.TENANT, from, to);
            assertThat(throttledCalls).as("calls of the throttled tenant while it waits for Retry-After").isZero();

            // Once the pause is over, the throttled tenant resumes from its watermark: each of its alerts once.
            high.addAll(queues.collect("graph.alerts.high", 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("app/state/alerts_v2.watermark")));
            int calls = tenant.simulator.graphCallsOf(SimulatedTenant.TENANT).size();
            await().atMost(Duration.ofSeconds(10)).until(() -> tenant.simulator.graphCallsOf(SimulatedTenant.TENANT).size()
                    >= calls + 2);
            high.addAll(queues.drain("graph.alerts.high"));
            OneWorkerFiveTenants.assertEachDeliveredOnce(high, throttledAlerts);
        }
    }
}
