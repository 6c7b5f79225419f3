package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.support.LoopbackSmtp;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default flow as a SOC sees it, with nothing but the app's own routes in between: Graph (the
 * simulator) → queues, a ServiceNow ticket per incident, an immediate mail for high, a digest for low,
 * the ticket number back on the alerts in Graph, and the ticket resolved with its incident.
 */
class DeliveryEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void an_incident_opens_one_ticket_mails_its_high_alert_digests_the_low_one_and_resolves_with_graph() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir, "SecurityAlert.ReadWrite.All", "SecurityIncident.Read.All");
             FakeTicketing tickets = new FakeTicketing(0).acceptBasic("graph", "sn-pass").start()) {
            GreenMail smtp = LoopbackSmtp.on(RunningApp.freePort());
            smtp.start();
            try {
                List<ObjectNode> incident = tenant.addIncident("high", "medium");
                String incidentId = incident.get(0).get("incidentId").asText();
                ObjectNode low = tenant.newAlert(Instant.now().minusSeconds(5), "low");
                tenant.alerts().put(low);

                Map<String, String> props = RunningApp.against(tenant, dir.resolve("app"), RunningApp.freePort());
                props.put("graph.incidents.enabled", "true");
                props.put("graph.incidents.poll.cron", "0/1 * * * * ?");
                props.put("graph.tickets.system", "servicenow");
                props.put("graph.tickets.servicenow.url", tickets.baseUrl());
                props.put("graph.tickets.servicenow.user", "graph");
                props.put("graph.tickets.servicenow.password", "sn-pass");
                props.put("graph.mail.smtp.host", "127.0.0.1");
                props.put("graph.mail.smtp.port", String.valueOf(smtp.getSmtp().getPort()));
                props.put("graph.mail.smtp.security", "none");
                props.put("graph.mail.to.high", "oncall@example.org");
                props.put("graph.mail.to.low", "digest@example.org");
                props.put("graph.mail.digest.severities", "low");
                props.put("graph.mail.digest.period", "PT2S");

                try (RunningApp app = RunningApp.start(props)) {
                    await().atMost(Duration.ofSeconds(40)).until(() -> tenant.simulator.graphRequests("POST comments") >= 2
                            && tickets.serviceNowIncidents().size() == 1
                            && smtp.getReceivedMessages().length >= 2);
                    ObjectNode ticket = tickets.serviceNowIncidents().get(0);
                    assertThat(ticket.get("correlation_id").asText()).isEqualTo("graph:" + SimulatedTenant.TENANT + ":" + incidentId);
                    assertThat(ticket.get("u_graph_incident_id").asText()).isEqualTo(incidentId);
                    assertThat(tickets.requests()).as("the medium alert became a work note")
                            .anyMatch(r -> "PATCH".equals(r.method()) && r.body().contains("work_notes"));
                    String number = ticket.get("number").asText();
                    for (ObjectNode alert : incident) {
                        assertThat(tenant.alerts().get(alert.get("id").asText()).orElseThrow().get("comments").toString())
                                .as("the ticket number is on the alert in Graph").contains(number);
                    }

                    List<MimeMessage> mails = Arrays.asList(smtp.getReceivedMessages());
                    assertThat(mails).extracting(m -> m.getAllRecipients()[0].toString())
                            .containsExactlyInAnyOrder("oncall@example.org", "digest@example.org");
                    MimeMessage high = mails.stream().filter(m -> hasRecipient(m, "oncall@example.org")).findFirst().orElseThrow();
                    assertThat(high.getSubject()).startsWith("[Graph HIGH]");
                    MimeMessage digest = mails.stream().filter(m -> hasRecipient(m, "digest@example.org")).findFirst().orElseThrow();
                    assertThat(GreenMailUtil.getBody(digest)).contains(low.get("id").asText().substring(0, 10));
                    assertThat(tickets.serviceNowIncidents()).as("low alerts open no ticket").hasSize(1);

                    tenant.incidentBook().resolve(incidentId);
                    await().atMost(Duration.ofSeconds(40)).until(
                            () -> "6".equals(tickets.serviceNowIncidents().get(0).path("state").asText()));
                    assertThat(tickets.serviceNowIncidents()).hasSize(1);
                    assertThat(smtp.getReceivedMessages()).as("a resolution mails nobody").hasSize(2);
                }
            } finally {
                smtp.stop();
            }
        }
    }

    private static boolean hasRecipient(MimeMessage m, String address) {
        try {
            return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(address));
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
