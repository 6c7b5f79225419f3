package io.graphsec.routes.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The benchmark's knobs, read from {@code bench.*} system properties (an empty value means the
 * default, so the Maven profile can pass every one through unconditionally).
 *
 * @param sections       which parts run: startup, baseline, routes, idle, latency ({@code bench.mode}, default all),
 *                       and dedup (the delivered-version store alone) when named
 * @param alerts         backlog size N ({@code bench.alerts})
 * @param repeats        repetitions R of baseline and routes ({@code bench.repeats})
 * @param pageSize       {@code $top} for the baseline and {@code graph.alerts.page-size} for the routes
 * @param smoke          the CI smoke run: small defaults; any lost or duplicated alert fails the run anyway
 * @param forkSimulator  simulator in its own JVM ({@code bench.simulator=fork}, default) or in this one ({@code inprocess})
 * @param simulatorHeap  -Xmx of the simulator's JVM (default grows with N: about 10 KB per alert)
 * @param appHeap        -Xmx of the application JVM forked for the start-up measurement
 * @param appJvmArgs     further options of that JVM, space-separated (e.g. a class-data-sharing archive)
 * @param appJar         start that JVM from this runnable jar ({@code java -jar}) instead of the test classpath
 * @param latencyAlerts  alerts added one at a time for the latency measurement
 * @param idlePolls      polls counted for the idle measurement
 * @param recentAlerts   alerts put inside the lag window for the second idle measurement (0: skip)
 * @param warmupAlerts   alerts the baseline and the routes each deliver once, unmeasured, before the first repetition
 * @param startupRepeats how many application JVMs are started for the start-up measurement
 * @param timeout        the most one delivery phase may take
 * @param throttle       keep the simulator's 150 requests/minute limit (Graph's, for /security)
 * @param verifyIds      drain the queues after each routes run and check that no alert id came twice
 * @param consume        consume the queues while the routes run, as the SOC's consumers would (default off: the
 *                       broker then holds the whole backlog, the worst case)
 * @param outDir         where state, broker journals and logs of the run go
 */
record BenchSettings(Set<String> sections, int alerts, int repeats, int pageSize, boolean smoke, boolean forkSimulator,
                     String simulatorHeap, String appHeap, List<String> appJvmArgs, String appJar, int latencyAlerts, int idlePolls, int recentAlerts,
                     int warmupAlerts, int startupRepeats, Duration timeout, boolean throttle, boolean verifyIds, boolean consume, Path outDir) {

    /** What {@code bench.mode=all} runs. */
    static final List<String> ALL_SECTIONS = List.of("startup", "baseline", "routes", "idle", "latency");
    /** Run only when named: the delivered-version store measured on its own; many tenants (the smoke runs 3). */
    static final List<String> EXTRA_SECTIONS = List.of("dedup", "tenants");

    static BenchSettings fromSystemProperties() {
        boolean smoke = Boolean.parseBoolean(prop("bench.smoke", "false"));
        String mode = prop("bench.mode", "all");
        Set<String> sections = new LinkedHashSet<>(mode.equals("all") ? ALL_SECTIONS : List.of(mode.split("\\s*,\\s*")));
        Set<String> known = new LinkedHashSet<>(ALL_SECTIONS);
        known.addAll(EXTRA_SECTIONS);
        if (!known.containsAll(sections)) {
            throw new IllegalArgumentException("bench.mode=" + mode + ": use all or a comma list of " + known);
        }
        int alerts = integer("bench.alerts", smoke ? 3000 : 100_000);
        int repeats = integer("bench.repeats", smoke ? 1 : 3);
        int pageSize = integer("bench.page-size", 1000);
        return new BenchSettings(sections, alerts, repeats, pageSize, smoke,
                !prop("bench.simulator", "fork").equals("inprocess"),
                prop("bench.simulator.heap", (1024 + alerts / 90) + "m"),
                prop("bench.app.heap", "256m"),
                prop("bench.app.jvm-args", "").isEmpty() ? List.of() : List.of(prop("bench.app.jvm-args", "").split("\\s+")),
                prop("bench.app.jar", ""),
                integer("bench.latency.alerts", smoke ? 20 : 300),
                integer("bench.idle.polls", smoke ? 3 : 10),
                integer("bench.idle.recent-alerts", smoke ? 0 : pageSize * 5 / 2),
                integer("bench.warmup-alerts", smoke ? 0 : Math.min(alerts, 20_000)),
                integer("bench.startup.repeats", repeats),
                Duration.ofSeconds(integer("bench.timeout", smoke ? 60 : 480)),
                Boolean.parseBoolean(prop("bench.throttle", "false")),
                Boolean.parseBoolean(prop("bench.verify-ids", String.valueOf(alerts <= 20_000))),
                Boolean.parseBoolean(prop("bench.consume", "false")),
                Path.of(prop("bench.out", "target/bench")));
    }

    boolean runs(String section) {
        return sections.contains(section);
    }

    private static String prop(String key, String dflt) {
        String v = System.getProperty(key);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    private static int integer(String key, int dflt) {
        return Integer.parseInt(prop(key, String.valueOf(dflt)).replace("_", ""));
    }
}
