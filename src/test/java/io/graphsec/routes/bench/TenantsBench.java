package io.graphsec.routes.bench;

import io.graphsec.routes.GraphSecurityApplication;
import io.graphsec.routes.graph.CronSpread;
import io.graphsec.routes.support.RunningApp;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.camel.Exchange;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.quartz.CronExpression;

/**
 * The tenants mode of the benchmark ({@code bench.mode=tenants}): T simulated tenants in one Graph
 * simulator (each its own app registration and token, Graph's 150 requests a minute each), the
 * application configured for all T (the default tenant and T-1 of graph.tenants), each holding N
 * alerts of the last day. One run per T of {@code bench.tenants} (e.g. 10,100), side by side:
 * start to every tenant's first poll, the catch-up of T x N (every alert once in its tenant's queue;
 * slowest and median tenant), then idle: live heap after a full GC and threads per tenant, CPU per
 * poll round, Graph and token requests per tenant per poll, and each tenant's peak requests a minute.
 * The simulator runs in this JVM ({@link TenantsSimulator}: its heap is measured before the application
 * starts and taken off, what it records of each request since is not; its threads' CPU is shown apart)
 * or, given a heap, in its own ({@link ForkedSimulator}: about 10 KB of heap per alert, out of this
 * JVM). With {@code consume}, one consumer per tenant's queue takes the alerts as they come (else the
 * broker holds them all until the end) and stops before the idle rounds. A tenant is done when its
 * queue was sent its N alerts; the heap is measured once the queues were drained. A loss or a
 * duplicate is a failure; a timing never is.
 */
final class TenantsBench {

    private static final double MIB = 1024.0 * 1024.0;
    private final Path runDir;
    private final String cron;
    private final Duration cronPeriod;
    private final int idleRounds;
    private final int idleWarmup;
    private final int throttledRounds;
    private final Duration timeout;
    private final List<String> failures;
    private final boolean consume;
    /** Metric, then its value per T. */
    private final Map<String, Map<Integer, String>> rows = new LinkedHashMap<>();

    TenantsBench(Path runDir, Duration cronPeriod, int idleRounds, int idleWarmup, int throttledRounds, Duration timeout,
                 boolean consume, List<String> failures) {
        this.idleWarmup = idleWarmup;
        this.throttledRounds = throttledRounds;
        this.runDir = runDir;
        this.consume = consume;
        this.cronPeriod = cronPeriod;
        // Quartz takes no 0/60: a minute's poll is written as one second of every minute.
        this.cron = cronPeriod.toSeconds() == 60 ? "0 * * * * ?" : "0/" + cronPeriod.toSeconds() + " * * * * ?";
        this.idleRounds = idleRounds;
        this.timeout = timeout;
        this.failures = failures;
    }

    /** One run: T tenants of N alerts each; the simulator in a JVM of its own with this -Xmx, or in this one (null). */
    void run(int tenants, int alerts, String simulatorHeap) throws Exception {
        Path dir = runDir.resolve("tenants-" + tenants);
        Files.createDirectories(dir);
        try (SimulatedTenants sim = simulatorHeap == null ? new TenantsSimulator(dir, tenants, alerts)
                : new ForkedSimulator(simulatorHeap, TenantsSimulator.class, dir.toString(), String.valueOf(tenants),
                        String.valueOf(alerts))) {
            put(tenants, "simulator; its load of T x N alerts s, heap MiB", sim instanceof ForkedSimulator forked
                    ? String.format(Locale.ROOT, "own JVM -Xmx%s; %.1f, %.0f", simulatorHeap, forked.loadTime.toMillis() / 1000.0,
                            forked.loadedHeapBytes / MIB)
                    : "this JVM");
            put(tenants, "consumers while delivering", consume ? "one per tenant's queue" : "none (the broker holds all)");
            Map<String, String> props = new LinkedHashMap<>(RunningApp.defaults(dir.resolve("app"), RunningApp.freePort()));
            props.putAll(sim.appProperties());
            props.put("graph.alerts.poll.cron", cron);
            // Graph's pace, not the tests': the default budget of 120 a minute per tenant.
            props.put("graph.rate.requests-per-period", "4");
            props.put("graph.rate.period", "PT2S");
            props.put("graph.alerts.destination.high", "jms:queue:bench.${header.graphTenant}");
            props.put("camel.main.shutdown-timeout", "5");
            // Without consumers nothing leaves the broker until the end: in memory rather than paged, as
            // 500 addresses paging at once blocked the senders (AMQ212054) and timed their commits out.
            props.put("graph.broker.embedded.global-max-size", String.valueOf(256L << 20));
            measure(sim, props, tenants, alerts);
        }
    }

