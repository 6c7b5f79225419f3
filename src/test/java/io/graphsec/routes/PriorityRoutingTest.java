package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.support.LoopbackSmtp;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Microsoft's ranking decides who hears of an alert: a medium alert in an incident Microsoft scores
 * 95 is handled as high (its queue, priority, one ticket, one mail) and says why; polled again
 * unchanged it sends nothing; when the score drops below the threshold it is only an update; and a
 * score crossing the threshold is told once, like a severity raise.
 */
class PriorityRoutingTest extends AgainstSimulatedTenant {

    private static final String SUMMARY = "Hands-on-keyboard attack on finance devices";
    private FakeTicketing tickets;
    private GreenMail smtp;

    @Override
    protected String[] roles() {
        return new String[] {"SecurityAlert.ReadWrite.All", "SecurityIncident.ReadWrite.All"};
    }

    @BeforeEach
    void setUp() throws Exception {
        tickets = new FakeTicketing(0).acceptBasic("graph", "sn-pass").start();
        smtp = LoopbackSmtp.on(RunningApp.freePort());
        smtp.start();
        RunningApp.incidentsTicketedIn(props, tickets.baseUrl());
        props.put("graph.mail.smtp.host", "127.0.0.1");
        props.put("graph.mail.smtp.port", String.valueOf(smtp.getSmtp().getPort()));
        props.put("graph.mail.smtp.security", "none");
        props.put("graph.mail.to.high", "oncall@example.org");
    }

    @AfterEach
    void tearDown() {
        smtp.stop();
        tickets.close();
    }

