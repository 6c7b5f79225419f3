package io.graphsec.routes.bench;

import io.graphsec.routes.GraphSecurityApplication;
import io.graphsec.routes.broker.EmbeddedBroker;
import io.graphsec.routes.state.WatermarkStore;
import io.graphsec.routes.support.RunningApp;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The performance benchmark of graph-security-routes, which measures what the routes cost beside a bare
 * Camel baseline: a main class, not a test, run by
 * {@code mvn -B -ntp -Pbench test-compile exec:exec} (see docs/performance.md for every option).
 *
 * <p>In one run it starts the Graph simulator with a backlog of N alerts (in its own JVM by
 * default) and measures, in this JVM:
 * <ul>
 *   <li>startup: from starting the application to its first completed poll, in this JVM (cold)
 *       and in a fresh application JVM;</li>
 *   <li>baseline: a hand-written loop without Camel ({@link Baseline}) into a persistent embedded
 *       Artemis, alerts/s;</li>
 *   <li>routes: the real application (Camel Main, routes/*.camel.yaml) from an empty watermark until
 *       the broker holds every alert, alerts/s, then one more poll to prove nothing came twice;</li>
 *   <li>idle: Graph and token requests per poll once the backlog is settled (and with alerts
 *       inside the lag window);</li>
 *   <li>latency: from putting an alert into the simulator to its message reaching a JMS listener,
 *       with the one-second poll.</li>
 * </ul>
 * Baseline and routes repeat R times; the report gives median and min-max. The run exits 1 if any
 * alert was lost or duplicated (or a phase did not finish), never because of a timing.
 */
public final class GraphSecurityBench {

    private static final double MIB = 1024.0 * 1024.0;

    private final BenchSettings settings;
    private final Path runDir;
    private final HeapWatcher heap = new HeapWatcher();
    private final Map<String, List<Double>> metrics = new LinkedHashMap<>();
    private final Map<String, String> formats = new HashMap<>();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private BenchTenant tenant;
    /** What the queues must hold once everything is delivered (the backlog, plus alerts added for the idle phase). */
    private Map<String, Long> backlog;
    private Map<String, Long> initialBacklog;
    private TenantsBench tenantsBench;

    private GraphSecurityBench(BenchSettings settings, Path runDir) {
        this.settings = settings;
        this.runDir = runDir;
    }

    public static void main(String[] args) throws Exception {
        BenchSettings settings = BenchSettings.fromSystemProperties();
        Path runDir = settings.outDir().resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(runDir);
        GraphSecurityBench bench = new GraphSecurityBench(settings, runDir);
        int status = bench.run();
        System.out.flush();
        // Camel, Artemis and Quartz may leave non-daemon threads behind; the verdict is the exit status.
        System.exit(status);
    }

    private int run() {
        log("settings: " + settings);
        log("run directory: " + runDir.toAbsolutePath());
        try {
            if (!settings.sections().equals(java.util.Set.of("tenants"))) {
                startTenant();
            }
            if (settings.runs("startup")) {
                section("startup", this::startup);
            }
            if (settings.warmupAlerts() > 0 && (settings.runs("baseline") || settings.runs("routes"))) {
                section("warm-up", this::warmUp);
            }
            for (int r = 1; r <= settings.repeats(); r++) {
                int rep = r;
                if (settings.runs("baseline")) {
                    section("baseline " + rep, () -> baseline(rep));
                }
                if (settings.runs("routes")) {
                    section("routes " + rep, () -> routes(rep, rep == settings.repeats()));
                }
            }
            if (settings.runs("latency")) {
                section("latency", this::latency);
            }
            if (settings.runs("dedup")) {
                section("dedup", this::dedup);
            }
            if (settings.runs("tenants") || settings.smoke()) {
                section("tenants", this::tenants);
            }
        } catch (Exception e) {
            failures.add("simulator: " + e);
            e.printStackTrace(System.out);
        } finally {
            if (tenant != null) {
                tenant.close();
            }
            heap.close();
        }
        String report = report();
        System.out.println(report);
        try {
            Files.writeString(runDir.resolve("report.md"), report);
        } catch (Exception e) {
            log("could not write the report file: " + e);
        }
        return failures.isEmpty() ? 0 : 1;
    }

    private interface Section {
        void run() throws Exception;
    }

    private void section(String name, Section body) {
        log("---- " + name + " ----");
        try {
            body.run();
        } catch (Exception | OutOfMemoryError e) {
            failures.add(name + ": " + e);
            e.printStackTrace(System.out);
        } finally {
            dropJournals();
        }
    }

    /**
     * The broker journals of finished phases go (their logs stay): a 100 000-alert run writes ~1.5 GB
     * of journal per phase, and a broker blocks its producers once the disk is 90 % full, which a few
     * kept runs reached here (the routes then stalled, "AMQ222212: Disk Full!").
     */
    private void dropJournals() {
        try (java.util.stream.Stream<Path> dirs = Files.find(runDir, 3,
                (p, a) -> a.isDirectory() && p.getFileName().toString().equals("broker"))) {
            for (Path broker : dirs.toList()) {
                try (java.util.stream.Stream<Path> all = Files.walk(broker)) {
                    for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (Exception e) {
            log("could not delete the broker journals under " + runDir + ": " + e);
        }
    }

    private void startTenant() throws Exception {
        long t0 = System.nanoTime();
        Path dir = runDir.resolve("simulator");
        Files.createDirectories(dir);
        if (settings.forkSimulator()) {
            ForkedSimulator forked = new ForkedSimulator(dir, settings.alerts(), settings.throttle(), settings.simulatorHeap());
            log(String.format(Locale.ROOT, "simulator JVM (-Xmx%s) holds %d alerts: generated in %.1f s, %.0f MiB of its heap",
                    settings.simulatorHeap(), settings.alerts(), forked.loadTime.toMillis() / 1000.0, forked.loadedHeapBytes / MIB));
            tenant = forked;
        } else {
            tenant = new BenchSimulator(dir, settings.alerts(), settings.throttle());
            log(String.format(Locale.ROOT, "simulator in this JVM holds %d alerts, generated in %.1f s",
                    settings.alerts(), (System.nanoTime() - t0) / 1e9));
        }
        backlog = tenant.expectedPerQueue();
        initialBacklog = backlog;
        log("backlog per queue: " + backlog);
    }

    // ---- startup -------------------------------------------------------------------------------

    /**
     * Start to first completed poll, over a settled tenant (the watermark is now, so the first poll
     * reads an empty window: one token request, one Graph request). First in this JVM, while it is
     * still cold, then in fresh application JVMs, which is what an operator's restart costs.
     */
    private void startup() throws Exception {
        Path dir = runDir.resolve("startup-inprocess");
        settledWatermark(dir.resolve("state"));
        try (BenchApp app = BenchApp.start(dir, tenant, settings.pageSize())) {
            if (!app.polls.awaitCompleted(1, Duration.ofSeconds(60))) {
                throw new IllegalStateException("no poll completed within 60 s of starting the application");
            }
            record("startup, this JVM (cold): Camel Main start() s", "%.2f", (app.started - app.startCalled) / 1e9);
            BenchApp.Snapshot first = app.polls.now();
            record("startup, this JVM (cold): start to first poll begun s", "%.2f", (first.firstBegun() - app.startCalled) / 1e9);
            record("startup, this JVM (cold): start to first poll completed s", "%.2f", (first.lastEnded() - app.startCalled) / 1e9);
            record("startup, this JVM (cold): first poll (token, 1 Graph request) s", "%.2f", app.polls.durationsMillis().get(0) / 1000);
        }
        for (int i = 1; i <= settings.startupRepeats(); i++) {
            record("startup, new JVM (-Xmx" + settings.appHeap() + (settings.appJar().isEmpty() ? "" : ", -jar")
                    + (settings.appJvmArgs().isEmpty() ? "" : ", " + String.join(" ", settings.appJvmArgs()))
                    + "): process start to first poll completed s", "%.2f",
                    startupInNewJvm(runDir.resolve("startup-jvm-" + i)));
        }
    }

    /** A watermark of now, as the application writes it (milliseconds: Graph's $filter takes at most 7 digits). */
    private static Instant settledWatermark(Path stateDir) {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        new WatermarkStore(stateDir).write("alerts_v2", now);
        return now;
    }

    /** Starts GraphSecurityApplication in a JVM of its own and waits for its first poll to move the watermark. */
    private double startupInNewJvm(Path dir) throws Exception {
        Path state = dir.resolve("state");
        WatermarkStore watermarks = new WatermarkStore(state);
        Instant before = settledWatermark(state);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + settings.appHeap()));
        cmd.addAll(settings.appJvmArgs());
        BenchApp.properties(dir, RunningApp.freePort(), tenant, settings.pageSize()).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        if (settings.appJar().isEmpty()) {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GraphSecurityApplication.class.getName()));
        } else {
            // The runnable jar as operators start it (mvn package first).
            cmd.addAll(List.of("-jar", settings.appJar()));
        }
        long t0 = System.nanoTime();
        Process app = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile()).start();
        try {
            try {
                // A 5 ms poll of the watermark file: the figure is in hundredths of a second.
                org.awaitility.Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> !app.isAlive() || !watermarks.read("alerts_v2").orElse(before).equals(before));
            } catch (org.awaitility.core.ConditionTimeoutException timedOut) {
                // told below, as for a JVM that ended
            }
            long done = System.nanoTime();
            if (watermarks.read("alerts_v2").orElse(before).equals(before)) {
                throw new IllegalStateException("the application JVM did not complete a poll (see " + dir.resolve("app.log") + ")");
            }
            return (done - t0) / 1e9;
        } finally {
            app.destroy();
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    // ---- baseline ------------------------------------------------------------------------------

    private interface WithBroker {
        void run(int port) throws Exception;
    }

    /** The production broker (persistent, NIO journal) in this JVM, for the baseline to send to over vm://0. */
    private static void withBroker(Path dir, WithBroker body) throws Exception {
        int port = RunningApp.freePort();
        EmbeddedBroker broker = new EmbeddedBroker(dir.resolve("broker"), "127.0.0.1", port, "0", -1, RunningApp.brokerCredentials());
        broker.start();
        try {
            body.run(port);
        } finally {
            broker.stop();
        }
    }

    /** JIT warm-up of this JVM and the simulator's: each contender delivers the first pages once, unmeasured. */
    private void warmUp() throws Exception {
        int alerts = settings.warmupAlerts();
        if (settings.runs("baseline")) {
            withBroker(runDir.resolve("warmup-baseline"), port -> new Baseline(tenant.appProperties(), settings.pageSize())
                    .run("vm://0", (alerts + settings.pageSize() - 1) / settings.pageSize()));
        }
        if (settings.runs("routes")) {
            try (BenchApp app = BenchApp.start(runDir.resolve("warmup-routes"), tenant, settings.pageSize(),
                    Map.of("camel.main.shutdown-timeout", "1"));
                 BrokerProbe probe = new BrokerProbe(app.brokerPort);
                 Drainer drainer = settings.consume() ? new Drainer(app.brokerPort, false) : null) {
                awaitDelivered(drainer == null ? () -> probe.counts(BenchTenant.ALL_QUEUES) : drainer::perQueue,
                        alerts, "warm-up routes", app::status);
            }
        }
        log("warmed up with " + alerts + " alerts each");
    }

    private void baseline(int rep) throws Exception {
        long n = BenchTenant.total(backlog);
        withBroker(runDir.resolve("baseline-" + rep), port -> {
            try (BrokerProbe probe = new BrokerProbe(port);
                 Drainer drainer = settings.consume() ? new Drainer(port, settings.verifyIds()) : null) {
                Baseline baseline = new Baseline(tenant.appProperties(), settings.pageSize());
                heap.reset();
                BenchTenant.Requests before = tenant.requests();
                long t0 = System.nanoTime();
                long cpu0 = Stats.processCpuNanos();
                Baseline.Result result = baseline.run("vm://0");
                long done = drainer == null ? System.nanoTime()
                        : awaitDelivered(drainer::perQueue, n, "baseline " + rep + " consumers", () -> "");
                double cpuMillis = (Stats.processCpuNanos() - cpu0) / 1e6;
                double seconds = (done - t0) / 1e9;
                BenchTenant.Requests used = tenant.requests().minus(before);
                record("baseline: alerts/s", "%.0f", result.alerts() / seconds);
                record("baseline: CPU ms per 1000 alerts (this JVM, all threads)", "%.0f", cpuMillis * 1000 / result.alerts());
                recordHeap("baseline");
                record("baseline: Graph requests", "%.0f", used.graph());
                record("baseline: token requests", "%.0f", used.token());
                log(String.format(Locale.ROOT, "baseline %d: %d alerts in %d pages, %.1f s, %.0f alerts/s",
                        rep, result.alerts(), result.pages(), seconds, result.alerts() / seconds));
                expectCounts("baseline " + rep, backlog, drainer == null ? probe.counts(BenchTenant.ALL_QUEUES) : drainer.perQueue());
            }
        });
    }

    private void recordHeap(String who) {
        // Other work on this 2-core machine shows here; it is the first suspect for a wide spread.
        record(who + ": machine load average (1 min) at the end", "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        record(who + ": peak heap used MiB", "%.0f", heap.peak() / MIB);
        record(who + ": max heap after a GC MiB", "%.0f", heap.peakAfterGc() / MIB);
        record(who + ": GC pauses (count)", "%.0f", heap.gcsSinceReset());
        record(who + ": GC time s", "%.2f", heap.gcMillisSinceReset() / 1000.0);
    }

    // ---- routes and idle -------------------------------------------------------------------------

    private void routes(int rep, boolean last) throws Exception {
        long n = BenchTenant.total(backlog);
        heap.reset();
        BenchTenant.Requests before = tenant.requests();
        try (BenchApp app = BenchApp.start(runDir.resolve("routes-" + rep), tenant, settings.pageSize());
             BrokerProbe probe = new BrokerProbe(app.brokerPort);
             Drainer drainer = settings.consume() ? new Drainer(app.brokerPort, settings.verifyIds()) : null) {
            // Delivered: in the queues, or (with consumers) taken off them.
            Delivered delivered = drainer == null ? () -> probe.counts(BenchTenant.ALL_QUEUES) : drainer::perQueue;
            long done = awaitDelivered(delivered, n, "routes " + rep, app::status);
            double cpuMillis = (Stats.processCpuNanos() - app.polls.firstBegunCpu()) / 1e6;
            BenchTenant.Requests used = tenant.requests().minus(before);
            double seconds = (done - app.polls.now().firstBegun()) / 1e9;
            record("routes: alerts/s (first poll begun to all in queues)", "%.0f", n / seconds);
            record("routes: alerts/s including application start", "%.0f", n / ((done - app.startCalled) / 1e9));
            recordHeap("routes");
            record("routes: Graph requests", "%.0f", used.graph());
            record("routes: token requests", "%.0f", used.token());
            record("routes: polls begun until all delivered", "%.0f", app.polls.now().begun());
            List<Double> base = metrics.get("baseline: alerts/s");
            if (base != null && base.size() >= rep) {
                record("routes / baseline", "%.2f", (n / seconds) / base.get(rep - 1));
            }
            record("routes: CPU ms per 1000 alerts (this JVM, all threads)", "%.0f", cpuMillis * 1000 / n);
            List<Double> baseCpu = metrics.get("baseline: CPU ms per 1000 alerts (this JVM, all threads)");
            if (baseCpu != null && baseCpu.size() >= rep) {
                // Above 0.5: the routes spend less than twice the CPU the loop spends on an alert.
                record("baseline CPU / routes CPU, per alert", "%.2f", baseCpu.get(rep - 1) / (cpuMillis * 1000 / n));
            }
            log(String.format(Locale.ROOT, "routes %d: %d alerts in %.1f s after the first poll began, %.0f alerts/s; %d Graph and %d token requests",
                    rep, n, seconds, n / seconds, used.graph(), used.token()));

            // A poll that begins after everything arrived must find nothing new: no duplicates.
            awaitPolls(app, app.polls.now().begun() + 1);
            if (drainer != null) {
                // Whatever that poll sent must have reached the consumers too: wait until the queues are empty.
                awaitDelivered(() -> Map.of("consumed", n - BenchTenant.total(probe.counts(BenchTenant.ALL_QUEUES))), n,
                        "routes " + rep + " consumers emptying the queues", app::status);
            }
            expectCounts("routes " + rep + " after one more poll", backlog, delivered.perQueue());
            awaitQuiet(app);
            record("routes: polls replayed back-to-back after the long first poll (Quartz catch-up)", "%.0f", app.polls.now().backToBack());

            if (settings.runs("idle")) {
                idle(app, "idle, backlog settled: Graph requests per poll", "idle, backlog settled: token requests in");
                if (last && settings.recentAlerts() > 0) {
                    tenant.addRecent(settings.recentAlerts());
                    backlog = tenant.expectedPerQueue();
                    awaitDelivered(delivered, BenchTenant.total(backlog), "recent alerts", app::status);
                    idle(app, "idle, " + settings.recentAlerts() + " alerts inside the 10-min lag window: Graph requests per poll",
                            "idle, " + settings.recentAlerts() + " alerts inside the lag window: token requests in");
                    expectCounts("routes " + rep + " with recent alerts", backlog, delivered.perQueue());
                }
            }
            if (settings.verifyIds()) {
                verifyIds(rep, probe, drainer);
            }
        }
    }

    /** What has been delivered so far, per queue. */
    private interface Delivered {
        Map<String, Long> perQueue() throws Exception;
    }

    private void verifyIds(int rep, BrokerProbe probe, Drainer drainer) throws Exception {
        long expected = BenchTenant.total(backlog);
        if (drainer != null) {
            if (drainer.repeats() != 0) {
                failures.add("routes " + rep + ": consumers received " + drainer.repeats() + " alert ids more than once");
            }
            return;
        }
        BrokerProbe.Drained drained = probe.drain(BenchTenant.ALL_QUEUES);
        log("routes " + rep + " drained: " + drained);
        if (drained.duplicates() != 0 || drained.messages() != expected) {
            failures.add("routes " + rep + ": drained " + drained.messages() + " messages with "
                    + drained.duplicates() + " repeated alert ids; expected " + expected + " distinct");
        }
    }

    /** Waits until the delivered counts add up to {@code n}; returns System.nanoTime() then. */
    private long awaitDelivered(Delivered delivered, long n, String what, java.util.function.Supplier<String> status)
            throws Exception {
        long start = System.nanoTime();
        long[] nextProgress = {start + TimeUnit.SECONDS.toNanos(10)};
        long[] reached = {0};
        try {
            org.awaitility.Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .atMost(settings.timeout()).until(() -> {
                        long now = System.nanoTime();
                        long total = BenchTenant.total(delivered.perQueue());
                        if (total >= n) {
                            reached[0] = now;
                            return true;
                        }
                        if (now > nextProgress[0]) {
                            log(String.format(Locale.ROOT, "%s: %d of %d delivered after %.0f s; heap used %.0f MiB (peak %.0f)%s",
                                    what, total, n, (now - start) / 1e9, heap.used() / MIB, heap.peak() / MIB, status.get()));
                            nextProgress[0] = now + TimeUnit.SECONDS.toNanos(10);
                        }
                        return false;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException(String.format(Locale.ROOT, "%s: only %d of %d alerts delivered after %d s%s",
                    what, BenchTenant.total(delivered.perQueue()), n, settings.timeout().toSeconds(), status.get()));
        }
        return reached[0];
    }

    private void awaitPolls(BenchApp app, int completed) throws Exception {
        if (!app.polls.awaitCompleted(completed, settings.timeout())) {
            throw new IllegalStateException("poll " + completed + " did not complete within " + settings.timeout().toSeconds()
                    + " s (" + app.polls.now().failed() + " failed)");
        }
    }

    /**
     * Graph and token requests per poll over the next idle polls. Counted between two quiet moments
     * (no poll in flight, none just finished), so every request in between belongs to a counted poll.
     */
    private void idle(BenchApp app, String perPoll, String tokens) throws Exception {
        int c0 = awaitQuiet(app);
        int b0 = app.polls.now().begun();
        BenchTenant.Requests before = tenant.requests();
        awaitPolls(app, c0 + settings.idlePolls());
        awaitQuiet(app);
        BenchTenant.Requests used = tenant.requests().minus(before);
        int polls = app.polls.now().begun() - b0;
        record(perPoll, "%.2f", (double) used.graph() / polls);
        record(tokens + " " + polls + " polls", "%.0f", used.token());
    }

    /**
     * Waits until no poll is in flight and the last one finished 200 ms ago: the one-second cron
     * will not fire for a while, and Quartz's replay of firings missed during a long poll is over.
     * Returns the number of completed polls then.
     */
    private int awaitQuiet(BenchApp app) throws Exception {
        try {
            return org.awaitility.Awaitility.await().pollInterval(Duration.ofMillis(10)).atMost(settings.timeout())
                    .until(app.polls::now, p -> p.begun() == p.completed() + p.failed()
                            && System.nanoTime() - p.lastEnded() > TimeUnit.MILLISECONDS.toNanos(200))
                    .completed();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException("the application never stopped polling for 200 ms");
        }
    }

    private void expectCounts(String what, Map<String, Long> expected, Map<String, Long> found) {
        Map<String, Long> missing = BrokerProbe.differences(expected, found);
        if (missing.isEmpty()) {
            log(what + ": every queue holds exactly the expected count " + found);
        } else {
            failures.add(what + ": queue counts differ from the alerts (expected minus found, negative = duplicates): " + missing);
            log("FAILED " + failures.get(failures.size() - 1));
        }
    }

    // ---- latency -------------------------------------------------------------------------------

    /**
     * Alerts added one at a time at random 50-250 ms intervals (not in step with the one-second
     * poll); a JMS listener over TCP takes them off the queues. Latency is listener receipt minus
     * the instant the alert was put into the simulator (its lastUpdateDateTime).
     */
    private void latency() throws Exception {
        Path dir = runDir.resolve("latency");
        settledWatermark(dir.resolve("state"));
        Map<String, Instant> received = new ConcurrentHashMap<>();
        Map<String, Instant> inserted = new HashMap<>();
        try (BenchApp app = BenchApp.start(dir, tenant, settings.pageSize())) {
            awaitPolls(app, 1);
            int pollsBefore = app.polls.now().completed() + app.polls.now().failed();
            try (QueueListener listener = new QueueListener(app.brokerPort, m -> {
                Instant now = Instant.now();
                try {
                    if (received.putIfAbsent(m.getStringProperty("graphAlertId"), now) != null) {
                        failures.add("latency: alert " + m.getStringProperty("graphAlertId") + " arrived twice");
                    }
                } catch (jakarta.jms.JMSException e) {
                    failures.add("latency: unreadable message " + e);
                }
            })) {
                Random pace = new Random(7);
                for (int i = 0; i < settings.latencyAlerts(); i++) {
                    // The arrival pace of the alerts (the load measured), not a wait for an event.
                    Thread.sleep(50 + pace.nextInt(200));
                    BenchTenant.Added a = tenant.addNow();
                    inserted.put(a.id(), a.at());
                }
                try {
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= inserted.size());
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // reported below as the alerts that never arrived
                }
            }
            List<Double> polls = app.polls.durationsMillis();
            polls = polls.subList(Math.min(pollsBefore, polls.size()), polls.size());
            if (!polls.isEmpty()) {
                record("latency phase: poll duration (" + polls.size() + " polls) p50 ms", "%.0f", Stats.percentile(polls, 50));
                record("latency phase: poll duration p99 ms", "%.0f", Stats.percentile(polls, 99));
            }
        }
        List<Double> millis = new ArrayList<>();
        inserted.forEach((id, at) -> {
            Instant got = received.get(id);
            if (got != null) {
                millis.add(Duration.between(at, got).toNanos() / 1e6);
            }
        });
        if (millis.size() != inserted.size()) {
            failures.add("latency: " + (inserted.size() - millis.size()) + " of " + inserted.size() + " alerts never arrived");
        }
        if (!millis.isEmpty()) {
            record("latency (" + millis.size() + " alerts, 1 s poll): p50 ms", "%.0f", Stats.percentile(millis, 50));
            record("latency (" + millis.size() + " alerts, 1 s poll): p90 ms", "%.0f", Stats.percentile(millis, 90));
            record("latency (" + millis.size() + " alerts, 1 s poll): p99 ms", "%.0f", Stats.percentile(millis, 99));
            record("latency (" + millis.size() + " alerts, 1 s poll): max ms", "%.0f", Stats.percentile(millis, 100));
        }
    }

    // ---- dedup store -----------------------------------------------------------------------------

    /**
     * The delivered-version store on its own, as the first poll of a large backlog uses it: one
     * {@code remember} per page of alerts (ids and versions shaped like Graph's), nothing forgotten
     * until the poll ends. Filled to graph.dedup.max-entries and 20 pages beyond, where the store drops
     * its oldest tenth and rewrites its file. Reports heap per entry and time per page.
     */
    private void dedup() throws Exception {
        int max = Integer.parseInt(System.getProperty("graph.dedup.max-entries", "500000"));
        int page = settings.pageSize();
        int pages = (max + page - 1) / page + 20;
        Path dir = runDir.resolve("dedup");
        java.time.format.DateTimeFormatter graphTime = java.time.format.DateTimeFormatter
                .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);
        Random random = new Random(1);
        Instant t = Instant.now().minus(Duration.ofHours(20));
        List<Double> below = new ArrayList<>();
        List<Double> above = new ArrayList<>();
        long heapBefore = heapAfterFullGc();
        long heapAtMax = 0;
        try (io.graphsec.routes.state.AlertVersionStore store = new io.graphsec.routes.state.AlertVersionStore(dir, "alerts_v2", max)) {
            for (int p = 0; p < pages; p++) {
                List<Map.Entry<String, String>> versions = new ArrayList<>(page);
                for (int i = 0; i < page; i++) {
                    t = t.plusMillis(70);
                    long ticks = 621_355_968_000_000_000L + t.getEpochSecond() * 10_000_000L + t.getNano() / 100;
                    versions.add(Map.entry("da" + ticks + "_" + random.nextInt(), graphTime.format(t)));
                }
                boolean full = store.size() >= max;
                long t0 = System.nanoTime();
                store.remember(versions);
                (full ? above : below).add((System.nanoTime() - t0) / 1e6);
                if (!full && store.size() >= max) {
                    heapAtMax = heapAfterFullGc() - heapBefore;
                    log(String.format(Locale.ROOT, "dedup: %d versions remembered, %.0f MiB of heap", store.size(), heapAtMax / MIB));
                }
            }
        }
        record("dedup store: heap per remembered version B", "%.0f", (double) heapAtMax / max);
        record("dedup store: heap at graph.dedup.max-entries=" + max + " MiB", "%.0f", heapAtMax / MIB);
        record("dedup store: remember() of one page, below max-entries, median ms", "%.1f", Stats.median(below));
        // Past the cap the store drops its oldest tenth at once, so the pages after it are "below" again.
        record("dedup store: remember() of the page past max-entries (drops a tenth, rewrites the file), ms", "%.0f",
                above.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }

    private static long heapAfterFullGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    // ---- report --------------------------------------------------------------------------------

    private void record(String metric, String format, double value) {
        metrics.computeIfAbsent(metric, k -> new ArrayList<>()).add(value);
        formats.put(metric, format);
    }

    private String report() {
        StringBuilder out = new StringBuilder();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        out.append("\n## graph-security-routes benchmark\n\n");
        out.append(String.format(Locale.ROOT, "machine: %d cores, %.1f GiB RAM; %s %s; this JVM -Xmx %.0f MiB%n",
                Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / MIB / 1024,
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), HeapWatcher.maxHeap() / MIB));
        if (tenant != null) {
            out.append(String.format(Locale.ROOT, "N = %d alerts (%s), R = %d, page size %d, simulator %s, Graph throttling %s%n%n",
                    settings.alerts(), initialBacklog, settings.repeats(), settings.pageSize(),
                    settings.forkSimulator() ? "in its own JVM (-Xmx" + settings.simulatorHeap() + ")" : "in this JVM",
                    settings.throttle() ? "on (150/min)" : "off"));
        }
        if (!metrics.isEmpty()) {
            out.append("| measurement | median (min - max) | runs |\n|---|---|---|\n");
        }
        metrics.forEach((name, values) -> out.append("| ").append(name).append(" | ")
                .append(Stats.summary(values, formats.get(name))).append(" | ").append(values.size()).append(" |\n"));
        List<Double> base = metrics.get("baseline: alerts/s");
        List<Double> routes = metrics.get("routes: alerts/s (first poll begun to all in queues)");
        if (base != null && routes != null) {
            out.append(String.format(Locale.ROOT, "| median routes / median baseline | %.2f | |%n",
                    Stats.median(routes) / Stats.median(base)));
        }
        if (tenantsBench != null) {
            out.append(tenantsBench.table());
        }
        out.append(failures.isEmpty() ? "\nRESULT: OK, no alert lost or duplicated\n"
                : "\nRESULT: FAILED\n- " + String.join("\n- ", failures) + "\n");
        return out.toString();
    }

    /**
     * The tenants mode ({@link TenantsBench}): one run per T of bench.tenants (smoke: 3 tenants of 20
     * alerts, checked for loss and duplicates only).
     */
    private void tenants() throws Exception {
        boolean smoke = settings.smoke();
        // The heap sampler (every 20 ms) is the other sections' instrument: stopped, so that the tenants' idle
        // CPU is the application's own.
        heap.close();
        String ts = System.getProperty("bench.tenants", "");
        int alerts = Integer.parseInt(prop("bench.tenants.alerts", smoke ? "20" : "200"));
        tenantsBench = new TenantsBench(runDir, Duration.ofSeconds(Integer.parseInt(prop("bench.tenants.poll-seconds", "5"))),
                smoke ? 1 : 3, smoke ? 0 : Integer.parseInt(prop("bench.tenants.idle-warmup", "1")),
                smoke ? 0 : Integer.parseInt(prop("bench.tenants.throttled-rounds", "0")), settings.timeout(),
                settings.consume(), failures);
        // The simulator stays in this JVM unless bench.simulator=fork is given, as the first tenants figures were taken.
        boolean fork = prop("bench.simulator", "inprocess").equals("fork");
        for (String t : (ts.isBlank() ? (smoke ? "3" : "10") : ts).split("\\s*,\\s*")) {
            int tenants = Integer.parseInt(t.trim());
            tenantsBench.run(tenants, alerts, fork ? prop("bench.simulator.heap", (1024 + (long) tenants * alerts / 90) + "m") : null);
        }
    }

    private static String prop(String key, String dflt) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    private static void log(String message) {
        System.out.println("[bench] " + message);
    }
}
