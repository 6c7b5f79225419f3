package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The replay command over real sockets: the simulated tenant over HTTPS, the live app (Camel Main,
 * embedded Artemis) running, the replay as a second Camel Main beside it that uses the live
 * instance's broker over TCP, exactly as {@code java -jar ... replay} does.
 */
class ReplayTest extends AgainstSimulatedTenant {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String REPLAY_QUEUE = "siem.replay";

    @BeforeEach
    void setUp() {
        props.put("graph.alerts.page-size", "40");
    }

    @Test
    void a_replay_of_a_delivered_range_sends_each_alert_once_and_leaves_the_live_state_byte_for_byte() throws Exception {
        List<ObjectNode> alerts = tenant.addAlerts(100);
        Instant from = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant to = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            assertThat(drainUntil(queues, Queues.SEVERITY_QUEUES, 100)).hasSize(100);
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(stateDir().resolve("alerts_v2.watermark")));
            app.context().getRouteController().stopRoute("graph-alerts-poll");
            Map<String, byte[]> liveState = liveState();

            Run run = replay("--from", from.toString(), "--to", to.toString(), "--collection", "alerts",
                    "--tenant", "default", "--to-destination", "jms:queue:" + REPLAY_QUEUE, "--operator", "alice");

            assertThat(run.code).as(run.out).isZero();
            List<Received> replayed = queues.drain(REPLAY_QUEUE);
            assertThat(replayed).extracting(m -> m.property("graphAlertId"))
                    .containsExactlyInAnyOrderElementsOf(alerts.stream().map(a -> a.get("id").asText()).toList());
            assertThat(replayed).allSatisfy(m -> {
                assertThat(m.property("graphReplay")).isEqualTo("true");
                assertThat(m.property("graphReplayId")).startsWith("replay-");
            });
            assertThat(replayed).extracting(m -> m.property("graphReplayId")).containsOnly(replayed.get(0).property("graphReplayId"));
            assertThat(queues.leftAfterCompletion(Queues.SEVERITY_QUEUES).values()).allSatisfy(q -> assertThat(q).isEmpty());
            assertThat(liveState()).as("watermark and delivered versions, byte for byte")
                    .containsOnlyKeys(liveState.keySet())
                    .allSatisfy((file, bytes) -> assertThat(bytes).as(file).isEqualTo(liveState.get(file)));
            assertThat(run.out).contains("100 sent to jms:queue:" + REPLAY_QUEUE)
                    .contains("Graph counted 100, read 100, sent 100 message(s)");
            List<String> audit = Files.readAllLines(stateDir().resolve("replay-audit.jsonl"));
            assertThat(audit).hasSize(2);
            JsonNode finished = JSON.readTree(audit.get(1));
            assertThat(finished.get("event").asText()).isEqualTo("finished");
            assertThat(finished.get("operator").asText()).isEqualTo("alice");
            assertThat(finished.get("osUser").asText()).isEqualTo(System.getProperty("user.name"));
            assertThat(finished.get("from").asText()).isEqualTo(from.toString());
            assertThat(finished.get("to").asText()).isEqualTo(to.toString());
            assertThat(finished.get("sent").asLong()).isEqualTo(100);

