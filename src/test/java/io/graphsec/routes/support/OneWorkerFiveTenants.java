package io.graphsec.routes.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tightest case of Quartz's ten workers for hundreds of tenants: one worker serving the default
 * tenant and four further ones (t1 to t4), each of those with its app registration in the simulator
 * and one high alert, all on the tests' one-second cron.
 */
public final class OneWorkerFiveTenants {

    public static final List<String> OTHERS = List.of("t1", "t2", "t3", "t4");

    private OneWorkerFiveTenants() {
    }

    /** Configures {@code props} so; the further tenants' Entra tenant ids by name. */
    public static Map<String, String> configure(Path dir, SimulatedTenant tenant, Map<String, String> props, Instant now)
            throws IOException {
        Path quartz = dir.resolve("one-worker-quartz.properties");
        Files.writeString(quartz, """
                org.quartz.scheduler.skipUpdateCheck = true
                org.quartz.threadPool.class = org.quartz.simpl.SimpleThreadPool
                org.quartz.threadPool.threadCount = 1
                org.quartz.jobStore.class = org.quartz.simpl.RAMJobStore
                org.quartz.jobStore.misfireThreshold = 1000
                """);
        props.put("camel.component.quartz.properties-file", "file:" + quartz);
        Map<String, String> tenantIds = new LinkedHashMap<>();
        for (int i = 0; i < OTHERS.size(); i++) {
            String name = OTHERS.get(i);
            String tid = String.format("%08d-0000-4000-8000-000000000000", i + 1);
            String client = String.format("%08d-1111-4000-8000-000000000000", i + 1);
            tenantIds.put(name, tid);
            tenant.simulator.registerClient(tid, client, "secret-" + name, "SecurityAlert.Read.All");
            tenant.simulator.alerts(tid).put(new AlertFactory(50 + i, tid).newAlert(now.minusSeconds(30), "high", "70" + i));
            props.put("graph.tenant." + name + ".tenant-id", tid);
            props.put("graph.tenant." + name + ".client-id", client);
            props.put("graph.tenant." + name + ".client-secret", "secret-" + name);
        }
        props.put("graph.tenants", String.join(",", OTHERS));
        return tenantIds;
    }

    /** How many Graph calls of the Entra tenant {@code tid} arrived in [{@code from}, {@code to}) (epoch millis). */
    public static long callsWithin(SimulatedTenant tenant, String tid, long from, long to) {
        return tenant.simulator.graphCallsOf(tid).stream().filter(t -> t >= from && t < to).count();
    }

    /**
     * Each further tenant polled at least 3 times in the ten one-second ticks of [{@code from}, {@code to}):
     * a worker held by the troubled tenant gives next to none; a loaded machine (two test JVMs beside
     * other builds) may let Quartz misfire a few of them.
     */
    public static void assertOthersKeptTheirCadence(SimulatedTenant tenant, Map<String, String> tenantIds, long from,
                                                    long to, String meanwhile) {
        for (String name : OTHERS) {
            assertThat(callsWithin(tenant, tenantIds.get(name), from, to))
                    .as("polls of %s in the 10 s %s (1 s cron)", name, meanwhile).isGreaterThanOrEqualTo(3);
        }
    }

    /** The default tenant's alerts, and one of each further tenant, each delivered once. */
    public static void assertEachDeliveredOnce(List<Queues.Received> high, List<ObjectNode> defaultTenantAlerts) {
        assertThat(high.stream().filter(m -> "default".equals(m.property("graphTenant"))).map(m -> m.property("graphAlertId")))
                .containsExactlyInAnyOrderElementsOf(defaultTenantAlerts.stream().map(a -> a.get("id").asText()).toList());
        assertThat(high.stream().filter(m -> !"default".equals(m.property("graphTenant"))).map(m -> m.property("graphTenant")))
                .containsExactlyInAnyOrderElementsOf(OTHERS);
    }
}
