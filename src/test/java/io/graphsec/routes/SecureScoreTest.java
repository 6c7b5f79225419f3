package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.auth.GraphPermissionsCheck;
import io.graphsec.routes.simulator.SecureScoreBook;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daily secure score snapshot with the real app against the simulator over HTTPS: every control
 * from every profile page, regressions routed like medium alerts (severity queue and tickets), and
 * one publication per day across restarts.
 */
class SecureScoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> QUEUES = List.of("graph.secure-score", "graph.alerts.high", "graph.alerts.medium",
            "graph.alerts.low", "graph.alerts.informational", "graph.alerts.triage", "graph.tickets");

    @TempDir
    Path dir;
    private SimulatedTenant tenant;
    private SecureScoreBook book;
    private int brokerPort;
    private Map<String, String> props;

    @BeforeEach
    void setUp() throws Exception {
        tenant = new SimulatedTenant(dir, "SecurityAlert.Read.All", "SecurityEvents.Read.All");
        book = tenant.secureScores();
        brokerPort = RunningApp.freePort();
        props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
        // Only secure score calls Graph in these tests, so what the simulator counts is ours.
        props.put("graph.alerts.poll.cron", "0 0 0 1 1 ? 2099");
        props.put("graph.secure-score.enabled", "true");
        props.put("graph.secure-score.cron", "0/1 * * * * ?");
        RunningApp.workQueuesLeftForTheTest(props);
    }

    @AfterEach
    void tearDown() {
        tenant.close();
    }

    @Test
    void the_snapshot_lists_every_control_of_every_page_once_a_day_and_a_bad_day_becomes_medium_alerts_and_tickets()
            throws Exception {
        List<ObjectNode> profiles = book.profiles();
        assertThat(profiles).as("more than two of the simulator's 10-profile pages").hasSizeGreaterThan(20);
        // Graph's throttling on the first call is waited out, not a lost day.
        tenant.simulator.failNext("GET", 429, Map.of("Retry-After", "1"), "TooManyRequests");
        LocalDate started = LocalDate.now(ZoneOffset.UTC);

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Received snapshot = queues.collect("graph.secure-score", 1).get(0);
            JsonNode s = JSON.readTree(snapshot.body());
            String today = dayOfTheRun(s.get("date").asText(), started);
            assertThat(snapshot.property("graphSecureScoreDate")).isEqualTo(today);
            assertThat(s.get("tenantId").asText()).isEqualTo(SimulatedTenant.TENANT);
            assertThat(s.get("currentScore").asDouble()).isEqualTo(expectedScore(profiles));
            assertThat(s.get("percentage").asDouble())
                    .isEqualTo(Math.round(s.get("currentScore").asDouble() / s.get("maxScore").asDouble() * 10_000) / 100.0);
            assertThat(s.get("controls")).hasSize(profiles.size());
            assertThat(names(s.get("controls"))).containsExactlyInAnyOrderElementsOf(
                    profiles.stream().map(p -> p.get("id").asText()).toList());
            for (JsonNode c : s.get("controls")) {
                String name = c.get("controlName").asText();
                boolean deprecated = c.get("deprecated").asBoolean();
                assertThat(c.get("implemented").asBoolean()).as(name).isEqualTo(!deprecated && book.implemented(name));
                assertThat(c.get("maxScore").asDouble()).as(name).isEqualTo(book.maxScore(name));
                assertThat(c.get("category").asText()).as(name).isNotEmpty();
            }
            MeterRegistry meters = app.context().getRegistry().findSingleByType(MeterRegistry.class);
            assertThat(meters.counter("graph_http_retries", "cause", "429").count()).isEqualTo(1.0);

            assertNothingMoreAfterTwoTicks(queues, "the same day");
            assertThat(queues.drainAll(QUEUES).values()).allSatisfy(l -> assertThat(l).isEmpty());
        }

        // The next day: Graph's new record lost a control that was in place, and its points with it.
        // The simulator dates its newest record today, so the app is told it last published yesterday.
        String lost = profiles.stream().map(p -> p.get("id").asText())
                .filter(n -> !n.startsWith("Legacy") && book.implemented(n) && book.maxScore(n) > 5)
                .findFirst().orElseThrow();
        book.unimplement(lost).addDay();
        Path lastDay = dir.resolve("app/state/secure-score-snapshot.watermark");
        assertThat(lastDay).exists();
        LocalDate nextStarted = LocalDate.now(ZoneOffset.UTC);
        Files.writeString(lastDay, nextStarted.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() + "\n");

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            JsonNode s = JSON.readTree(queues.collect("graph.secure-score", 1).get(0).body());
            String today = dayOfTheRun(s.get("date").asText(), nextStarted);
            assertThat(s.get("previousScore").asDouble() - s.get("currentScore").asDouble()).isEqualTo(book.maxScore(lost));
            assertThat(s.get("controls")).filteredOn(c -> c.get("controlName").asText().equals(lost))
                    .singleElement().satisfies(c -> assertThat(c.get("implemented").asBoolean()).isFalse());

            List<Received> medium = queues.collect("graph.alerts.medium", 2);
            List<Received> tickets = queues.collect("graph.tickets", 2);
            assertNothingMoreAfterTwoTicks(queues, "the day after");
            Map<String, List<Received>> rest = queues.drainAll(QUEUES);
            medium.addAll(rest.get("graph.alerts.medium"));
            tickets.addAll(rest.get("graph.tickets"));

            List<String> ids = List.of("securescore-" + today + "-total", "securescore-" + today + "-" + lost);
            assertThat(medium).extracting(m -> m.property("graphAlertId")).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(tickets).extracting(m -> m.property("graphAlertId")).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(rest).allSatisfy((queue, left) -> assertThat(left).as(queue).isEmpty());
            for (Received m : concat(medium, tickets)) {
                assertThat(m.properties()).containsEntry("graphEntityType", "alert").containsEntry("graphApi", "secureScore")
                        .containsEntry("graphEventType", "created").containsEntry("graphSeverity", "medium")
                        .containsEntry("graphRoute", "medium").containsEntry("graphStatus", "new")
                        .containsEntry("graphTenantId", SimulatedTenant.TENANT)
                        .containsEntry("JMSXGroupID", m.property("graphAlertId"));
                // The day's record time as Graph wrote it (seven fractional digits): the same every run.
                assertThat(java.time.Instant.parse(m.property("graphLastUpdateDateTime")))
                        .isEqualTo(LocalDate.parse(today).atStartOfDay(ZoneOffset.UTC).toInstant());
                assertThat(m.priority()).isEqualTo(7);
                assertThat(m.property("graphPortalUrl")).startsWith("https://security.microsoft.com/securescore?");
                assertThat(JSON.readTree(m.property("graphEvidenceSummary")).get("evidenceCount").asInt()).isZero();
                JsonNode body = JSON.readTree(m.body());
                assertThat(body.get("id").asText()).isEqualTo(m.property("graphAlertId"));
                assertThat(body.get("severity").asText()).isEqualTo("medium");
                assertThat(body.get("status").asText()).isEqualTo("new");
                assertThat(body.get("title").asText()).isNotEmpty();
                assertThat(body.get("secureScore").get("date").asText()).isEqualTo(today);
            }
            JsonNode control = JSON.readTree(medium.stream().filter(m -> m.property("graphAlertId").endsWith(lost))
                    .findFirst().orElseThrow().body());
            assertThat(control.at("/secureScore/controlName").asText()).isEqualTo(lost);
            assertThat(control.get("title").asText()).contains(book.profiles().stream()
                    .filter(p -> p.get("id").asText().equals(lost)).findFirst().orElseThrow().get("title").asText());
        }

        // A restart the same day: nothing new anywhere.
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            assertNothingMoreAfterTwoTicks(queues, "a restart the same day");
        }
    }

    @Test
    void without_security_events_permission_the_start_up_check_names_it_only_when_the_snapshot_is_on() throws Exception {
        tenant.simulator.registerClient(SimulatedTenant.TENANT, "alerts-only-app", "ao-secret", "SecurityAlert.Read.All");
        props.put("graph.client-id", "alerts-only-app");
        props.put("graph.client-secret", "ao-secret");
        String needed = "snapshot of secure score needs SecurityEvents.Read.All or SecurityEvents.ReadWrite.All";
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            assertThat(checkedPermissions(app)).contains(needed);
            // Graph refuses (403): a failed run publishes nothing, and the next tick tries again.
            int seen = tenant.simulator.graphRequests();
            await().atMost(Duration.ofSeconds(30)).until(() -> tenant.simulator.graphRequests() >= seen + 2);
            assertThat(queues.leftAfterCompletion("graph.secure-score")).isEmpty();
            assertThat(dir.resolve("app/state/secure-score-snapshot.watermark")).doesNotExist();
        }
        props.put("graph.secure-score.enabled", "false");
        try (RunningApp app = RunningApp.start(props)) {
            assertThat(checkedPermissions(app)).noneMatch(m -> m.contains("secure score"));
            assertThat(app.context().getRouteController().getRouteStatus("graph-secure-score-snapshot").isStopped()).isTrue();
        }
    }

    private static List<String> checkedPermissions(RunningApp app) {
        GraphPermissionsCheck check = app.context().getRegistry()
                .lookupByNameAndType("graphPermissionsCheck", GraphPermissionsCheck.class);
        // This app may not write feedback either, so the check always has something to say once it ran.
        await().atMost(Duration.ofSeconds(30)).until(() -> !check.missing().isEmpty());
        return check.missing();
    }

    /**
     * The day a snapshot of the run is for: the simulator dates its newest record by its clock when it
     * renders it, so a run that crosses midnight (UTC) may see either day, and no other.
     */
    private static String dayOfTheRun(String day, LocalDate started) {
        assertThat(LocalDate.parse(day)).as("the snapshot's day").isBetween(started, LocalDate.now(ZoneOffset.UTC));
        return day;
    }

    /** Two more ticks read Graph (one request each, the daily records) and published nothing. */
    private void assertNothingMoreAfterTwoTicks(Queues queues, String when) throws Exception {
        int seen = tenant.simulator.graphRequests();
        await().atMost(Duration.ofSeconds(30)).until(() -> tenant.simulator.graphRequests() >= seen + 2);
        Map<String, List<Received>> left = queues.leftAfterCompletion(QUEUES);
        assertThat(left).as(when).allSatisfy((queue, messages) -> assertThat(messages).as(when + ": " + queue).isEmpty());
    }

    /** Today's total: the sum of every active control's points. */
    private double expectedScore(List<ObjectNode> profiles) {
        double sum = profiles.stream().filter(p -> !p.get("deprecated").asBoolean())
                .mapToDouble(p -> book.effectiveScore(p.get("id").asText())).sum();
        return Math.round(sum * 100) / 100.0;
    }

    private static List<String> names(JsonNode controls) {
        List<String> out = new ArrayList<>();
        controls.forEach(c -> out.add(c.get("controlName").asText()));
        return out;
    }

    private static List<Received> concat(List<Received> a, List<Received> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toList());
    }
}
