package io.graphsec.routes.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.support.SimulatedTenant;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The benchmark's Graph tenant in this JVM: the project's Graph simulator (HTTPS on a loopback
 * port, MSAL-compatible token endpoint) with a backlog of {@code alerts} alerts from
 * {@link AlertFactory} (3-5 KB each), severities in a realistic mix.
 *
 * <p>The backlog's lastUpdateDateTime values are spread evenly from 22.5 hours to 30 minutes ago:
 * inside the first poll's one-day look-back, outside every later poll's 10-minute lag window, as
 * a backlog that built up over a day would be. So a fresh application reads all of it in its
 * first poll, and later polls find it settled.
 *
 * <p>{@link #main} runs it as a process of its own, driven over stdin/stdout by
 * {@link ForkedSimulator}; that keeps the simulator's 10 KB of heap per alert out of the measured
 * JVM (a million alerts need about 11 GB).
 */
public final class BenchSimulator implements BenchTenant {

    /** Lines of the stdin/stdout protocol start with this; anything else on stdout is log output. */
    static final String PROTOCOL = "@@ ";
    private static final int CHUNK = 10_000;
    private static final Duration NEWEST = Duration.ofMinutes(30);
    private static final Duration SPAN = Duration.ofMinutes(22 * 60);

    private final SimulatedTenant tenant;
    private final Map<String, Long> expected = new TreeMap<>();
    private final AlertFactory live = new AlertFactory(4242, SimulatedTenant.TENANT);
    private final Random random = new Random(4242);
    private int nextIncident = 9_000_000;

    public BenchSimulator(Path dir, int alerts, boolean throttle) throws IOException {
        tenant = new SimulatedTenant(dir);
        // Graph allows 150 requests a minute on /security; the benchmark measures our code, so the cap is off unless asked for.
        tenant.simulator.requestsPerMinute(throttle ? 150 : 0);
        BenchTenant.ALL_QUEUES.forEach(q -> expected.put(q, 0L));
        loadBacklog(alerts);
    }

    private void loadBacklog(int alerts) {
        Instant newest = Instant.now().minus(NEWEST);
        long spanMillis = SPAN.toMillis();
        int chunks = (alerts + CHUNK - 1) / CHUNK;
        // One factory per chunk: AlertFactory is synchronized, and generating a million alerts on one thread takes a minute.
        IntStream.range(0, chunks).parallel().forEach(c -> {
            AlertFactory factory = new AlertFactory(1000L + c, SimulatedTenant.TENANT);
            Random mix = new Random(1000L + c);
            List<ObjectNode> batch = new ArrayList<>(CHUNK);
            for (int i = c * CHUNK; i < Math.min(alerts, (c + 1) * CHUNK); i++) {
                Instant created = newest.minusMillis(spanMillis * (alerts - 1 - i) / Math.max(alerts, 1));
                batch.add(factory.newAlert(created, severity(mix), String.valueOf(100_000 + i / 4)));
            }
            tenant.alerts().putAll(batch);
            count(batch);
        });
    }

    /** Defender's rough mix: 15% high, 35% medium, 25% low, 20% informational, 5% unknown (triage). */
    private static String severity(Random r) {
        int p = r.nextInt(100);
        return p < 15 ? "high" : p < 50 ? "medium" : p < 75 ? "low" : p < 95 ? "informational" : "unknown";
    }

    private synchronized void count(List<ObjectNode> added) {
        added.forEach(a -> expected.merge(BenchTenant.queueFor(a.get("severity").asText()), 1L, Long::sum));
    }

    @Override
    public Map<String, String> appProperties() {
        return tenant.appProperties();
    }

    @Override
    public synchronized Map<String, Long> expectedPerQueue() {
        return new TreeMap<>(expected);
    }

    @Override
    public Requests requests() {
        return new Requests(tenant.simulator.graphRequests(), tenant.simulator.tokenRequests());
    }

    @Override
    public synchronized Added addNow() {
        Instant now = Instant.now();
        ObjectNode alert = live.newAlert(now, severity(random), String.valueOf(nextIncident++));
        tenant.alerts().put(alert);
        count(List.of(alert));
        return new Added(alert.get("id").asText(), BenchTenant.queueFor(alert.get("severity").asText()), now);
    }

    @Override
    public synchronized void addRecent(int count) {
        Instant now = Instant.now();
        List<ObjectNode> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant updated = now.minusMillis(60_000L + random.nextInt(240_000));
            batch.add(live.newAlert(updated, severity(random), String.valueOf(nextIncident++)));
        }
        tenant.alerts().putAll(batch);
        count(batch);
    }

    @Override
    public void close() {
        tenant.close();
    }

    // ---- as a process of its own -------------------------------------------------------------

    /**
     * {@code BenchSimulator <dir> <alerts> <throttle>}: loads the backlog, then answers one command
     * per stdin line ({@code describe}, {@code stats}, {@code add}, {@code recent <n>},
     * {@code quit}) with protocol lines ending in {@code @@ END}.
     */
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        BenchSimulator sim = new BenchSimulator(Path.of(args[0]), Integer.parseInt(args[1]), Boolean.parseBoolean(args[2]));
        serve(args[1], start, sim, (cmd, reply) -> {
            switch (cmd[0]) {
                case "describe" -> {
                    sim.appProperties().forEach((k, v) -> reply.accept("PROP " + k + "=" + v));
                    sim.expectedPerQueue().forEach((q, n) -> reply.accept("EXPECT " + q + " " + n));
                }
                case "stats" -> {
                    Requests r = sim.requests();
                    reply.accept("STATS " + r.graph() + " " + r.token());
                }
                case "add" -> {
                    Added a = sim.addNow();
                    reply.accept("ADDED " + a.id() + " " + a.queue() + " " + a.at());
                }
                case "recent" -> sim.addRecent(Integer.parseInt(cmd[1]));
                default -> reply.accept("ERROR unknown command " + String.join(" ", cmd));
            }
        });
    }

    /**
     * The process side of {@link ForkedSimulator}'s protocol, for any simulator loaded since {@code startNanos}:
     * reports LOADED (how many alerts, load time, heap held), then answers one command per stdin line with
     * the lines {@code answer} replies, then END, until {@code quit} or the end of stdin.
     */
    static void serve(String alerts, long startNanos, AutoCloseable sim,
                      BiConsumer<String[], Consumer<String>> answer) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.gc();
        Runtime rt = Runtime.getRuntime();
        out.println(PROTOCOL + "LOADED " + alerts + " " + (System.nanoTime() - startNanos) / 1_000_000 + " "
                + (rt.totalMemory() - rt.freeMemory()));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
            try {
                answer.accept(line.trim().split(" "), reply -> out.println(PROTOCOL + reply));
            } catch (RuntimeException e) {
                out.println(PROTOCOL + "ERROR " + e);
            }
            out.println(PROTOCOL + "END");
        }
        // quit, or the benchmark's JVM is gone (end of stdin): the HTTPS server's threads must not keep this one alive.
        sim.close();
        System.exit(0);
    }
}
