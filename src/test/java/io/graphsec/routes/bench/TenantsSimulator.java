package io.graphsec.routes.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.simulator.EntityStore;
import io.graphsec.routes.simulator.GraphSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The tenants mode's Graph in this JVM: one Graph simulator holding T tenants, each its own app
 * registration and token (Graph's 150 requests a minute each), each N high-severity alerts last
 * updated over the last day (22.5 hours to 30 minutes ago). Tenant 0 is the application's default
 * tenant, tenant i > 0 is {@code t<i>} of graph.tenants.
 *
 * <p>{@link #main} runs it as a process of its own, driven by {@link ForkedSimulator}, so that its
 * 10 KB of heap per alert stays out of the measured JVM.
 */
final class TenantsSimulator implements SimulatedTenants {

    private final GraphSimulator sim;
    private final Map<String, String> appProperties = new LinkedHashMap<>();
    private final int tenants;

    TenantsSimulator(Path dir, int tenants, int alerts) throws IOException {
        this.tenants = tenants;
        sim = new GraphSimulator(0).start();
        Path trust = sim.writeTrustStore(dir.resolve("simulator-truststore.p12"));
        List<EntityStore> stores = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            sim.registerClient(tid(i), client(i), "secret-" + i, "SecurityAlert.Read.All");
            stores.add(sim.alerts(tid(i)));
            String prefix = i == 0 ? "graph." : "graph.tenant." + name(i) + ".";
            appProperties.put(prefix + "tenant-id", tid(i));
            appProperties.put(prefix + "client-id", client(i));
            appProperties.put(prefix + "client-secret", "secret-" + i);
        }
        // One factory per tenant, tenants in parallel: 500 000 alerts on one thread take minutes.
        IntStream.range(0, tenants).parallel().forEach(i -> load(stores.get(i), i, alerts));
        appProperties.put("graph.tenants", IntStream.range(1, tenants).mapToObj(TenantsSimulator::name)
                .collect(Collectors.joining(",")));
        appProperties.put("graph.base-url", sim.baseUrl());
        appProperties.put("graph.authority-host", sim.baseUrl());
        appProperties.put("graph.trust-store", trust.toString());
        appProperties.put("graph.trust-store-password", GraphSimulator.trustStorePassword());
    }

    private static void load(EntityStore store, int tenant, int alerts) {
        AlertFactory factory = new AlertFactory(7000L + tenant, tid(tenant));
        Instant newest = Instant.now().minus(Duration.ofMinutes(30));
        long span = Duration.ofHours(22).toMillis();
        List<ObjectNode> batch = new ArrayList<>(alerts);
        for (int i = 0; i < alerts; i++) {
            batch.add(factory.newAlert(newest.minusMillis(span * (alerts - 1 - i) / Math.max(1, alerts)),
                    "high", String.valueOf(500_000 + i / 4)));
        }
        store.putAll(batch);
    }

    /** The application's name of tenant {@code i}: its queue is bench.&lt;name&gt;. */
    static String name(int i) {
        return i == 0 ? "default" : "t" + i;
    }

    private static String tid(int i) {
        return String.format(Locale.ROOT, "%08d-0000-4000-8000-000000000001", i);
    }

    private static String client(int i) {
        return String.format(Locale.ROOT, "%08d-1111-4000-8000-000000000001", i);
    }

    @Override
    public Map<String, String> appProperties() {
        return appProperties;
    }

    @Override
    public BenchTenant.Requests requests() {
        return new BenchTenant.Requests(sim.graphRequests(), sim.tokenRequests());
    }

    @Override
    public Calls calls() {
        List<List<Long>> perTenant = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            perTenant.add(List.copyOf(sim.graphCallsOf(tid(i))));
        }
        return new Calls(perTenant, sim.graphCalls().stream().filter(c -> c.status() == 429).count());
    }

    @Override
    public void throttle(int tenant, int retryAfterSeconds, Duration during) {
        sim.throttleTenant(tid(tenant), String.valueOf(retryAfterSeconds), during);
    }

    @Override
    public void close() {
        sim.close();
    }

    /** {@code TenantsSimulator <dir> <tenants> <alerts per tenant>}: answers describe, stats, calls, throttle and quit. */
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        int tenants = Integer.parseInt(args[1]);
        int alerts = Integer.parseInt(args[2]);
        TenantsSimulator sim = new TenantsSimulator(Path.of(args[0]), tenants, alerts);
        BenchSimulator.serve(String.valueOf((long) tenants * alerts), start, sim, (cmd, reply) -> {
            switch (cmd[0]) {
                case "describe" -> sim.appProperties().forEach((k, v) -> reply.accept("PROP " + k + "=" + v));
                case "stats" -> {
                    BenchTenant.Requests r = sim.requests();
                    reply.accept("STATS " + r.graph() + " " + r.token());
                }
                case "calls" -> {
                    Calls calls = sim.calls();
                    for (int i = 0; i < calls.perTenant().size(); i++) {
                        StringBuilder line = new StringBuilder("CALLS ").append(i);
                        calls.perTenant().get(i).forEach(t -> line.append(' ').append(t));
                        reply.accept(line.toString());
                    }
                    reply.accept("THROTTLED " + calls.throttled());
                }
                case "throttle" -> sim.throttle(Integer.parseInt(cmd[1]), Integer.parseInt(cmd[2]),
                        Duration.ofMillis(Long.parseLong(cmd[3])));
                default -> reply.accept("ERROR unknown command " + String.join(" ", cmd));
            }
        });
    }
}
