package io.graphsec.routes;

import static io.graphsec.routes.AlertsToQueuesTest.collectUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.RunningApp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What changed decides where an alert goes besides its severity queue: the ticketing and mail work
 * queues get created, escalated, resolved and reopened alerts, never a mere re-stamp; and that
 * memory survives a restart.
 */
class ChangeAwareRoutingTest extends AgainstSimulatedTenant {

    private static final List<String> WORK_QUEUES = List.of("graph.tickets", "graph.mail", "graph.mail.digest");

    @BeforeEach
    void setUp() throws Exception {
        RunningApp.workQueuesLeftForTheTest(props);
    }

    @Test
    void events_reach_tickets_and_mail_by_severity_and_change_and_are_remembered_across_a_restart() throws Exception {
        Instant now = Instant.now();
        ObjectNode high = tenant.newAlert(now.minusSeconds(40), "high");
        ObjectNode medium = tenant.newAlert(now.minusSeconds(30), "medium");
        ObjectNode low = tenant.newAlert(now.minusSeconds(20), "low");
        ObjectNode info = tenant.newAlert(now.minusSeconds(10), "informational");
        tenant.alerts().putAll(List.of(high, medium, low, info));

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> severityQueues = collectUntil(queues, 4);
            assertThat(severityQueues.values().stream().flatMap(List::stream))
                    .allMatch(m -> "created".equals(m.property("graphEventType")))
                    .allMatch(m -> "alert".equals(m.property("graphEntityType")));
            Map<String, List<Received>> work = drainWork(queues, 3);
            assertThat(ids(work.get("graph.tickets"))).containsExactlyInAnyOrder(id(high), id(medium));
            assertThat(ids(work.get("graph.mail"))).containsExactly(id(high));
            assertThat(work.get("graph.mail.digest")).isEmpty();
            assertThat(work.get("graph.tickets")).allMatch(m -> m.property("JMSXGroupID").equals(m.property("graphIncidentId")));
        }

        // A new process: what each alert was delivered as comes from the state directory.
        tenant.alerts().update(id(low), a -> a.put("severity", "high"));
        tenant.alerts().update(id(medium), a -> a.put("status", "resolved"));
        tenant.alerts().update(id(info), a -> a.put("assignedTo", "analyst@contoso.com"));
        tenant.alerts().update(id(high), a -> a.put("status", "inProgress"));
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, Received> byId = collectUntil(queues, 4).values().stream().flatMap(List::stream)
                    .collect(Collectors.toMap(m -> m.property("graphAlertId"), m -> m));
            assertThat(byId.get(id(low)).property("graphEventType")).isEqualTo("severityRaised");
            assertThat(byId.get(id(low)).property("graphPreviousSeverity")).isEqualTo("low");
            assertThat(byId.get(id(low)).property("graphRoute")).as("escalated as a high alert").isEqualTo("high");
            assertThat(byId.get(id(medium)).property("graphEventType")).isEqualTo("resolved");
            assertThat(byId.get(id(info)).property("graphEventType")).isEqualTo("updated");
            assertThat(byId.get(id(high)).property("graphEventType")).isEqualTo("statusChanged");
            assertThat(byId.get(id(high)).property("graphPreviousStatus")).isEqualTo("new");

            Map<String, List<Received>> work = drainWork(queues, 4);
            assertThat(events(work.get("graph.tickets"))).containsExactlyInAnyOrder(
                    id(low) + " severityRaised", id(medium) + " resolved", id(high) + " statusChanged");
            assertThat(events(work.get("graph.mail"))).containsExactly(id(low) + " severityRaised");
        }
    }

    @Test
    void one_branch_is_rewired_by_properties_alone() throws Exception {
        props.put("graph.tickets.severities", "high");
        props.put("graph.mail.digest.severities", "low,informational");
        props.put("graph.alerts.destination.medium", "jms:queue:soc.medium.review");
        Instant now = Instant.now();
        ObjectNode medium = tenant.newAlert(now.minusSeconds(30), "medium");
        ObjectNode low = tenant.newAlert(now.minusSeconds(20), "low");
        ObjectNode info = tenant.newAlert(now.minusSeconds(10), "informational");
        tenant.alerts().putAll(List.of(medium, low, info));

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !queues.drain("soc.medium.review").isEmpty());
            Map<String, List<Received>> work = drainWork(queues, 2);
            assertThat(ids(work.get("graph.mail.digest"))).containsExactlyInAnyOrder(id(low), id(info));
            assertThat(work.get("graph.tickets")).as("medium no longer opens tickets").isEmpty();
            assertThat(queues.leftAfterCompletion("graph.alerts.medium")).isEmpty();
        }
    }

    @Test
    void a_severity_nobody_receives_mail_for_is_not_queued_for_mail() throws Exception {
        props.put("graph.mail.to.high", "");
        props.put("graph.mail.digest.severities", "low,informational");
        props.put("graph.mail.to.informational", "");
        ObjectNode high = tenant.newAlert(Instant.now().minusSeconds(30), "high");
        ObjectNode low = tenant.newAlert(Instant.now().minusSeconds(20), "low");
        ObjectNode info = tenant.newAlert(Instant.now().minusSeconds(10), "informational");
        tenant.alerts().putAll(List.of(high, low, info));

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            collectUntil(queues, 3);
            Map<String, List<Received>> work = drainWork(queues, 2);
            assertThat(ids(work.get("graph.tickets"))).as("tickets do not depend on mail").containsExactly(id(high));
            assertThat(ids(work.get("graph.mail.digest"))).as("low has recipients").containsExactly(id(low));
            assertThat(work.get("graph.mail")).as("high has none").isEmpty();
        }
    }

    private Map<String, List<Received>> drainWork(Queues queues, int atLeast) throws Exception {
        Map<String, List<Received>> got = new java.util.HashMap<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            AlertsToQueuesTest.merge(got, queues.drainAll(WORK_QUEUES));
            return AlertsToQueuesTest.total(got) >= atLeast;
        });
        // Two further polls: nothing more may arrive.
        int gets = tenant.simulator.graphRequests("GET");
        await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphRequests("GET") >= gets + 2);
        AlertsToQueuesTest.merge(got, queues.drainAll(WORK_QUEUES));
        WORK_QUEUES.forEach(q -> got.computeIfAbsent(q, k -> new java.util.ArrayList<>()));
        return got;
    }

    private static List<String> ids(List<Received> messages) {
        return messages.stream().map(m -> m.property("graphAlertId")).toList();
    }

    private static List<String> events(List<Received> messages) {
        return messages.stream().map(m -> m.property("graphAlertId") + " " + m.property("graphEventType")).toList();
    }

    private static String id(ObjectNode alert) {
        return alert.get("id").asText();
    }
}
