package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.RunningApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Incidents as the unit of work, end to end: polled with their alerts, their context on every
 * alert, their resolution and merges routed to ticketing, and a 500 on $expand never stalls them.
 */
class IncidentsTest extends AgainstSimulatedTenant {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected String[] roles() {
        return new String[] {"SecurityAlert.Read.All", "SecurityIncident.Read.All"};
    }

    @BeforeEach
    void setUp() throws Exception {
        props.put("graph.incidents.enabled", "true");
        props.put("graph.incidents.poll.cron", "0/1 * * * * ?");
        RunningApp.workQueuesLeftForTheTest(props);
    }

    @Test
    void incidents_arrive_with_their_alerts_give_alerts_their_context_and_their_resolution_reaches_ticketing()
            throws Exception {
        List<ObjectNode> alerts = tenant.addIncident("high", "low");
        String incidentId = alerts.get(0).get("incidentId").asText();
        ObjectNode incident = tenant.incidentBook().incident(incidentId).orElseThrow();

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Received created = awaitOne(queues, "graph.incidents");
            assertThat(created.property("graphEntityType")).isEqualTo("incident");
            assertThat(created.property("graphEventType")).isEqualTo("created");
            assertThat(created.property("graphIncidentId")).isEqualTo(incidentId);
            assertThat(created.property("graphSeverity")).isEqualTo("high");
            JsonNode body = JSON.readTree(created.body());
            assertThat(body.get("alerts")).as("$expand=alerts").hasSize(2);
            assertThat(body.get("displayName").asText()).isEqualTo(incident.get("displayName").asText());

            List<Received> delivered = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                delivered.addAll(queues.drain("graph.alerts.high"));
                delivered.addAll(queues.drain("graph.alerts.low"));
                return delivered.size() >= 2;
            });
            assertThat(delivered).allSatisfy(m -> {
                assertThat(m.property("graphIncidentId")).isEqualTo(incidentId);
                assertThat(m.property("graphIncidentDisplayName")).isEqualTo(incident.get("displayName").asText());
                assertThat(m.property("graphIncidentSeverity")).isEqualTo("high");
                assertThat(m.property("graphIncidentStatus")).isEqualTo("active");
                assertThat(m.property("graphIncidentWebUrl")).startsWith("https://security.microsoft.com/incidents/" + incidentId);
            });
            assertThat(queues.drain("graph.tickets")).as("the high alert opens the ticket").singleElement()
                    .satisfies(m -> assertThat(m.property("graphEntityType")).isEqualTo("alert"));

            tenant.incidentBook().resolve(incidentId);
            Received resolved = awaitOne(queues, "graph.incidents");
            assertThat(resolved.property("graphEventType")).isEqualTo("resolved");
            assertThat(resolved.property("graphPreviousStatus")).isEqualTo("active");
            List<Received> tickets = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                tickets.addAll(queues.drain("graph.tickets"));
                return tickets.size() >= 2;
            });
            assertThat(tickets).extracting(m -> m.property("graphEntityType") + " " + m.property("graphEventType"))
                    .containsExactlyInAnyOrder("incident resolved", "alert resolved");
            assertThat(tickets).allMatch(m -> incidentId.equals(m.property("JMSXGroupID")));
        }
    }

    @Test
    void a_merged_incident_goes_to_ticketing_naming_its_target_and_its_alerts_follow() throws Exception {
        String from = tenant.addIncident("high").get(0).get("incidentId").asText();
        String into = tenant.addIncident("medium").get(0).get("incidentId").asText();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Received> incidents = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                incidents.addAll(queues.drain("graph.incidents"));
                return incidents.size() >= 2;
            });
            AlertsToQueuesTest.collectUntil(queues, 2);
            queues.drain("graph.tickets");

            tenant.incidentBook().merge(from, into);
            List<Received> tickets = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                tickets.addAll(queues.drain("graph.tickets"));
                return tickets.stream().anyMatch(m -> "incident".equals(m.property("graphEntityType")));
            });
            Received merged = tickets.stream().filter(m -> "incident".equals(m.property("graphEntityType")))
                    .findFirst().orElseThrow();
            assertThat(merged.property("graphIncidentId")).isEqualTo(from);
            assertThat(merged.property("graphStatus")).isEqualTo("redirected");
            assertThat(merged.property("graphRedirectIncidentId")).isEqualTo(into);

            Received moved = AlertsToQueuesTest.collectUntil(queues, 1).get("graph.alerts.high").get(0);
            assertThat(moved.property("graphIncidentId")).isEqualTo(into);
            // The context is the target's as last polled: its severity may lag one incidents poll behind.
            assertThat(moved.property("graphIncidentStatus")).isEqualTo("active");
            assertThat(moved.property("graphIncidentDisplayName")).isNotBlank();
        }
    }

    @Test
    void a_500_on_expand_reads_each_incidents_alerts_apart_and_the_poll_goes_on() throws Exception {
        tenant.simulator.failExpand(true);
        List<ObjectNode> alerts = tenant.addIncident("medium", "medium", "low");
        String incidentId = alerts.get(0).get("incidentId").asText();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Received incident = awaitOne(queues, "graph.incidents");
            assertThat(incident.property("graphIncidentId")).isEqualTo(incidentId);
            assertThat(JSON.readTree(incident.body()).get("alerts")).as("read from /incidents/{id}/alerts")
                    .extracting(a -> a.get("id").asText())
                    .containsExactlyInAnyOrderElementsOf(alerts.stream().map(a -> a.get("id").asText()).toList());
            assertThat(incident.property("graphAlertCount")).isEqualTo("3");
        }
    }

    @Test
    void a_page_size_graph_would_refuse_stops_the_start_with_the_reason() {
        props.put("graph.incidents.page-size", "51");
        assertThatThrownBy(() -> RunningApp.start(props).close())
                .hasStackTraceContaining("graph.incidents.page-size=51 is above 50");
    }

    private static Received awaitOne(Queues queues, String queue) {
        List<Received> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            got.addAll(queues.drain(queue));
            return !got.isEmpty();
        });
        assertThat(got).as(queue).hasSize(1);
        return got.get(0);
    }
}
