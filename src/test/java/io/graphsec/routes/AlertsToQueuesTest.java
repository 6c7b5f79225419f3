package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.support.BrokerWithoutDuplicateDetection;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.RunningApp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The foundation's promise end to end, over real sockets: the simulator over HTTPS, MSAL4J for
 * the token, the real routes under Camel Main, the embedded Artemis read over TCP.
 */
class AlertsToQueuesTest extends AgainstSimulatedTenant {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void setUp() throws Exception {
        props.put("graph.alerts.page-size", "40");
    }

    @Test
    void delivers_every_alert_once_to_the_queue_its_severity_names() throws Exception {
        List<ObjectNode> alerts = tenant.addAlerts(130);
        Map<String, Long> expected = alerts.stream()
                .collect(Collectors.groupingBy(a -> queueFor(a.get("severity").asText()), Collectors.counting()));

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = collectUntil(queues, 130);
            // One more poll must not add anything.
            int requestsBefore = tenant.simulator.graphRequests();
            await().atMost(Duration.ofSeconds(10)).until(() -> tenant.simulator.graphRequests() > requestsBefore);
            merge(got, queues.drainAll(Queues.SEVERITY_QUEUES));

            for (String q : Queues.SEVERITY_QUEUES) {
                assertThat(got.get(q)).as(q).hasSize(expected.getOrDefault(q, 0L).intValue());
            }
            Map<String, ObjectNode> byId = alerts.stream().collect(Collectors.toMap(a -> a.get("id").asText(), Function.identity()));
            for (Map.Entry<String, List<Received>> e : got.entrySet()) {
                for (Received m : e.getValue()) {
                    JsonNode body = JSON.readTree(m.body());
                    assertThat(body).as("body is the full Graph alert").isEqualTo(json(byId.get(body.get("id").asText())));
                    assertThat(queueFor(body.get("severity").asText())).isEqualTo(e.getKey());
                    assertThat(m.property("graphAlertId")).isEqualTo(body.get("id").asText());
                    assertThat(m.property("graphIncidentId")).isEqualTo(body.get("incidentId").asText());
                    assertThat(m.properties()).doesNotContainKeys("Authorization", "authorization");
                    assertThat(m.properties().values()).noneMatch(v -> String.valueOf(v).contains("Bearer"));
                }
            }
            assertThat(got.get("graph.alerts.high")).allMatch(m -> m.priority() == 9);
            // 130 alerts at 40 a page is 4 pages on the first poll.
            assertThat(tenant.simulator.graphRequests()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void a_restart_sends_no_duplicates_and_then_only_what_changed() throws Exception {
        restartSendsNoDuplicatesAndThenOnlyWhatChanged(brokerPort);
    }

    @Test
    void a_restart_sends_no_duplicates_by_the_apps_record_of_delivered_versions_alone() throws Exception {
        try (BrokerWithoutDuplicateDetection broker = new BrokerWithoutDuplicateDetection()) {
            props.putAll(broker.appProperties());
            restartSendsNoDuplicatesAndThenOnlyWhatChanged(broker.port);
        }
    }

    private void restartSendsNoDuplicatesAndThenOnlyWhatChanged(int brokerPort) throws Exception {
        List<ObjectNode> alerts = tenant.addAlerts(60);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            assertThat(total(collectUntil(queues, 60))).isEqualTo(60);
        }
        // Same data directories: the broker's journal, the watermark and the delivered versions survive.
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            int requestsBefore = tenant.simulator.graphRequests();
            // Two complete polls after the restart, reading the whole overlap window again.
            await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphRequests() >= requestsBefore + 4);
            assertThat(total(queues.leftAfterCompletion(Queues.SEVERITY_QUEUES))).as("duplicates after restart").isZero();

            ObjectNode first = alerts.get(0);
            ObjectNode second = alerts.get(1);
            tenant.alerts().update(first.get("id").asText(), a -> a.put("status", "inProgress"));
            tenant.alerts().update(second.get("id").asText(), a -> a.put("status", "resolved"));

            Map<String, List<Received>> changed = collectUntil(queues, 2);
            int after = tenant.simulator.graphRequests();
            await().atMost(Duration.ofSeconds(10)).until(() -> tenant.simulator.graphRequests() >= after + 2);
            merge(changed, queues.drainAll(Queues.SEVERITY_QUEUES));
            List<Received> all = changed.values().stream().flatMap(List::stream).toList();
            assertThat(all).hasSize(2);
            assertThat(all).extracting(m -> m.property("graphAlertId"))
                    .containsExactlyInAnyOrder(first.get("id").asText(), second.get("id").asText());
            assertThat(all).extracting(m -> m.property("graphStatus")).containsExactlyInAnyOrder("inProgress", "resolved");
        }
    }

    @Test
    void an_alert_published_late_inside_the_lag_window_is_still_delivered() throws Exception {
        tenant.addAlerts(5);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            assertThat(total(collectUntil(queues, 5))).isEqualTo(5);
            Instant watermark = await().atMost(Duration.ofSeconds(10))
                    .until(() -> readWatermark(), w -> w != null);

            // Graph shows this alert only now, but stamped it before the last poll's window ended.
            ObjectNode late = tenant.newAlert(watermark.minusSeconds(90), "high");
            late.put("lastUpdateDateTime", late.get("createdDateTime").asText());
            tenant.alerts().put(late);

            Map<String, List<Received>> got = collectUntil(queues, 1);
            assertThat(got.get("graph.alerts.high")).singleElement()
                    .extracting(m -> m.property("graphAlertId")).isEqualTo(late.get("id").asText());
        }
    }

    @Test
    void unknown_enum_members_and_new_properties_pass_through_and_bad_alerts_are_dead_lettered() throws Exception {
        Instant now = Instant.now();
        ObjectNode futureSeverity = tenant.newAlert(now.minusSeconds(50), "high");
        futureSeverity.put("severity", "critical");
        ObjectNode futureMembers = tenant.newAlert(now.minusSeconds(40), "high");
        futureMembers.put("serviceSource", "microsoftSecurityForAI");
        futureMembers.put("detectionSource", "securityCopilot");
        futureMembers.putObject("brandNewProperty").put("nested", true).putArray("list").add(1).add("two");
        ObjectNode numericSeverity = tenant.newAlert(now.minusSeconds(30), "low");
        numericSeverity.put("severity", 5);
        ObjectNode hostileId = tenant.newAlert(now.minusSeconds(20), "medium");
        hostileId.put("id", "../../admin?x=1");
        ObjectNode fine = tenant.newAlert(now.minusSeconds(10), "medium");
        tenant.alerts().putAll(List.of(futureSeverity, futureMembers, numericSeverity, hostileId, fine));

        List<String> all = new ArrayList<>(Queues.SEVERITY_QUEUES);
        all.add("graph.alerts.dead-letter");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = new HashMap<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                merge(got, queues.drainAll(all));
                return total(got) >= 5;
            });
            assertThat(got.get("graph.alerts.triage")).singleElement().satisfies(m -> {
                assertThat(m.property("graphSeverity")).isEqualTo("unknown");
                assertThat(m.property("graphSeverityRaw")).isEqualTo("critical");
                assertThat(JSON.readTree(m.body())).isEqualTo(json(futureSeverity));
            });
            assertThat(got.get("graph.alerts.high")).singleElement().satisfies(m -> {
                assertThat(m.property("graphServiceSource")).isEqualTo("microsoftSecurityForAI");
                assertThat(JSON.readTree(m.body())).isEqualTo(json(futureMembers));
            });
            assertThat(got.get("graph.alerts.medium")).singleElement()
                    .extracting(m -> m.property("graphAlertId")).isEqualTo(fine.get("id").asText());
            assertThat(got.get("graph.alerts.dead-letter")).hasSize(2)
                    .extracting(m -> m.property("graphDeadLetterReason"))
                    .containsExactlyInAnyOrder("severity must be a string, got number 5",
                            "id '../../admin?x=1' is not a Graph id (letters, digits, _ - . = only,"
                                    + " starting with a letter or digit, no ..)");
            assertThat(got.get("graph.alerts.dead-letter")).extracting(m -> JSON.readTree(m.body()))
                    .containsExactlyInAnyOrder(json(numericSeverity), json(hostileId));
        }
    }

    @Test
    void a_crash_between_commit_and_the_version_record_is_caught_by_broker_duplicate_detection() throws Exception {
        tenant.addAlerts(50);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            assertThat(total(collectUntil(queues, 50))).isEqualTo(50);
        }
        // What a kill -9 right after the JMS commit leaves behind: messages committed, versions not recorded.
        java.nio.file.Files.delete(dir.resolve("app/state/alerts_v2.versions"));
        tenant.addAlerts(3);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = collectUntil(queues, 3);
            int requests = tenant.simulator.graphRequests();
            await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphRequests() >= requests + 4);
            merge(got, queues.drainAll(Queues.SEVERITY_QUEUES));
            assertThat(total(got)).as("only the 3 new alerts; the 50 re-sent were dropped by the broker").isEqualTo(3);
        }
    }

    @Test
    void a_backlog_larger_than_one_window_is_read_in_committed_slices_exactly_once() throws Exception {
        List<ObjectNode> alerts = tenant.addAlerts(120);
        windowsOf30AlertsWithLag("PT0S");
        // Read from the poll summaries (logged once a window committed and its watermark was written):
        // windows follow each other at once while a backlog is left, faster than a file could be sampled.
        try (LogCapture log = new LogCapture(Map.of());
             RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = collectUntil(queues, 120);
            int requests = tenant.simulator.graphRequests();
            await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphRequests() >= requests + 3);
            merge(got, queues.drainAll(Queues.SEVERITY_QUEUES));
            List<String> ids = got.values().stream().flatMap(List::stream).map(m -> m.property("graphAlertId")).toList();
            assertThat(ids).hasSize(120).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(alerts.stream().map(a -> a.get("id").asText()).toList());
            // At most 30 alerts a window: 120 take at least four windows, each committed and checkpointed.
            List<String> windows = summaries(log);
            assertThat(windows.stream().map(l -> l.substring(l.lastIndexOf("watermark "))).distinct().count())
                    .as(String.join("\n", windows)).isGreaterThanOrEqualTo(4);
            assertThat(windows.stream().mapToInt(AlertsToQueuesTest::fetched)).allMatch(n -> n <= 30);
            assertThat(readWatermark()).isNotNull();
        }
    }

    @Test
    void windows_of_a_backlog_read_long_after_their_end_do_not_re_read_the_lag_but_a_caught_up_poll_does() throws Exception {
        // One alert every 5 minutes over 10 hours, a 30-minute lag: each window of the backlog would re-read ~6.
        Instant now = Instant.now();
        List<ObjectNode> alerts = new ArrayList<>();
        for (int i = 120; i >= 1; i--) {
            alerts.add(tenant.newAlert(now.minus(Duration.ofMinutes(5L * i)), "medium"));
        }
        tenant.alerts().putAll(alerts);
        windowsOf30AlertsWithLag("PT30M");
        try (LogCapture log = new LogCapture(Map.of());
             RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = collectUntil(queues, 120);
            // A later poll, caught up: a lag sweep reaches back the lag again, for what Graph may still publish late.
            await().atMost(Duration.ofSeconds(20)).until(() -> summaries(log).stream().anyMatch(l -> !l.contains(" 0 already delivered")));
            merge(got, queues.drainAll(Queues.SEVERITY_QUEUES));
            assertThat(got.values().stream().flatMap(List::stream).map(m -> m.property("graphAlertId")).toList())
                    .hasSize(120).doesNotHaveDuplicates();
            List<String> windows = summaries(log);
            int backlogWindows = (int) windows.stream().takeWhile(l -> l.contains(" 0 already delivered")).count();
            assertThat(backlogWindows).as(String.join("\n", windows)).isGreaterThanOrEqualTo(4);
            assertThat(windows.stream().limit(backlogWindows).mapToInt(AlertsToQueuesTest::fetched).sum())
                    .as("the backlog's windows read each alert once").isEqualTo(120);
            assertThat(windows.get(backlogWindows)).as("the first caught-up sweep re-reads the lag")
                    .matches(".*, [1-9]\\d* already delivered.*");
        }
    }

    /** Windows of at most 30 alerts, pages of 10, and this lag. */
    private void windowsOf30AlertsWithLag(String lag) {
        props.put("graph.alerts.max-window-alerts", "30");
        props.put("graph.alerts.page-size", "10");
        props.put("graph.alerts.lag", lag);
        // The first poll once caught up is a lag sweep.
        props.put("graph.alerts.lag-sweep-interval", "PT1S");
    }

    private static int fetched(String summary) {
        return Integer.parseInt(summary.replaceAll(".*fetched (\\d+) .*", "$1"));
    }

    /** The alerts poll's summaries that fetched something, in order. */
    private static List<String> summaries(LogCapture log) {
        return log.lines().stream().filter(l -> l.contains("alerts_v2 poll: fetched") && !l.contains("fetched 0 ")).toList();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The tree as it reads back from the wire (numbers get their parsed types). */
    static JsonNode json(JsonNode node) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(node));
    }

    private Instant readWatermark() throws Exception {
        Path file = dir.resolve("app/state/alerts_v2.watermark");
        return java.nio.file.Files.exists(file) ? Instant.parse(java.nio.file.Files.readString(file).trim()) : null;
    }

    static String queueFor(String severity) {
        return switch (severity) {
            case "high", "medium", "low", "informational" -> "graph.alerts." + severity;
            default -> "graph.alerts.triage";
        };
    }

    static Map<String, List<Received>> collectUntil(Queues queues, int count) {
        Map<String, List<Received>> got = new HashMap<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            merge(got, queues.drainAll(Queues.SEVERITY_QUEUES));
            return total(got) >= count;
        });
        return got;
    }

    static void merge(Map<String, List<Received>> into, Map<String, List<Received>> more) {
        more.forEach((q, list) -> into.computeIfAbsent(q, k -> new ArrayList<>()).addAll(list));
    }

    static int total(Map<String, List<Received>> got) {
        return got.values().stream().mapToInt(List::size).sum();
    }
}
