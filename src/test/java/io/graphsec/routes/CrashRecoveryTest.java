package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.support.ForkedJvm;
import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real application in its own JVM, killed with SIGKILL at random points while it works through
 * a backlog with updates arriving, restarted each time on the same data directories (its broker
 * journal included). At the end every alert's last version is in its queue, and no alert version is
 * there twice; the last run sent again at most the one page the last kill left unrecorded (the app's
 * own record, not the broker's duplicate detection, keeps the rest out). Figures go to
 * target/crash-test.txt (docs/reliability.md quotes them).
 */
class CrashRecoveryTest {

    private static final int KILLS = Integer.getInteger("crash.kills", 20);
    private static final int BACKLOG = Integer.getInteger("crash.alerts", 2000);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void every_alert_version_is_delivered_exactly_once_across_repeated_kill_9() throws Exception {
        Random random = new Random(20261125);
        Set<String> published = ConcurrentHashMap.newKeySet();
        try (SimulatedTenant tenant = new SimulatedTenant(dir)) {
            tenant.simulator.requestsPerMinute(0);
            for (ObjectNode a : tenant.addAlerts(BACKLOG)) {
                published.add(version(a));
            }
            List<String> ids = tenant.alerts().snapshot().stream().map(a -> a.get("id").asText()).toList();
            ScheduledExecutorService updates = Executors.newSingleThreadScheduledExecutor();
            updates.scheduleAtFixedRate(() -> {
                for (int i = 0; i < 3; i++) {
                    tenant.alerts().update(ids.get(random.nextInt(ids.size())), a -> a.put("status",
                            "new".equals(a.path("status").asText()) ? "inProgress" : "resolved"))
                            .ifPresent(a -> published.add(version(a)));
                }
            }, 200, 400, TimeUnit.MILLISECONDS);

            int brokerPort = RunningApp.freePort();
            Map<String, String> props = new HashMap<>(RunningApp.defaults(dir.resolve("app"), brokerPort));
            props.putAll(tenant.appProperties());
            props.put("graph.alerts.page-size", "100");
            props.put("camel.main.shutdown-timeout", "1");

            int kills = 0;
            long started = System.nanoTime();
            Path logs = Files.createDirectories(Path.of("target", "crash-test-logs"));
            for (; kills < KILLS; kills++) {
                Path log = logs.resolve("app-" + kills + ".log");
                int served = tenant.simulator.graphRequests("GET");
                Process app = ForkedJvm.start(GraphSecurityApplication.class, props, log, "512m");
                // Kill while it works, not while it boots: once Graph has served it a page, at a random moment.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                        .until(() -> tenant.simulator.graphRequests("GET") > served);
                // A random moment within its work (the fault's timing), not a wait for an event.
                Thread.sleep(random.nextInt(2500));
                app.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
            updates.shutdownNow();
            updates.awaitTermination(5, TimeUnit.SECONDS);
            int pagesServedToKilledRuns = tenant.simulator.graphRequests();

            // A last, undisturbed run delivers the rest; then everything in the queues is counted.
            Map<String, Integer> delivered = new HashMap<>();
            int messages = 0;
            List<String> lastRunLog;
            try (LogCapture log = new LogCapture(Map.of());
                 RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
                int quietPolls = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (quietPolls < 3 && System.nanoTime() < deadline) {
                    int before = tenant.simulator.graphRequests();
                    await().atMost(Duration.ofSeconds(30)).until(() -> tenant.simulator.graphRequests() > before + 1);
                    List<Received> got = new ArrayList<>();
                    queues.drainAll(Queues.SEVERITY_QUEUES).values().forEach(got::addAll);
                    quietPolls = got.isEmpty() ? quietPolls + 1 : 0;
                    for (Received m : got) {
                        messages++;
                        JsonNode body = JSON.readTree(m.body());
                        delivered.merge(version(body), 1, Integer::sum);
                    }
                }
                lastRunLog = log.lines();
            }
            Set<String> finalVersions = new HashSet<>();
            tenant.alerts().snapshot().forEach(a -> finalVersions.add(version(a)));
            List<String> duplicated = delivered.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            Set<String> lostFinal = new HashSet<>(finalVersions);
            lostFinal.removeAll(delivered.keySet());
            Set<String> unknown = new HashSet<>(delivered.keySet());
            unknown.removeAll(published);

            long recoveries = 0;
            for (int i = 0; i < kills; i++) {
                for (String line : Files.readAllLines(logs.resolve("app-" + i + ".log"))) {
                    recoveries += line.contains("refused the commit") ? 1 : 0;
                }
            }
            String figures = String.format("crash test: %d kill -9 in %d s (%d pages served to the killed runs, %d"
                            + " duplicate-detection page recoveries in them), %d alerts, %d versions published, %d messages,"
                            + " %d distinct versions delivered, %d final versions lost, %d versions duplicated,"
                            + " %d intermediate versions superseded before any poll saw them%n",
                    kills, Duration.ofNanos(System.nanoTime() - started).toSeconds(), pagesServedToKilledRuns, recoveries, BACKLOG,
                    published.size(), messages, delivered.size(), lostFinal.size(), duplicated.size(),
                    published.size() - delivered.size() - lostFinal.size());
            System.out.print(figures);
            Files.writeString(Path.of("target", "crash-test.txt"), figures);

            assertThat(unknown).as("nothing delivered that was never published").isEmpty();
            assertThat(lostFinal).as("every alert's last version is delivered").isEmpty();
            assertThat(duplicated).as("no alert version delivered twice").isEmpty();
            assertThat(messages - sentByTheLastRun(lastRunLog)).as("messages the killed runs delivered").isPositive();
            // The broker's duplicate detection only has to catch the one page the last kill left committed but not
            // yet recorded as delivered: the rest the last run knows from its own record.
            assertThat(lastRunLog).filteredOn(l -> l.contains("refused the commit"))
                    .as("pages the last run sent again and the broker refused").hasSizeLessThanOrEqualTo(1);
        }
    }

    /** The alerts the run delivered, from its poll summaries ("alerts_v2 poll: ... N new or updated"). */
    private static int sentByTheLastRun(List<String> log) {
        java.util.regex.Pattern fresh = java.util.regex.Pattern.compile("alerts_v2 poll: .*?, (\\d+) new or updated");
        return log.stream().map(fresh::matcher).filter(java.util.regex.Matcher::find)
                .mapToInt(m -> Integer.parseInt(m.group(1))).sum();
    }

    private static String version(JsonNode alert) {
        return alert.get("id").asText() + "|" + alert.get("lastUpdateDateTime").asText();
    }
}
