package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.GraphCall;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Most polls reach back a short overlap before the watermark, a lag sweep now and then the whole
 * lag: a busy tenant's idle poll is one request, and an alert Graph publishes later than the
 * overlap (but within the lag) is still delivered, once.
 */
class LagSweepTest extends AgainstSimulatedTenant {

    @Test
    void an_alert_published_later_than_the_overlap_but_inside_the_lag_is_delivered_once_by_the_next_sweep()
            throws Exception {
        props.put("graph.alerts.overlap", "PT30S");
        props.put("graph.alerts.lag-sweep-interval", "PT5S");
        tenant.addAlerts(5);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            assertThat(AlertsToQueuesTest.total(AlertsToQueuesTest.collectUntil(queues, 5))).isEqualTo(5);
            Instant watermark = await().atMost(Duration.ofSeconds(10)).until(() -> read("alerts_v2"), w -> w != null);

            // Graph shows this alert only now, stamped four minutes before the last poll's window ended.
            ObjectNode late = tenant.newAlert(watermark.minus(Duration.ofMinutes(4)), "high");
            late.put("lastUpdateDateTime", late.get("createdDateTime").asText());
            tenant.alerts().put(late);

            List<Received> high = new ArrayList<>(queues.collect("graph.alerts.high", 1));
            // Two more sweeps read it again: it must not go out twice.
            Instant swept = read("alerts_v2.swept");
            await().atMost(Duration.ofSeconds(30)).until(() -> read("alerts_v2.swept").isAfter(swept.plusSeconds(6)));
            high.addAll(queues.drain("graph.alerts.high"));
            assertThat(high).extracting(m -> m.property("graphAlertId")).containsExactly(late.get("id").asText());
        }
    }

    @Test
    void an_idle_poll_of_a_tenant_with_many_alerts_inside_the_lag_makes_one_graph_request() throws Exception {
        // 30 alerts updated one to five minutes ago, pages of 10: re-reading the lag would take 3 requests a poll.
        props.put("graph.alerts.page-size", "10");
        props.put("graph.alerts.overlap", "PT30S");
        props.put("graph.alerts.lag-sweep-interval", "PT1H");
        Instant now = Instant.now();
        List<ObjectNode> alerts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            alerts.add(tenant.newAlert(now.minusSeconds(60 + i * 8L), "medium"));
        }
        tenant.alerts().putAll(alerts);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            assertThat(AlertsToQueuesTest.total(AlertsToQueuesTest.collectUntil(queues, 30))).isEqualTo(30);
            await().atMost(Duration.ofSeconds(10)).until(() -> read("alerts_v2") != null);
            int calls0 = alertCalls().size();
            long polls0 = firstPages();
            await().atMost(Duration.ofSeconds(20)).until(() -> firstPages() >= polls0 + 6);
            // Counted up to the sixth poll's first page: every request of the five before it is in.
            List<GraphCall> calls = alertCalls();
            int firstPageOfSixth = indexOfFirstPage(calls, polls0 + 5);
            double perPoll = (firstPageOfSixth - calls0) / 5.0;
            assertThat(perPoll).as("Graph requests per idle poll").isLessThanOrEqualTo(1.2);
            assertThat(queues.drainAll(Queues.SEVERITY_QUEUES).values().stream().mapToInt(List::size).sum())
                    .as("nothing delivered again").isZero();
        }
    }

    private List<GraphCall> alertCalls() {
        return tenant.simulator.graphCalls().stream().filter(c -> c.path().endsWith("/alerts_v2")).toList();
    }

    /** A poll's first page has no $skip. */
    private long firstPages() {
        return alertCalls().stream().filter(c -> !c.query().contains("$skip")).count();
    }

    private static int indexOfFirstPage(List<GraphCall> calls, long n) {
        long seen = 0;
        for (int i = 0; i < calls.size(); i++) {
            if (!calls.get(i).query().contains("$skip") && seen++ == n) {
                return i;
            }
        }
        throw new IllegalStateException("fewer first pages than " + (n + 1));
    }

    private Instant read(String mark) throws Exception {
        Path file = dir.resolve("app/state/" + mark + ".watermark");
        return Files.exists(file) ? Instant.parse(Files.readString(file).trim()) : null;
    }
}
