package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.feedback.WebhookAuthenticator;
import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import io.graphsec.routes.support.WebhookCalls;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who the ticketing webhook admits, over real sockets: only the ticket the app opened for an
 * incident speaks for it (and for the tenant it was opened in), a signature is fresh and used once,
 * a body is bounded before it is read, and one source cannot call faster than its rate.
 */
class TicketWebhookTrustTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEBHOOK_KEY = "webhook-hmac-key-0123456789";
    private static final String SN_USER = "graph-security";
    private static final String SN_PASSWORD = "Sn0w-Pa55word";

    @TempDir
    Path dir;
    private SimulatedTenant tenant;
    private FakeTicketing serviceNow;
    private int brokerPort;
    private int httpPort;
    private Map<String, String> props;
    private WebhookCalls calls;

    @BeforeEach
    void setUp() throws Exception {
        tenant = new SimulatedTenant(dir, "SecurityAlert.ReadWrite.All", "SecurityIncident.ReadWrite.All");
        serviceNow = new FakeTicketing(0).acceptBasic(SN_USER, SN_PASSWORD).start();
        brokerPort = RunningApp.freePort();
        httpPort = RunningApp.freePort();
        props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
        props.put("graph.webhook.enabled", "true");
        props.put("graph.webhook.hmac-secret", WEBHOOK_KEY);
        props.put("camel.server.port", String.valueOf(httpPort));
        props.put("graph.tickets.system", "servicenow");
        props.put("graph.tickets.servicenow.url", serviceNow.baseUrl());
        props.put("graph.tickets.servicenow.user", SN_USER);
        props.put("graph.tickets.servicenow.password", SN_PASSWORD);
        calls = new WebhookCalls(httpPort, WEBHOOK_KEY);
    }

    @AfterEach
    void tearDown() {
        serviceNow.close();
        tenant.close();
    }

    @Test
    void a_ticket_speaks_only_for_the_incident_it_was_opened_for_and_in_the_tenant_it_was_opened_in() throws Exception {
        String first = tenant.addIncident("high").get(0).get("incidentId").asText();
        ObjectNode secondAlert = tenant.addIncident("high").get(0);
        String second = secondAlert.get("incidentId").asText();
        try (LogCapture log = new LogCapture(Map.of()); RunningApp app = RunningApp.start(props);
             Queues queues = new Queues(brokerPort)) {
            // The app keeps a ticket's record before it comments the ticket number in Graph: once Graph has the
            // comment, the webhook can find the record (the ticket alone may be answered before it is kept).
            await().atMost(Duration.ofSeconds(30)).until(() -> serviceNow.serviceNowIncidents().size() == 2
                    && tenant.simulator.graphRequests("POST comments") >= 2);
            ObjectNode ticketOfFirst = ticketOf(first);

            // Whoever can edit the first ticket points it at the second incident and closes it.
            String forged = ticketOfFirst.deepCopy().put("u_graph_incident_id", second)
                    .put("u_graph_alert_id", secondAlert.get("id").asText()).put("state", "6")
                    .put("close_code", "Resolved - false positive").put("sys_updated_by", "mallory").toString();
            HttpResponse<String> refused = calls.signed("servicenow", forged);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            JsonNode audit = JSON.readTree(queues.collect("graph.feedback.audit", 1).get(0).body());
            assertThat(audit.get("outcome").asText()).isEqualTo("refused");
            assertThat(audit.get("requestedBy").asText()).isEqualTo("servicenow:mallory");
            assertThat(audit.get("entity").asText()).isEqualTo("incident:" + second);
            assertThat(audit.get("ticket").asText()).contains(ticketOfFirst.get("sys_id").asText())
                    .contains(ticketOfFirst.get("number").asText());
            assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("Webhook verdict refused")
                    && l.contains(ticketOfFirst.get("number").asText()) && l.contains("incident:" + second));

            // The second incident's own ticket, whose correlation field was edited to name another tenant.
            String own = ticketOf(second).deepCopy().put("state", "6").put("close_code", "Resolved - false positive")
                    .put("correlation_id", "graph:" + SimulatedTenant.TENANT + ":northwind:" + second).toString();
            HttpResponse<String> accepted = calls.signed("servicenow", own);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    "resolved".equals(tenant.incidents().get(second).orElseThrow().path("status").asText()));
            JsonNode applied = JSON.readTree(queues.collect("graph.feedback.audit", 1).get(0).body());
            assertThat(applied.get("outcome").asText()).isEqualTo("applied");
            assertThat(applied.get("tenant").asText()).as("the record's tenant, not the ticket field's").isEqualTo("default");
            assertThat(tenant.incidents().get(first).orElseThrow().get("status").asText()).isEqualTo("active");
            assertThat(tenant.simulator.graphRequests("PATCH")).as("only the owned ticket's verdict was written").isEqualTo(1);
            assertThat(queues.leftAfterCompletion("graph.feedback.dead-letter")).isEmpty();
        }
    }

    @Test
    void a_signature_is_refused_when_replayed_or_stale_and_a_body_over_the_limit_before_it_is_read() throws Exception {
        String incident = tenant.addIncident("high").get(0).get("incidentId").asText();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            // The app keeps a ticket's record before it comments the ticket number in Graph: once Graph has the
            // comment, the webhook can find the record (the ticket alone may be answered before it is kept).
            await().atMost(Duration.ofSeconds(30)).until(() -> serviceNow.serviceNowIncidents().size() == 1
                    && tenant.simulator.graphRequests("POST comments") >= 1);
            String closed = ticketOf(incident).deepCopy().put("state", "6").put("close_code", "Resolved - false positive")
                    .toString();
            WebhookAuthenticator sender = WebhookAuthenticator.sender(WEBHOOK_KEY);
            long stale = Instant.now().minusSeconds(301).getEpochSecond();
            assertThat(calls.post("servicenow", closed, Map.of(WebhookAuthenticator.TIMESTAMP_HEADER, String.valueOf(stale),
                    WebhookAuthenticator.SIGNATURE_HEADER, sender.sign(stale, closed))).statusCode())
                    .as("signed six minutes ago").isEqualTo(401);

            Map<String, String> signed = sender.signedHeaders(closed);
            assertThat(calls.post("servicenow", closed, signed).statusCode()).isEqualTo(202);
            assertThat(calls.post("servicenow", closed, signed).statusCode()).as("the same call again").isEqualTo(401);

            // 256 KiB by default: declared too long, or sent chunked without a length.
            String big = closed.substring(0, closed.length() - 1) + ",\"pad\":\"" + "x".repeat(300 * 1024) + "\"}";
            assertThat(calls.post("servicenow", big, sender.signedHeaders(big)).statusCode()).isEqualTo(413);
            HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(calls.uri("servicenow"))
                    .headers(WebhookAuthenticator.SIGNATURE_HEADER, "sha256=00", WebhookAuthenticator.TIMESTAMP_HEADER, "0")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[2 * 1024 * 1024])))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(chunked.statusCode()).isEqualTo(413);

            List<?> audit = queues.collect("graph.feedback.audit", 1);
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(audit.size() + queues.drain("graph.feedback.audit").size()).as("one call acted on").isEqualTo(1);
            assertThat(tenant.simulator.graphRequests("PATCH")).isEqualTo(1);
            assertThat(queues.leftAfterCompletion("graph.feedback.dead-letter")).isEmpty();
        }
    }

    @Test
    void one_source_past_its_burst_gets_429_with_retry_after() throws Exception {
        props.put("graph.webhook.rate.calls-per-period", "3");
        props.put("graph.webhook.rate.period", "PT1M");
        props.put("graph.tickets.system", "none");
        try (RunningApp app = RunningApp.start(props)) {
            List<HttpResponse<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(calls.post("servicenow", "{}", Map.of()));
            }
            assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(401, 401, 401, 429, 429);
            long retryAfter = Long.parseLong(answers.get(3).headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 60L);
            assertThat(tenant.simulator.graphRequests("PATCH")).isZero();
        }
    }

    private ObjectNode ticketOf(String incidentId) {
        return serviceNow.serviceNowIncidents().stream()
                .filter(t -> incidentId.equals(t.path("u_graph_incident_id").asText())).findFirst().orElseThrow();
    }
}
