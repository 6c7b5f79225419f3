package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.auth.GraphPermissionsCheck;
import io.graphsec.routes.simulator.GraphCall;
import io.graphsec.routes.simulator.HuntingRequest;
import io.graphsec.routes.support.BrokerWithoutDuplicateDetection;
import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled hunting end to end: hunt files in a folder, run on their schedule through the
 * simulator's runHuntingQuery, rows delivered as alert-like events through the alerts' routing,
 * exactly once whatever re-runs, restarts, splits of a too-large range or throttling happen.
 */
class HuntingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY = "SigninLogs | where ResultType != 0 | project Timestamp, AccountUpn, IPAddress";

    @TempDir
    Path dir;
    private SimulatedTenant tenant;
    private int brokerPort;
    private Map<String, String> props;
    private Path hunts;

    @BeforeEach
    void setUp() throws Exception {
        tenant = new SimulatedTenant(dir, "SecurityAlert.Read.All", "ThreatHunting.Read.All");
        brokerPort = RunningApp.freePort();
        props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
        props.put("graph.alerts.poll.cron", "0/10 * * * * ?");
        props.put("graph.hunting.enabled", "true");
        props.put("graph.hunting.tick", "* * * * * ?");
        hunts = Files.createDirectories(dir.resolve("hunts"));
        props.put("graph.hunting.dir", hunts.toString());
        RunningApp.workQueuesLeftForTheTest(props);
    }

    @AfterEach
    void tearDown() {
        tenant.close();
    }

    @Test
    void rows_arrive_once_as_events_in_the_hunts_severity_queue_across_runs_and_restarts() throws Exception {
        writeHunt("failed-sign-ins.kql", "Failed sign-ins", "high", "P1D");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<ObjectNode> rows = List.of(
                row(now.minus(Duration.ofHours(3)), "eve@contoso.com", "203.0.113.7"),
                row(now.minus(Duration.ofHours(2)), "mallory@contoso.com\r\nBcc: x@evil.example", "198.51.100.1"),
                row(now.minus(Duration.ofMinutes(5)), "eve@contoso.com", "203.0.113.8"));
        tenant.huntingResults(q -> q.equals(QUERY) ? rows : List.of());

        List<Received> events;
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            events = queues.collect("graph.alerts.high", 3);
            awaitMoreHuntingCalls(3);
            events.addAll(queues.drain("graph.alerts.high"));
            assertThat(events).as("several runs of overlapping windows, each row once").hasSize(3);
            assertThat(queues.drain("graph.tickets")).as("routed as a high alert: ticketing").hasSize(3);
            assertThat(queues.drain("graph.mail")).as("routed as a high alert: mail").hasSize(3);
            assertThat(app.context().getRegistry().lookupByNameAndType("graphPermissionsCheck",
                    GraphPermissionsCheck.class).missing()).noneMatch(m -> m.startsWith("scheduled hunting"));
        }

        for (Received m : events) {
            assertThat(m.property("graphEntityType")).isEqualTo("alert");
            assertThat(m.property("graphApi")).isEqualTo("hunting");
            assertThat(m.property("graphEventType")).isEqualTo("created");
            assertThat(m.property("graphAlertId")).matches("hunt-failed-sign-ins-[0-9a-f]{16}");
            assertThat(m.property("graphSeverity")).isEqualTo("high");
            assertThat(m.property("graphRoute")).isEqualTo("high");
            assertThat(m.property("graphStatus")).isEqualTo("new");
            assertThat(m.property("graphTenantId")).isEqualTo(SimulatedTenant.TENANT);
            assertThat(m.property("graphPortalUrl")).isEqualTo("https://security.microsoft.com/v2/advanced-hunting?tid="
                    + SimulatedTenant.TENANT);
            assertThat(m.property("JMSXGroupID")).isEqualTo(m.property("graphAlertId"));
            assertThat(m.priority()).isEqualTo(9);
            assertThat(m.properties().values()).allSatisfy(v -> assertThat(v.toString()).doesNotContain("\r", "\n"));
            assertThat(m.properties().keySet()).noneMatch(k -> k.equalsIgnoreCase("Authorization"));
            JsonNode body = JSON.readTree(m.body());
            assertThat(body.get("id").asText()).isEqualTo(m.property("graphAlertId"));
            assertThat(body.get("title").asText()).isEqualTo("Failed sign-ins");
            assertThat(body.at("/hunting/query").asText()).isEqualTo(QUERY);
            assertThat(body.get("lastUpdateDateTime").asText()).isEqualTo(m.property("graphLastUpdateDateTime"))
                    .isEqualTo(body.at("/hunting/row/Timestamp").asText());
        }
        assertThat(events).extracting(m -> JSON.readTree(m.body()).at("/hunting/row"))
                .containsExactlyInAnyOrderElementsOf(rows);
        assertThat(events.stream().filter(m -> m.property("graphEvidenceSummary").contains("mallory")))
                .singleElement().satisfies(m -> assertThat(JSON.readTree(m.property("graphEvidenceSummary"))
                        .at("/users/0").asText()).isEqualTo("mallory@contoso.com  Bcc: x@evil.example"));

        // A restart: the seen rows and each hunt's last slot are kept under graph.state.dir.
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            awaitMoreHuntingCalls(2);
            assertThat(queues.leftAfterCompletion("graph.alerts.high")).as("nothing again after a restart").isEmpty();
        }
        // As after a crash between the sends and their record: the broker's duplicate detection drops them.
        Files.delete(dir.resolve("app/state/hunting-rows.versions"));
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            awaitMoreHuntingCalls(2);
            assertThat(queues.leftAfterCompletion("graph.alerts.high")).as("re-sent, dropped by the broker").isEmpty();
            assertThat(queues.leftAfterCompletion("graph.tickets")).isEmpty();
        }
    }

    @Test
    void rows_are_not_sent_again_after_a_restart_by_the_apps_record_of_seen_rows_alone() throws Exception {
        writeHunt("failed-sign-ins.kql", "Failed sign-ins", "high", "P1D");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        tenant.huntingResults(q -> List.of(row(now.minus(Duration.ofHours(3)), "eve@contoso.com", "203.0.113.7"),
                row(now.minus(Duration.ofMinutes(5)), "eve@contoso.com", "203.0.113.8")));
        try (BrokerWithoutDuplicateDetection broker = new BrokerWithoutDuplicateDetection()) {
            props.putAll(broker.appProperties());
            try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(broker.port)) {
                List<Received> events = queues.collect("graph.alerts.high", 2);
                awaitMoreHuntingCalls(2);
                events.addAll(queues.drain("graph.alerts.high"));
                assertThat(events).as("several runs, each row once").hasSize(2);
            }
            try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(broker.port)) {
                awaitMoreHuntingCalls(2);
                assertThat(queues.leftAfterCompletion("graph.alerts.high")).as("nothing again after a restart").isEmpty();
            }
        }
    }

    @Test
    void a_result_too_large_is_asked_again_over_halves_and_every_row_still_arrives_once() throws Exception {
        writeHunt("big.kql", "Big hunt", "medium", "P1D");
        props.put("graph.hunting.requests-per-minute", "600");
        tenant.simulator.huntingCallsPerMinute(0);
        tenant.simulator.huntingResultTooLarge(SimulatedTenant.TENANT, Duration.ofHours(6));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<ObjectNode> rows = new ArrayList<>();
        for (int h = 1; h <= 22; h += 3) {
            rows.add(row(now.minus(Duration.ofHours(h)).minusSeconds(17), "user" + h + "@contoso.com", "10.0.0." + h));
        }
        // Graph answers each range with the rows whose Timestamp falls in it.
        tenant.simulator.huntingRequests(SimulatedTenant.TENANT, r -> rows.stream()
                .filter(row -> inRange(r, Instant.parse(row.get("Timestamp").asText()))).toList());

        try (LogCapture log = new LogCapture(Map.of());
             RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Received> events = queues.collect("graph.alerts.medium", rows.size());
            awaitMoreHuntingCalls(7);
            events.addAll(queues.drain("graph.alerts.medium"));
            assertThat(events).hasSize(rows.size());
            assertThat(events).extracting(m -> JSON.readTree(m.body()).at("/hunting/row"))
                    .containsExactlyInAnyOrderElementsOf(rows);
            List<Duration> spans = tenant.simulator.huntingRequestsSeen(SimulatedTenant.TENANT).stream()
                    .map(HuntingRequest::span).toList();
            assertThat(spans.subList(0, 7)).as("P1D refused, its halves refused, their halves answered")
                    .containsExactly(Duration.ofDays(1), Duration.ofHours(12), Duration.ofHours(6), Duration.ofHours(6),
                            Duration.ofHours(12), Duration.ofHours(6), Duration.ofHours(6));
            assertThat(log.text()).contains("Hunt big.kql ('Big hunt'): Graph found the result too large; splitting ")
                    .contains("(PT24H) into two halves of PT12H").contains("(PT12H) into two halves of PT6H");
        }
    }

    @Test
    void a_429_is_waited_out_as_retry_after_asks_and_counted() throws Exception {
        writeHunt("throttled.kql", "Throttled hunt", "low", "PT1H");
        props.put("graph.hunting.requests-per-minute", "600");
        props.put("graph.http.max-retry-after", "PT1S");
        props.put("graph.http.max-retries", "30");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        AtomicReference<List<ObjectNode>> answer = new AtomicReference<>(List.of(row(now.minusSeconds(60), "a@contoso.com", "10.1.1.1")));
        tenant.huntingResults(q -> answer.get());
        // One call a minute: the second run's call is throttled (429, Retry-After up to a minute).
        tenant.simulator.huntingCallsPerMinute(1);

        try (LogCapture log = new LogCapture(Map.of());
             RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            MeterRegistry metrics = app.context().getRegistry().findSingleByType(MeterRegistry.class);
            assertThat(queues.collect("graph.alerts.low", 1)).hasSize(1);
            answer.set(List.of(row(now.minusSeconds(60), "a@contoso.com", "10.1.1.1"),
                    row(now.minusSeconds(30), "b@contoso.com", "10.1.1.2")));
            await().atMost(Duration.ofSeconds(30)).until(() -> count(metrics, "graph_hunting_throttled") >= 1);
            tenant.simulator.huntingCallsPerMinute(0);

            List<Received> later = queues.collect("graph.alerts.low", 1);
            assertThat(later).singleElement().satisfies(m -> assertThat(JSON.readTree(m.body()).at("/hunting/row/AccountUpn")
                    .asText()).isEqualTo("b@contoso.com"));
            assertThat(count(metrics, "graph_hunting_failures")).as("the throttled run went on, not failed").isZero();
            assertThat(log.text()).doesNotContain("Exhausted after");
            // Each 429's retry came as late as Retry-After asks, capped by graph.http.max-retry-after (1 s), and
            // not much later (a slow machine gets 2.5 s).
            List<GraphCall> calls = tenant.simulator.graphCalls().stream()
                    .filter(c -> c.path().endsWith("/runHuntingQuery")).toList();
            assertThat(calls).extracting(GraphCall::status).contains(429);
            for (int i = 0; i + 1 < calls.size(); i++) {
                if (calls.get(i).status() == 429) {
                    long asked = Math.min(calls.get(i).retryAfterMillis(), 1000);
                    assertThat(calls.get(i + 1).arrived() - calls.get(i).arrived())
                            .as("ms between hunting call %d (429, Retry-After %s) and the next", i, calls.get(i).retryAfter())
                            .isBetween(asked, asked + 2500);
                }
            }
        }
    }

    @Test
    void a_bad_hunt_file_stops_the_start_naming_file_and_field_unless_hunting_is_off() throws Exception {
        Files.writeString(hunts.resolve("bad.kql"), "// name: Bad\n// schedule: 0 * * * * ?\n// severity: critical\nT");
        assertThatThrownBy(() -> RunningApp.start(props).close())
                .hasStackTraceContaining("hunt file bad.kql: severity 'critical' is not one of high, medium, low, informational");

        props.put("graph.hunting.enabled", "false");
        try (RunningApp app = RunningApp.start(props)) {
            assertThat(app.context().getRouteController().getRouteStatus("graph-hunting-tick").isStarted()).isFalse();
        }
    }

    @Test
    void a_token_without_threat_hunting_is_reported_by_name_and_each_refused_slot_logged_with_graphs_reason() throws Exception {
        writeHunt("refused.kql", "Refused hunt", "high", "PT1H");
        tenant.simulator.registerClient(SimulatedTenant.TENANT, "no-hunting-app", "nh-secret", "SecurityAlert.Read.All");
        props.put("graph.client-id", "no-hunting-app");
        props.put("graph.client-secret", "nh-secret");
        try (LogCapture log = new LogCapture(Map.of()); RunningApp app = RunningApp.start(props)) {
            GraphPermissionsCheck check = app.context().getRegistry().lookupByNameAndType("graphPermissionsCheck",
                    GraphPermissionsCheck.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> !check.roles().isEmpty());
            assertThat(check.missing()).contains("scheduled hunting needs ThreatHunting.Read.All");
            await().atMost(Duration.ofSeconds(30)).until(() -> log.contains("Hunt refused.kql ('Refused hunt') slot"));
            assertThat(log.lines()).filteredOn(l -> l.contains("Hunt refused.kql")).first().asString()
                    .startsWith("WARN").contains("failed and is not run again before its next slot: Graph answered 403");
            assertThat(log.text()).doesNotContain("nh-secret").doesNotContain("Bearer ");
        }
    }

    private void writeHunt(String file, String name, String severity, String timespan) throws Exception {
        Files.writeString(hunts.resolve(file), "// name: " + name + "\n// schedule: * * * * * ?\n// severity: " + severity
                + "\n// timespan: " + timespan + "\n" + QUERY + "\n");
    }

    private static ObjectNode row(Instant at, String upn, String ip) {
        return JSON.createObjectNode().put("Timestamp", at.toString()).put("AccountUpn", upn).put("IPAddress", ip);
    }

    private static boolean inRange(HuntingRequest r, Instant t) {
        return !t.isBefore(r.from()) && t.isBefore(r.to());
    }

    private void awaitMoreHuntingCalls(int more) {
        int seen = tenant.simulator.huntingRequestsSeen(SimulatedTenant.TENANT).size();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> tenant.simulator.huntingRequestsSeen(SimulatedTenant.TENANT).size() >= seen + more);
    }

    private static double count(MeterRegistry metrics, String name) {
        return metrics.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}
