package io.graphsec.routes.bench;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Graph tenant the benchmark reads: a Graph simulator holding a backlog of realistic alerts,
 * in this JVM ({@link BenchSimulator}) or in a process of its own ({@link ForkedSimulator}).
 */
interface BenchTenant extends AutoCloseable {

    String DEAD_LETTER_QUEUE = "graph.alerts.dead-letter";

    /** The severity queues and the dead-letter queue: every alert ends in exactly one of them. */
    List<String> ALL_QUEUES = List.of("graph.alerts.high", "graph.alerts.medium", "graph.alerts.low",
            "graph.alerts.informational", "graph.alerts.triage", DEAD_LETTER_QUEUE);

    /** The graph.* properties that point the application (or the baseline) at this tenant. */
    Map<String, String> appProperties();

    /** How many messages each queue must hold once every alert in the tenant was delivered once. */
    Map<String, Long> expectedPerQueue();

    /** Requests the simulator has answered so far. */
    Requests requests();

    /** Adds one alert created (and last updated) now; returns when it is in the simulator. */
    Added addNow();

    /** Adds alerts last updated one to five minutes ago: inside the routes' lag window, as late-published alerts are. */
    void addRecent(int count);

    @Override
    void close();

    /** The queue an alert of this severity belongs in, as routes/4-route-by-severity.camel.yaml routes it. */
    static String queueFor(String severity) {
        String s = severity == null ? "" : severity.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "high", "medium", "low", "informational" -> "graph.alerts." + s;
            default -> "graph.alerts.triage";
        };
    }

    static long total(Map<String, Long> perQueue) {
        return perQueue.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Graph API calls and token calls answered by the simulator. */
    record Requests(long graph, long token) {
        Requests minus(Requests earlier) {
            return new Requests(graph - earlier.graph, token - earlier.token);
        }
    }

    /** An alert added during the run, with the instant it was put into the simulator. */
    record Added(String id, String queue, Instant at) {
    }
}