            // While a second replay of the range runs, the live poll goes on: a new alert reaches it once.
            app.context().getRouteController().startRoute("graph-alerts-poll");
            CompletableFuture<Run> second = CompletableFuture.supplyAsync(() -> replay("--from", from.toString(),
                    "--to", to.toString(), "--to-destination", "jms:queue:" + REPLAY_QUEUE));
            ObjectNode fresh = tenant.newAlert(Instant.now().plusSeconds(2), "high");
            tenant.alerts().put(fresh);
            List<Received> live = drainUntil(queues, Queues.SEVERITY_QUEUES, 1);
            assertThat(second.get().code).as(second.get().out).isZero();
            int requests = tenant.simulator.graphRequests();
            await().atMost(Duration.ofSeconds(10)).until(() -> tenant.simulator.graphRequests() >= requests + 2);
            live.addAll(flatten(queues.leftAfterCompletion(Queues.SEVERITY_QUEUES)));
            assertThat(live).extracting(m -> m.property("graphAlertId")).containsExactly(fresh.get("id").asText());
            assertThat(queues.drain(REPLAY_QUEUE)).as("the second replay, whole, under its own id").hasSize(100)
                    .allSatisfy(m -> assertThat(m.property("graphReplayId")).isNotEqualTo(replayed.get(0).property("graphReplayId")));
        }
    }

    @Test
    void a_range_with_more_alerts_than_the_cap_is_refused_with_the_count_before_anything_is_sent() throws Exception {
        tenant.addAlerts(30);
        props.put("graph.replay.max-alerts", "20");
        Instant to = Instant.now().plusSeconds(1);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            app.context().getRouteController().stopRoute("graph-alerts-poll");
            int before = tenant.simulator.graphRequests();
            Run run = replay("--from", to.minus(Duration.ofHours(2)).toString(), "--to", to.toString(),
                    "--to-destination", "jms:queue:" + REPLAY_QUEUE);
            assertThat(run.code).isEqualTo(3);
            assertThat(run.out).contains("the range holds 30 alerts (Graph's $count), more than graph.replay.max-alerts 20");
            assertThat(tenant.simulator.graphRequests()).as("the count only").isEqualTo(before + 1);
            assertThat(queues.leftAfterCompletion(REPLAY_QUEUE)).isEmpty();

            Run tooLong = replay("--from", to.minus(Duration.ofDays(8)).toString(), "--to", to.toString());
            assertThat(tooLong.code).isEqualTo(3);
            assertThat(tooLong.out).contains("is longer than graph.replay.max-range P7D");
            assertThat(tenant.simulator.graphRequests()).as("not even a count").isEqualTo(before + 1);
            assertThat(Files.readString(stateDir().resolve("replay-audit.jsonl"))).contains("\"event\":\"refused\"");
        }
    }

    @Test
    void a_replay_interrupted_mid_way_and_run_again_delivers_the_missing_part_once() throws Exception {
        List<ObjectNode> alerts = tenant.addAlerts(100);
        Instant to = Instant.now().plusSeconds(1);
        String[] args = {"--from", to.minus(Duration.ofHours(1)).toString(), "--to", to.toString(),
                "--to-destination", "jms:queue:" + REPLAY_QUEUE};
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            app.context().getRouteController().stopRoute("graph-alerts-poll");
            // The second page of the range cannot be read: the replay stops after the first one was delivered.
            tenant.simulator.corruptNextWhereQueryHas("GET", "skip", "{\"value\": [");
            Run first = replay(args);
            assertThat(first.code).as(first.out).isEqualTo(1);
            assertThat(first.out).contains("INCOMPLETE");
            List<Received> got = new ArrayList<>(queues.leftAfterCompletion(REPLAY_QUEUE));
            assertThat(got).hasSize(40);
            // What a kill right after the first page's commit leaves: its messages sent, its versions not recorded.
            try (Stream<Path> kept = Files.list(stateDir().resolve("replays"))) {
                Files.delete(kept.findFirst().orElseThrow().resolve("alerts_v2.versions"));
            }

            Run again = replay(args);
            assertThat(again.code).as(again.out).isZero();
            got.addAll(queues.leftAfterCompletion(REPLAY_QUEUE));
            assertThat(got).extracting(m -> m.property("graphAlertId"))
                    .containsExactlyInAnyOrderElementsOf(alerts.stream().map(a -> a.get("id").asText()).toList());
            assertThat(got).extracting(m -> m.property("graphReplayId")).as("one replay, resumed").containsOnly(got.get(0).property("graphReplayId"));
            assertThat(stateDir().resolve("replays")).isEmptyDirectory();
        }
    }

    @Test
    void hostile_or_wrong_command_line_arguments_are_refused_naming_the_problem_before_graph_is_asked() throws Exception {
        tenant.addAlerts(10);
        String to = Instant.now().plusSeconds(1).toString();
        String from = Instant.now().minus(Duration.ofHours(1)).toString();
        Map<List<String>, String> refused = new java.util.LinkedHashMap<>();
        refused.put(List.of("--to-destination", "jms:queue:{{graph.client-secret}}"), "--to-destination 'jms:queue:{{graph.client-secret}}' is refused");
        refused.put(List.of("--to-destination", "jms:queue:${header.graphAlertId}"), "is refused: a replay sends only to jms:queue:<name> or file:<folder>");
        refused.put(List.of("--to-destination", "exec:rm?args=-rf"), "--to-destination 'exec:rm?args=-rf' is refused");
        refused.put(List.of("--to-destination", "jms:queue:siem?replyTo=graph.alerts.high"), "is refused");
        refused.put(List.of("--to-destination", "file:../../etc"), "--to-destination 'file:../../etc' is refused");
        refused.put(List.of("--to-destination", "jms:topic:siem"), "is refused");
        refused.put(List.of("--collection", "secureScores"), "--collection 'secureScores' is not one a replay reads: alerts, incidents, legacy-alerts");
        refused.put(List.of("--collection", "../alerts"), "is not one a replay reads");
        refused.put(List.of("--tenant", "fabrikam"), "--tenant 'fabrikam' is not a configured tenant");
        refused.put(List.of("--tenant", "default/../x"), "is not a tenant name");
        refused.put(List.of("--operator", "eve\n{\"event\":\"forged\"}"), "is not a name");
        refused.put(List.of("--dry-run", "--to-destination", "jms:queue:siem"), "--dry-run sends nothing");
        refused.put(List.of("--exec", "x"), "unknown replay option '--exec'");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            drainUntil(queues, Queues.SEVERITY_QUEUES, 10);
            app.context().getRouteController().stopRoute("graph-alerts-poll");
            int requests = tenant.simulator.graphRequests();
            for (Map.Entry<List<String>, String> c : refused.entrySet()) {
                List<String> args = new ArrayList<>(List.of("--from", from, "--to", to));
                args.addAll(c.getKey());
                Run run = replay(args.toArray(String[]::new));
                assertThat(run.code).as(run.out).isEqualTo(2);
                assertThat(run.out).as(c.getKey().toString()).contains(c.getValue())
                        .doesNotContain(tenant.appProperties().get("graph.client-secret"));
            }
            Run badTime = replay("--from", "yesterday", "--to", to);
            assertThat(badTime.out).contains("--from 'yesterday' is not a date and time with its offset");
            assertThat(tenant.simulator.graphRequests()).as("no request to Graph").isEqualTo(requests);
            assertThat(queues.leftAfterCompletion(REPLAY_QUEUE)).isEmpty();
            assertThat(flatten(queues.leftAfterCompletion(Queues.SEVERITY_QUEUES))).isEmpty();
            assertThat(dir.resolve("etc")).doesNotExist();
        }
    }

    @Test
    void a_host_replays_through_the_graph_replays_bean_in_its_own_running_context() throws Exception {
        tenant.addAlerts(30);
        Instant to = Instant.now().plusSeconds(1);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            drainUntil(queues, Queues.SEVERITY_QUEUES, 30);
            io.graphsec.routes.replay.ReplayReport report = app.context().getRegistry()
                    .lookupByNameAndType("graphReplays", io.graphsec.routes.replay.Replays.class)
                    .run(io.graphsec.routes.replay.ReplayRequest.parse(List.of("--from",
                            to.minus(Duration.ofHours(1)).toString(), "--to", to.toString()), "host"));
            assertThat(report.exitCode()).as(String.join("\n", report.summary())).isZero();
            List<Received> again = drainUntil(queues, Queues.SEVERITY_QUEUES, 30);
            assertThat(again).hasSize(30).allSatisfy(m -> assertThat(m.property("graphReplay")).isEqualTo("true"));
            assertThat(report.destinations()).containsOnlyKeys("route high", "route medium", "route low",
                    "route informational", "route triage");
            assertThat(report.sent()).isEqualTo(30);
        }
    }

    record Run(int code, String out) {
    }

    Run replay(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            int code = ReplayCommand.run(Arrays.asList(args), props, out);
            return new Run(code, bytes.toString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Path stateDir() {
        return Path.of(props.get("graph.state.dir"));
    }

    /** Every file of the live state, by path: what a replay must not change. */
    Map<String, byte[]> liveState() throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(stateDir())) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String name = stateDir().relativize(f).toString();
                if (!name.startsWith("replays") && !name.equals("replay-audit.jsonl")) {
                    files.put(name, Files.readAllBytes(f));
                }
            }
        }
        return files;
    }

    static List<Received> drainUntil(Queues queues, List<String> names, int count) {
        List<Received> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            got.addAll(flatten(queues.drainAll(names)));
            return got.size() >= count;
        });
        return got;
    }

    static List<Received> flatten(Map<String, List<Received>> byQueue) {
        return byQueue.values().stream().flatMap(List::stream).toList();
    }
}