    private void measure(SimulatedTenants sim, Map<String, String> props, int tenants, int alerts) throws Exception {
        long heapBefore = liveHeap();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        AtomicInteger polls = new AtomicInteger();
        Main main = GraphSecurityApplication.newMain();
        props.forEach(main::addOverrideProperty);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                m.getCamelContext().getManagementStrategy().addEventNotifier(new PollsBegun(polls));
            }
        });
        long start = System.currentTimeMillis();
        long startCpu = Stats.processCpuNanos();
        main.start();
        long started = System.currentTimeMillis();
        put(tenants, "start to every tenant's poll scheduled (context started) s; CPU s of this JVM meanwhile",
                String.format(Locale.ROOT, "%.1f; %.1f", (started - start) / 1000.0,
                        (Stats.processCpuNanos() - startCpu) / 1e9));
        int brokerPort = Integer.parseInt(props.get("graph.broker.embedded.port"));
        List<String> queues = IntStream.range(0, tenants).mapToObj(i -> "bench." + TenantsSimulator.name(i)).toList();
        Drainer drainer = null;
        try (BrokerProbe probe = new BrokerProbe(brokerPort)) {
            drainer = consume ? new Drainer(brokerPort, queues, true) : null;
            // A tenant is done when its queue was sent all its alerts, whether consumed yet or not.
            Map<String, Long> doneAt = new TreeMap<>();
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (doneAt.size() < tenants && System.currentTimeMillis() < deadline) {
                Map<String, Long> counts = probe.added(queues);
                long now = System.currentTimeMillis();
                counts.forEach((q, n) -> {
                    if (n >= alerts) {
                        doneAt.putIfAbsent(q, now - start);
                    }
                });
                // A sampling period, not a wait for one event: each tenant's done time to within 200 ms.
                Thread.sleep(200);
            }
            List<Long> firstPolls = new ArrayList<>();
            for (List<Long> calls : sim.calls().perTenant()) {
                firstPolls.add(calls.stream().findFirst().map(t -> t - start).orElse(Long.MAX_VALUE));
            }
            List<Long> polled = firstPolls.stream().filter(t -> t != Long.MAX_VALUE).toList();
            List<Long> late = new ArrayList<>();
            for (int i = 0; i < tenants; i++) {
                if (firstPolls.get(i) != Long.MAX_VALUE) {
                    late.add(start + firstPolls.get(i) - firstDueTick(i, tenants, started));
                }
            }
            put(tenants, "first poll after the tenant's first due tick s: slowest (median); tenants a tick or more late",
                    String.format(Locale.ROOT, "%.1f (%.1f); %d", max(late) / 1000.0, median(late) / 1000.0,
                            late.stream().filter(l -> l >= cronPeriod.toMillis() - 1000).count()));
            put(tenants, "start to every tenant's first poll s (median)", polled.size() < tenants
                    ? String.format(Locale.ROOT, "only %d of %d polled; %.1f (%.1f)", polled.size(), tenants,
                            max(polled) / 1000.0, median(polled) / 1000.0)
                    : String.format(Locale.ROOT, "%.1f (%.1f)", max(polled) / 1000.0, median(polled) / 1000.0));
            if (doneAt.size() < tenants) {
                failures.add("tenants " + tenants + ": only " + doneAt.size() + " tenants had all " + alerts
                        + " alerts within " + timeout.toSeconds() + " s");
            }
            List<Long> done = new ArrayList<>(doneAt.values());
            put(tenants, "catch-up of T x N alerts (N): slowest / median tenant done s after start", String.format(Locale.ROOT,
                    "(%d) %s%.1f / %.1f", alerts, done.size() < tenants ? "only " + done.size() + " done; " : "",
                    max(done) / 1000.0, median(done) / 1000.0));
            // The consumers stop once everything was sent: the idle rounds are the application's alone.
            Set<String> consumed = new HashSet<>();
            long consumedMessages = 0;
            if (drainer != null) {
                awaitConsumed(probe, queues);
                drainer.close();
                consumed = drainer.ids();
                consumedMessages = BenchTenant.total(drainer.perQueue());
                drainer = null;
            }

            // Idle: everything delivered; from idleWarmup quiet rounds on (the JIT compiles the quiet poll's code in
            // its first minutes) to idleRounds later.
            Thread.sleep(cronPeriod.toMillis() * Math.max(1, idleWarmup));
            BenchTenant.Requests requests0 = sim.requests();
            int polls0 = polls.get();
            long cpu0 = Stats.processCpuNanos();
            long sim0 = simulatorCpuNanos();
            // The measured window itself: idleRounds poll periods of CPU and requests.
            Thread.sleep(cronPeriod.toMillis() * idleRounds);
            double cpuMs = (Stats.processCpuNanos() - cpu0) / 1e6;
            double simMs = (simulatorCpuNanos() - sim0) / 1e6;
            BenchTenant.Requests idle = sim.requests().minus(requests0);
            int idlePolls = polls.get() - polls0;
            put(tenants, "idle: rounds after the catch-up before the measured ones", String.valueOf(Math.max(1, idleWarmup)));
            put(tenants, "idle: CPU ms per poll round, all tenants (this JVM: the simulator included when in it)",
                    String.format(Locale.ROOT, "%.0f", cpuMs / idleRounds));
            put(tenants, "idle: CPU % of one core at this poll period", String.format(Locale.ROOT, "%.1f",
                    cpuMs / (cronPeriod.toMillis() * idleRounds) * 100));
            put(tenants, "idle: CPU % of one core at this poll period, the simulator's threads taken off",
                    String.format(Locale.ROOT, "%.1f", (cpuMs - simMs) / (cronPeriod.toMillis() * idleRounds) * 100));
            put(tenants, "idle: Graph requests per tenant per poll", String.format(Locale.ROOT, "%.2f",
                    (double) idle.graph() / Math.max(1, idlePolls)));
            put(tenants, "idle: token requests per tenant per poll", String.format(Locale.ROOT, "%.2f",
                    (double) idle.token() / Math.max(1, idlePolls)));
            put(tenants, "idle: polls per tenant in " + idleRounds + " rounds", String.format(Locale.ROOT, "%.1f",
                    (double) idlePolls / tenants));
            if (throttledRounds > 0 && tenants > 1) {
                throttledTenant(sim, tenants);
            }
            // The delivered alerts leave the broker first: the heap is then what the tenants themselves hold.
            checkOnce(probe, queues, tenants, alerts, consumed, consumedMessages);
            consumed = null;
            long heap = liveHeap();
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            put(tenants, "live heap after full GC MiB (per tenant KiB)", String.format(Locale.ROOT, "%.0f (%.0f)",
                    (heap - heapBefore) / MIB, (heap - heapBefore) / 1024.0 / tenants));
            put(tenants, "threads (per tenant)", String.format(Locale.ROOT, "%d (%.2f)", threads - threadsBefore,
                    (double) (threads - threadsBefore) / tenants));
            SimulatedTenants.Calls calls = sim.calls();
            int peak = calls.perTenant().stream().mapToInt(TenantsBench::peakPerMinute).max().orElse(0);
            put(tenants, "highest requests in any minute, any tenant (Graph allows 150)", String.valueOf(peak));
            put(tenants, "429 answers", String.valueOf(calls.throttled()));
        } finally {
            if (drainer != null) {
                drainer.close();
            }
            main.stop();
        }
    }

    /**
     * One tenant's trouble stays its own: tenant t1 answers every Graph call with 429 and {@code Retry-After: 60}
     * for {@code throttledRounds} poll periods, while the others' polls are counted. Each other tenant should be
     * polled at every tick, its requests a period apart.
     */
    private void throttledTenant(SimulatedTenants sim, int tenants) throws InterruptedException {
        int throttled = 1;
        long period = cronPeriod.toMillis();
        long throttledBefore = sim.calls().throttled();
        long from = System.currentTimeMillis();
        sim.throttle(throttled, 60, Duration.ofMillis(period * throttledRounds));
        // The measured window itself: throttledRounds poll periods with the one tenant throttled.
        Thread.sleep(period * throttledRounds);
        long to = System.currentTimeMillis();
        SimulatedTenants.Calls calls = sim.calls();
        List<Long> polls = new ArrayList<>();
        List<Long> gaps = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            if (i == throttled) {
                continue;
            }
            List<Long> in = calls.perTenant().get(i).stream().filter(t -> t >= from && t < to).toList();
            polls.add((long) in.size());
            // From the window's start to the first request, between requests, and from the last to its end.
            long last = from;
            long longest = 0;
            for (long t : in) {
                longest = Math.max(longest, t - last);
                last = t;
            }
            gaps.add(Math.max(longest, to - last));
        }
        long throttledCalls = calls.perTenant().get(throttled).stream().filter(t -> t >= from && t < to).count();
        String what = "one tenant answering 429 (Retry-After: 60) for " + throttledRounds + " poll periods: ";
        put(tenants, what + "the other " + (tenants - 1) + " tenants' polls each, fewest (median)", String.format(Locale.ROOT,
                "%d (%d)", polls.stream().mapToLong(Long::longValue).min().orElse(0), median(polls)));
        put(tenants, what + "the others' longest wait for a request, s, in the window (poll period " + period / 1000 + " s)",
                String.format(Locale.ROOT, "%.1f (median %.1f)", max(gaps) / 1000.0, median(gaps) / 1000.0));
        put(tenants, what + "its own Graph requests; 429 answers", throttledCalls + "; " + (calls.throttled() - throttledBefore));
    }

    /**
     * Until the consumers took every message sent (the queues hold none), at most a minute; what they
     * did not take by then stays in the queues, where {@link #checkOnce} counts it.
     */
    private static void awaitConsumed(BrokerProbe probe, List<String> queues) {
        try {
            Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> probe.counts(queues).values().stream().allMatch(n -> n == 0));
        } catch (ConditionTimeoutException e) {
            System.out.println("[bench] the consumers left messages in the queues after a minute: " + e.getMessage());
        }
    }

    /**
     * When tenant {@code i}'s poll was first due once the context had started: its tick of the shared
     * cron as the application spreads it ({@link CronSpread}, the default tenant keeps the cron as it is).
     */
    private long firstDueTick(int i, int tenants, long started) {
        try {
            CronExpression cronOf = new CronExpression(CronSpread.shift(cron, i, tenants));
            cronOf.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
            return cronOf.getNextValidTimeAfter(new java.util.Date(started - 1)).getTime();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every tenant's N alerts arrived, each once: what the consumers took ({@code consumedIds}, with
     * their repeats) and what the queues still hold.
     */
    private void checkOnce(BrokerProbe probe, List<String> queues, int tenants, int alerts, Set<String> consumedIds,
                           long consumedMessages) throws Exception {
        long repeatedWhileConsumed = consumedMessages - consumedIds.size();
        BrokerProbe.Drained drained = probe.drain(queues, consumedIds);
        long messages = consumedMessages + drained.messages();
        long repeated = repeatedWhileConsumed + drained.duplicates();
        long expected = (long) tenants * alerts;
        put(tenants, "delivered / distinct / expected", messages + " / " + drained.distinctIds() + " / " + expected);
        if (messages != expected || repeated != 0) {
            failures.add("tenants " + tenants + ": " + messages + " messages, " + repeated
                    + " repeated ids; expected " + expected + " distinct");
        }
    }

    /** The table, one column per T run. */
    String table() {
        List<Integer> ts = rows.values().stream().flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
        StringBuilder out = new StringBuilder("\n### tenants\n\n| measurement |");
        ts.forEach(t -> out.append(" T = ").append(t).append(" |"));
        out.append("\n|---|").append("---|".repeat(ts.size())).append('\n');
        rows.forEach((metric, byT) -> {
            out.append("| ").append(metric).append(" |");
            ts.forEach(t -> out.append(' ').append(byT.getOrDefault(t, "")).append(" |"));
            out.append('\n');
        });
        return out.toString();
    }

    private void put(int tenants, String metric, String value) {
        rows.computeIfAbsent(metric, k -> new LinkedHashMap<>()).put(tenants, value);
        System.out.println("[bench] tenants " + tenants + ": " + metric + ": " + value);
    }

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            // A pause between collections, not a wait for an event: references the last one cleared are
            // processed meanwhile, so the next collection frees what they held.
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** CPU time of the threads answering Graph requests in the simulator (its HTTP server's dispatcher and workers). */
    private static long simulatorCpuNanos() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && (t.getThreadName().startsWith("graph-simulator") || t.getThreadName().startsWith("HTTP-Dispatcher"))) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    private static int peakPerMinute(List<Long> times) {
        int peak = 0;
        for (int i = 0, j = 0; i < times.size(); i++) {
            while (times.get(i) - times.get(j) >= 60_000) {
                j++;
            }
            peak = Math.max(peak, i - j + 1);
        }
        return peak;
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    }

    /** Counts the polls begun, of every tenant's alerts poll route. */
    private static final class PollsBegun extends EventNotifierSupport {
        private final AtomicInteger begun;

        PollsBegun(AtomicInteger begun) {
            this.begun = begun;
            setIgnoreCamelContextEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreExchangeSendingEvents(true);
            setIgnoreExchangeSentEvents(true);
            setIgnoreExchangeCompletedEvent(true);
            setIgnoreExchangeFailedEvents(true);
            setIgnoreExchangeRedeliveryEvents(true);
            setIgnoreStepEvents(true);
        }

        @Override
        public void notify(CamelEvent event) {
            if (event instanceof CamelEvent.ExchangeCreatedEvent created) {
                Exchange e = created.getExchange();
                String route = e.getFromRouteId();
                if (route != null && route.startsWith("graph-alerts-poll") && e.getProperty(Exchange.SPLIT_INDEX) == null) {
                    begun.incrementAndGet();
                }
            }
        }
    }
}
