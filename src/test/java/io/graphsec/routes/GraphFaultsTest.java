package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graphsec.routes.graph.PageReadAhead;
import io.graphsec.routes.simulator.GraphCall;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.RunningApp;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Graph misbehaving while we poll: each fault leaves the watermark where it was, the poller goes on
 * at the next tick, and in the end every alert is delivered exactly once.
 */
class GraphFaultsTest extends AgainstSimulatedTenant {

    @BeforeEach
    void setUp() throws Exception {
        props.put("graph.alerts.page-size", "10");
        props.put("graph.http.max-retries", "2");
        props.put("graph.http.retry-delay-ms", "100");
    }

    @Test
    void server_errors_past_the_retry_budget_fail_one_poll_and_the_next_one_delivers_everything_once() throws Exception {
        // Polls 3 s apart, retries 100 and 200 ms apart: the simulator's record splits into one burst per poll.
        props.put("graph.alerts.poll.cron", "0/3 * * * * ?");
        Set<String> ids = ids(tenant.addAlerts(25));
        for (int i = 0; i < 3; i++) {
            tenant.simulator.failNext("GET", 503, Map.of(), "serviceNotAvailable");
        }
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 25);
            settle(queues, got);
            assertThat(deliveredIds(got)).hasSize(25).containsExactlyInAnyOrderElementsOf(ids);
            List<List<GraphCall>> polls = bursts(tenant.simulator.graphCalls(), Duration.ofMillis(1500));
            assertThat(polls.get(0)).as("the first poll: its call and graph.http.max-retries (2) retries, all refused")
                    .extracting(GraphCall::status).containsExactly(503, 503, 503);
            assertThat(polls.get(1)).as("the next poll: the three pages, each read once")
                    .extracting(GraphCall::status).containsExactly(200, 200, 200);
            assertThat(Instant.parse(Files.readString(dir.resolve("app/state/alerts_v2.watermark")).trim()))
                    .isAfter(Instant.now().minusSeconds(30));
        }
    }

    @Test
    void a_page_of_broken_json_fails_its_poll_and_nothing_is_lost_or_doubled() throws Exception {
        tenant.addAlerts(12);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 12);
            tenant.simulator.corruptNext("GET", "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"da1\",\"severity\":");
            tenant.simulator.corruptNext("GET", "{\"@odata.context\":\"x\",\"error\":\"no value array\"}");
            Set<String> more = ids(tenant.addAlerts(15));
            AlertsToQueuesTest.merge(got, AlertsToQueuesTest.collectUntil(queues, 15));
            settle(queues, got);
            assertThat(deliveredIds(got)).hasSize(27).containsAll(more);
            assertThat(AlertsToQueuesTest.total(got)).isEqualTo(27);
        }
    }

    @Test
    void throttling_on_a_poll_is_waited_out_as_retry_after_asks() throws Exception {
        tenant.addAlerts(5);
        tenant.simulator.failNext("GET", 429, Map.of("Retry-After", "2.128"), "TooManyRequests");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 5);
            settle(queues, got);
            assertThat(AlertsToQueuesTest.total(got)).isEqualTo(5);
            List<GraphCall> calls = tenant.simulator.graphCalls();
            GraphCall throttled = calls.get(0);
            assertThat(throttled.status()).isEqualTo(429);
            GraphCall again = calls.get(1);
            assertThat(again.query()).as("the same call again").isEqualTo(throttled.query());
            // Not sooner than Graph asked, and not as late as a wait of its own (a slow machine gets 2.5 s).
            assertThat(again.arrived() - throttled.arrived()).as("ms between the throttled call and its retry")
                    .isBetween(2128L, 2128L + 2500);
        }
    }

    @Test
    void a_page_read_ahead_that_is_throttled_is_read_again_after_retry_after_and_nothing_is_lost_or_doubled() throws Exception {
        Set<String> ids = ids(tenant.addAlerts(35));
        // The third page is read while the second is delivered; Graph throttles that read once.
        tenant.simulator.failNextWhereQueryHas("GET", "$skip=20", 429, Map.of("Retry-After", "2"), "TooManyRequests");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 35);
            settle(queues, got);
            assertThat(deliveredIds(got)).hasSize(35).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(AlertsToQueuesTest.total(got)).isEqualTo(35);
            PageReadAhead readAhead = app.context().getRegistry().lookupByNameAndType("graphPageReadAhead", PageReadAhead.class);
            assertThat(readAhead.used()).as("pages taken from a read ahead").isGreaterThanOrEqualTo(2);
            assertThat(readAhead.failed()).as("the throttled read ahead").isEqualTo(1);
            List<Long> third = tenant.simulator.callsWhereQueryHas("$skip=20");
            assertThat(third).as("the throttled read, then the same page read again").hasSizeGreaterThanOrEqualTo(2);
            assertThat(third.get(1) - third.get(0)).as("Retry-After waited out").isGreaterThanOrEqualTo(2000);
        }
    }

    @Test
    void a_page_read_ahead_that_is_broken_or_nested_too_deep_is_handled_as_a_page_read_in_the_poll() throws Exception {
        // Pages of 10: the second and third pages are read (and parsed) ahead, while the page before is delivered.
        List<com.fasterxml.jackson.databind.node.ObjectNode> alerts = tenant.addAlerts(35);
        var deep = nestedTooDeep(alerts.get(25));
        Set<String> good = ids(alerts);
        good.remove(deep.get("id").asText());
        tenant.simulator.corruptNextWhereQueryHas("GET", "$skip=10", "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"da1\",\"severity\":");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 34);
            List<Received> dead = firstDeadLetters(queues);
            settle(queues, got);
            assertThat(deliveredIds(got)).hasSize(34).containsExactlyInAnyOrderElementsOf(good);
            assertThat(AlertsToQueuesTest.total(got)).isEqualTo(34);
            assertThat(dead).singleElement().satisfies(m ->
                    assertThat(m.property("graphDeadLetterReason")).isEqualTo("the item is nested deeper than 1000 levels"));
            assertThat(tenant.simulator.callsWhereQueryHas("$skip=10")).as("the broken page, then read again")
                    .hasSizeGreaterThanOrEqualTo(2);
            PageReadAhead readAhead = app.context().getRegistry().lookupByNameAndType("graphPageReadAhead", PageReadAhead.class);
            assertThat(readAhead.used()).as("pages taken from a read ahead").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void every_graph_call_waits_for_the_shared_request_budget() throws Exception {
        Set<String> ids = ids(tenant.addAlerts(30));
        props.put("graph.alerts.page-size", "2");
        props.put("graph.rate.requests-per-period", "3");
        props.put("graph.rate.period", "PT1S");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 30);
            settle(queues, got);
            assertThat(deliveredIds(got)).hasSize(30).containsExactlyInAnyOrderElementsOf(ids);
            // 15 pages at 3 a second: never more than one period's permits plus the next's at its boundary.
            assertThat(tenant.simulator.maxRequestsWithin(Duration.ofSeconds(1))).isLessThanOrEqualTo(6);
            assertThat(tenant.simulator.maxRequestsWithin(Duration.ofSeconds(3))).isLessThanOrEqualTo(12);
        }
    }

    @Test
    void a_read_timeout_fails_the_poll_and_the_first_poll_after_the_back_off_delivers() throws Exception {
        Set<String> ids = ids(tenant.addAlerts(8));
        // A poll whose call timed out gives up its tick and its tenant backs off (SlowTenantTest).
        props.put("graph.poll.failure-backoff", "PT2S");
        props.put("camel.component.https.response-timeout", "1500");
        props.put("camel.component.https.so-timeout", "1500");
        tenant.simulator.delayNext("GET", Duration.ofSeconds(4));
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 8);
            settle(queues, got);
            assertThat(deliveredIds(got)).hasSize(8).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    void alerts_sharing_one_timestamp_across_pages_and_the_window_boundary_are_all_delivered_once() throws Exception {
        List<com.fasterxml.jackson.databind.node.ObjectNode> alerts = tenant.addAlerts(25);
        String stamp = alerts.get(0).get("createdDateTime").asText();
        alerts.forEach(a -> a.put("lastUpdateDateTime", stamp));
        tenant.alerts().putAll(alerts);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 25);
            // Then more alerts stamped exactly at the last watermark: ge (watermark - lag) still reads them.
            Instant watermark = Instant.parse(Files.readString(dir.resolve("app/state/alerts_v2.watermark")).trim());
            List<com.fasterxml.jackson.databind.node.ObjectNode> late = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                var a = tenant.newAlert(watermark.minusSeconds(1), "medium");
                a.put("lastUpdateDateTime", watermark.toString());
                late.add(a);
            }
            tenant.alerts().putAll(late);
            AlertsToQueuesTest.merge(got, AlertsToQueuesTest.collectUntil(queues, 12));
            settle(queues, got);
            assertThat(deliveredIds(got)).hasSize(37).doesNotHaveDuplicates();
        }
    }

    @Test
    void a_connection_dropped_mid_response_is_retried_within_the_same_poll() throws Exception {
        Set<String> ids = ids(tenant.addAlerts(25));
        tenant.simulator.dropNext("GET");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 25);
            settle(queues, got);
            assertThat(deliveredIds(got)).hasSize(25).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(Files.readString(dir.resolve("app/state/alerts_v2.watermark"))).isNotBlank();
        }
    }

    @Test
    void a_full_page_without_next_link_is_paged_on_and_the_window_completes() throws Exception {
        Set<String> ids = ids(tenant.addAlerts(35));
        tenant.simulator.omitNextLinkOnce();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 35);
            // The first poll read all four pages: the watermark moved past the backlog at once.
            Instant watermark = await().atMost(Duration.ofSeconds(10)).until(
                    () -> Files.exists(dir.resolve("app/state/alerts_v2.watermark"))
                            ? Instant.parse(Files.readString(dir.resolve("app/state/alerts_v2.watermark")).trim()) : null,
                    w -> w != null);
            settle(queues, got);
            assertThat(deliveredIds(got)).hasSize(35).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(watermark).isAfter(Instant.now().minusSeconds(30));
        }
    }

    @Test
    void an_alert_nested_deeper_than_the_parser_allows_is_dead_lettered_and_its_page_delivered() throws Exception {
        List<com.fasterxml.jackson.databind.node.ObjectNode> alerts = tenant.addAlerts(12);
        var deep = nestedTooDeep(alerts.get(3));
        Set<String> good = ids(alerts);
        good.remove(deep.get("id").asText());
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 11);
            List<Received> dead = firstDeadLetters(queues);
            settle(queues, got);
            assertThat(deliveredIds(got)).hasSize(11).containsExactlyInAnyOrderElementsOf(good);
            assertThat(dead).singleElement().satisfies(m -> {
                assertThat(m.property("graphDeadLetterReason")).isEqualTo("the item is nested deeper than 1000 levels");
                assertThat(m.body()).contains(deep.get("id").asText());
            });
            assertThat(queues.leftAfterCompletion("graph.alerts.dead-letter")).as("dead-lettered once, not at every poll").isEmpty();
        }
    }

    /** Whatever the dead-letter queue holds once it holds something (waits up to 20 s). */
    private static List<Received> firstDeadLetters(Queues queues) {
        List<Received> dead = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            dead.addAll(queues.drain("graph.alerts.dead-letter"));
            return !dead.isEmpty();
        });
        return dead;
    }

    /** The alert, in the simulator, with evidence nested 3000 levels deep (Jackson refuses more than 1000). */
    private com.fasterxml.jackson.databind.node.ObjectNode nestedTooDeep(com.fasterxml.jackson.databind.node.ObjectNode alert) {
        var level = alert.putObject("deepEvidence");
        for (int i = 0; i < 3000; i++) {
            level = level.putObject("n");
        }
        tenant.alerts().put(alert);
        return alert;
    }

    /** Two more complete polls, then whatever arrived is added. */
    private void settle(Queues queues, Map<String, List<Received>> got) throws Exception {
        int requests = tenant.simulator.graphRequests("GET");
        await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphRequests("GET") >= requests + 6);
        AlertsToQueuesTest.merge(got, queues.drainAll(Queues.SEVERITY_QUEUES));
    }

    /** The calls split wherever more than {@code quiet} passed between two: with polls far apart, one list per poll. */
    private static List<List<GraphCall>> bursts(List<GraphCall> calls, Duration quiet) {
        List<List<GraphCall>> bursts = new java.util.ArrayList<>();
        for (GraphCall c : calls) {
            if (bursts.isEmpty() || c.arrived() - bursts.get(bursts.size() - 1).get(bursts.get(bursts.size() - 1).size() - 1).arrived()
                    > quiet.toMillis()) {
                bursts.add(new java.util.ArrayList<>());
            }
            bursts.get(bursts.size() - 1).add(c);
        }
        return bursts;
    }

    private static Set<String> ids(List<com.fasterxml.jackson.databind.node.ObjectNode> alerts) {
        return alerts.stream().map(a -> a.get("id").asText()).collect(Collectors.toSet());
    }

    private static List<String> deliveredIds(Map<String, List<Received>> got) {
        return got.values().stream().flatMap(List::stream).map(m -> m.property("graphAlertId")).toList();
    }
}