    @Test
    void a_medium_alert_in_an_incident_scored_95_is_handled_as_high_once_and_a_drop_below_is_only_an_update() throws Exception {
        ObjectNode alert = tenant.addIncident("medium").get(0);
        String alertId = alert.get("id").asText();
        String incidentId = alert.get("incidentId").asText();
        tenant.incidentBook().rank(incidentId, 95, " Hands-on-keyboard attack\r\non finance devices\u0007 ");

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Received> high = new ArrayList<>(queues.collect("graph.alerts.high", 1));
            Received raised = high.get(0);
            assertThat(raised.property("graphAlertId")).isEqualTo(alertId);
            assertThat(raised.property("graphSeverity")).as("its own severity stays").isEqualTo("medium");
            assertThat(raised.property("graphRoute")).isEqualTo("high");
            assertThat(raised.property("graphRouteReason")).isEqualTo("incident priority score 95 >= 85");
            assertThat(raised.property("graphIncidentPriorityScore")).isEqualTo("95");
            assertThat(raised.property("graphIncidentSummary")).as("one line, trimmed").isEqualTo(SUMMARY);
            assertThat(raised.property("graphEventType")).isEqualTo("created");
            assertThat(raised.priority()).isEqualTo(9);

            await().atMost(Duration.ofSeconds(40)).until(() -> tickets.serviceNowIncidents().size() == 1
                    && smtp.getReceivedMessages().length == 1);
            ObjectNode ticket = tickets.serviceNowIncidents().get(0);
            assertThat(ticket.get("urgency").asText()).as("urgent as a high alert").isEqualTo("1");
            assertThat(ticket.get("description").asText()).contains("Microsoft's priority score: 95 (routed as high: "
                    + "incident priority score 95 >= 85)").contains("Summary: " + SUMMARY);
            String mail = GreenMailUtil.getBody(smtp.getReceivedMessages()[0]);
            assertThat(smtp.getReceivedMessages()[0].getSubject()).startsWith("[Graph HIGH]");
            assertThat(mail).contains("Priority score: 95").contains(SUMMARY);

            // The ticket number written back on the alert makes a new version of it: only an update.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                high.addAll(queues.drain("graph.alerts.high"));
                return high.size() >= 2;
            });
            assertThat(high).extracting(m -> m.property("graphEventType")).containsExactly("created", "updated");
            int ticketCalls = tickets.requests().size();
            afterTwoMorePolls();
            assertThat(queues.drainAll(Queues.SEVERITY_QUEUES).values()).as("re-polled unchanged: nothing new")
                    .allMatch(List::isEmpty);
            assertThat(tickets.requests()).hasSize(ticketCalls);
            assertThat(smtp.getReceivedMessages()).hasSize(1);

            // Microsoft lowers its ranking; the incidents poll brings it, then the alert changes.
            queues.drain("graph.incidents");
            tenant.incidentBook().rank(incidentId, 40, SUMMARY);
            await().atMost(Duration.ofSeconds(30)).until(() -> queues.drain("graph.incidents").stream()
                    .anyMatch(m -> "40".equals(m.property("graphIncidentPriorityScore"))));
            tenant.alerts().update(alertId, a -> a.put("assignedTo", "analyst@contoso.com"));
            Received dropped = queues.collect("graph.alerts.medium", 1).get(0);
            assertThat(dropped.property("graphEventType")).isEqualTo("updated");
            assertThat(dropped.property("graphPreviousRoute")).isEqualTo("high");
            assertThat(dropped.property("graphRouteReason")).isNull();
            afterTwoMorePolls();
            assertThat(tickets.serviceNowIncidents()).as("no new ticket").hasSize(1);
            assertThat(tickets.requests()).as("nor a note").hasSize(ticketCalls);
            assertThat(smtp.getReceivedMessages()).as("nor a mail").hasSize(1);
        }
    }

    @Test
    void a_score_crossing_the_threshold_is_told_once_like_a_severity_raise() throws Exception {
        ObjectNode alert = tenant.addIncident("medium").get(0);
        String alertId = alert.get("id").asText();
        String incidentId = alert.get("incidentId").asText();
        tenant.incidentBook().rank(incidentId, 40, SUMMARY);

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Received> medium = new ArrayList<>(queues.collect("graph.alerts.medium", 1));
            assertThat(medium.get(0).property("graphRouteReason")).isNull();
            await().atMost(Duration.ofSeconds(40)).until(() -> tickets.serviceNowIncidents().size() == 1);
            assertThat(tickets.serviceNowIncidents().get(0).get("urgency").asText()).isEqualTo("2");
            // The ticket number written back on the alert makes a new version of it, delivered before the raise.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                medium.addAll(queues.drain("graph.alerts.medium"));
                return medium.size() >= 2;
            });
            assertThat(medium).extracting(m -> m.property("graphEventType")).containsExactly("created", "updated");

            queues.drain("graph.incidents");
            tenant.incidentBook().rank(incidentId, 92, SUMMARY);
            await().atMost(Duration.ofSeconds(30)).until(() -> queues.drain("graph.incidents").stream()
                    .anyMatch(m -> "92".equals(m.property("graphIncidentPriorityScore"))));
            tenant.alerts().update(alertId, a -> a.put("assignedTo", "analyst@contoso.com"));
            Received raised = queues.collect("graph.alerts.high", 1).get(0);
            assertThat(raised.property("graphEventType")).isEqualTo("severityRaised");
            assertThat(raised.property("graphRouteReason")).isEqualTo("incident priority score 92 >= 85");

            await().atMost(Duration.ofSeconds(40)).until(() -> smtp.getReceivedMessages().length == 1
                    && notes().size() == 2);
            assertThat(smtp.getReceivedMessages()[0].getSubject()).startsWith("[Graph HIGH] Severity raised:");
            assertThat(notes()).as("the incident's raise and its alert's, each once")
                    .allMatch(n -> n.contains("Raised to high by Microsoft's ranking (incident priority score 92 >= 85)"));

            tenant.alerts().update(alertId, a -> a.put("assignedTo", "secops@contoso.com"));
            assertThat(queues.collect("graph.alerts.high", 1).get(0).property("graphEventType")).isEqualTo("updated");
            afterTwoMorePolls();
            assertThat(smtp.getReceivedMessages()).as("still high: not raised again").hasSize(1);
            assertThat(notes()).hasSize(2);
            assertThat(tickets.serviceNowIncidents()).hasSize(1);
        }
    }

    @Test
    void a_chosen_system_tag_on_the_incident_raises_its_alerts_whatever_the_case_it_is_written_in() throws Exception {
        props.put("graph.priority.raise-tags", "defender experts, Some Other Tag");
        ObjectNode alert = tenant.addIncident("low").get(0);
        tenant.incidentBook().tag(alert.get("incidentId").asText(), "Defender Experts");

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Received raised = queues.collect("graph.alerts.high", 1).get(0);
            assertThat(raised.property("graphAlertId")).isEqualTo(alert.get("id").asText());
            assertThat(raised.property("graphSeverity")).isEqualTo("low");
            assertThat(raised.property("graphRouteReason")).isEqualTo("system tag Defender Experts");
            assertThat(raised.property("graphSystemTags")).contains("Defender Experts");
            await().atMost(Duration.ofSeconds(40)).until(() -> smtp.getReceivedMessages().length == 1);
            assertThat(GreenMailUtil.getBody(smtp.getReceivedMessages()[0])).contains("Routed as high: system tag Defender Experts");
        }
    }

    private List<String> notes() {
        List<String> notes = new ArrayList<>();
        tickets.requests().stream().filter(r -> "PATCH".equals(r.method()) && r.body().contains("work_notes"))
                .forEach(r -> notes.add(r.body()));
        return notes;
    }

    private void afterTwoMorePolls() {
        int gets = tenant.simulator.graphRequests("GET");
        await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphRequests("GET") >= gets + 4);
    }
}
