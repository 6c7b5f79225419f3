package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.simulator.FakeTicketing.Request;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import io.graphsec.routes.ticketing.TicketingUnavailableException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts and incidents from the graph.tickets work queue become one ServiceNow incident or Jira
 * issue per Graph incident (or one webhook call per event), against the fake ticketing server and
 * the Graph simulator over real sockets, with the real app.
 */
class TicketingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SN_USER = "graph-security";
    private static final String SN_PASSWORD = "Sn0w-Pa55word!with:colon";
    private static final String JIRA_USER = "soc-bot@contoso.com";
    private static final String JIRA_TOKEN = "ATATT3xFfGF0-jira-api-token-value";
    private static final String WEBHOOK_TOKEN = "webhook-bearer-0123456789";

    @TempDir
    Path dir;
    private SimulatedTenant tenant;
    private FakeTicketing fake;
    private int brokerPort;
    private Map<String, String> props;
    private final StringWriter log = new StringWriter();
    private WriterAppender appender;

    @BeforeEach
    void setUp() throws Exception {
        tenant = new SimulatedTenant(dir, "SecurityAlert.ReadWrite.All", "SecurityIncident.ReadWrite.All");
        fake = new FakeTicketing(0).acceptBasic(SN_USER, SN_PASSWORD).acceptBasic(JIRA_USER, JIRA_TOKEN)
                .acceptBearer(WEBHOOK_TOKEN).start();
        brokerPort = RunningApp.freePort();
        props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
        // The poll has nothing to do with tickets; keep it out of the way.
        props.put("graph.alerts.poll.cron", "0 0 0 1 1 ? 2099");
        props.put("graph.tickets.retry-delay-ms", "100");
        props.put("graph.tickets.max-retries", "4");
        captureLog();
    }

    @AfterEach
    void tearDown() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(appender.getName());
        ctx.updateLoggers();
        appender.stop();
        fake.close();
        tenant.close();
        String text = log.toString();
        assertThat(text).as("the app's log was captured").contains("graph-tickets-");
        for (String secret : List.of(SN_PASSWORD, JIRA_TOKEN, WEBHOOK_TOKEN, basic(SN_USER, SN_PASSWORD),
                basic(JIRA_USER, JIRA_TOKEN))) {
            assertThat(text).as("the log shows a ticketing secret").doesNotContain(secret);
        }
    }

    @Test
    void servicenow_opens_one_incident_notes_the_second_alert_resolves_with_the_incident_and_comments_graph() throws Exception {
        serviceNow();
        List<ObjectNode> alerts = tenant.addAlerts(4);
        ObjectNode first = alerts.get(0);
        ObjectNode second = alerts.get(1);
        String incidentId = first.get("incidentId").asText();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, first, "created");
            await().atMost(Duration.ofSeconds(30)).until(() -> comments(first).size() == 1);
            send(queues, second, "created");
            // Our own comment makes Graph send the alert again as "updated": that adds nothing.
            send(queues, first, "updated");
            Map<String, String> raised = alertHeaders(second, "severityRaised");
            raised.put("graphPreviousSeverity", "low");
            raised.put("graphSeverity", "high");
            queues.send("graph.tickets", second.toString(), raised);
            queues.send("graph.tickets", incident(incidentId, "resolved", first, second).toString(),
                    incidentHeaders(incidentId, "resolved"));
            await().atMost(Duration.ofSeconds(30)).until(() -> "6".equals(onlyIncident().path("state").asText()));

            assertThat(fake.serviceNowIncidents()).hasSize(1);
            ObjectNode ticket = onlyIncident();
            assertThat(ticket.get("number").asText()).isEqualTo("INC0010001");
            assertThat(ticket.get("correlation_id").asText()).isEqualTo("graph:" + SimulatedTenant.TENANT + ":" + incidentId);
            assertThat(ticket.get("short_description").asText()).startsWith("[Defender " + first.get("severity").asText() + "] ")
                    .doesNotContain("\n");
            assertThat(ticket.get("urgency").asText()).isEqualTo(Map.of("high", "1", "medium", "2", "low", "3",
                    "informational", "3").getOrDefault(first.get("severity").asText(), "2"));
            assertThat(ticket.get("assignment_group").asText()).isEqualTo("Security Operations");
            assertThat(ticket.get("close_code").asText()).isEqualTo("Solved (Permanently)");
            assertThat(ticket.get("close_notes").asText()).startsWith("Incident " + incidentId + " resolved in Microsoft Defender");
            assertThat(ticket.withArray("work_notes_list")).extracting(JsonNode::asText).satisfiesExactly(
                    n -> assertThat(n).startsWith("Alert added to this incident: " + second.get("title").asText()),
                    n -> assertThat(n).isEqualTo("Severity raised in Microsoft Defender from low to high: "
                            + second.get("title").asText()));

            List<Request> calls = fake.requests();
            assertThat(calls).extracting(r -> r.method() + " " + r.path()).containsExactly(
                    "GET /api/now/table/incident",
                    "POST /api/now/table/incident",
                    "PATCH /api/now/table/incident/" + ticket.get("sys_id").asText(),
                    "PATCH /api/now/table/incident/" + ticket.get("sys_id").asText(),
                    "PATCH /api/now/table/incident/" + ticket.get("sys_id").asText());
            assertThat(calls.get(0).query()).isEqualTo("sysparm_query=correlation_id%3Dgraph%3A" + SimulatedTenant.TENANT
                    + "%3A" + incidentId + "&sysparm_fields=sys_id,number,state&sysparm_limit=1");
            assertThat(calls).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo(basic(SN_USER, SN_PASSWORD)));
            assertThat(calls.get(2).json().get("work_notes").asText()).startsWith("Alert added");
            assertThat(calls.get(4).json().get("state").asText()).isEqualTo("6");

            String expected = "ServiceNow INC0010001 opened: " + fake.baseUrl() + "/incident.do?sys_id=" + ticket.get("sys_id").asText();
            assertThat(comments(first)).containsExactly(expected);
            await().atMost(Duration.ofSeconds(10)).until(() -> comments(second).size() == 1);
            assertThat(comments(second)).containsExactly(expected);
            assertThat(tenant.simulator.graphRequests("POST comments")).as("one per alert; none for the incident message").isEqualTo(2);

            // Reopened in Graph: the ticket goes back to In Progress.
            send(queues, first, "reopened");
            await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(onlyIncident().path("state").asText()));
            assertThat(queues.leftAfterCompletion("graph.tickets.dead-letter")).isEmpty();
        }
    }

    @Test
    void jira_opens_one_issue_comments_the_second_alert_and_transitions_to_done() throws Exception {
        props.put("graph.tickets.system", "jira");
        props.put("graph.tickets.jira.url", fake.baseUrl());
        props.put("graph.tickets.jira.user", JIRA_USER);
        props.put("graph.tickets.jira.api-token", JIRA_TOKEN);
        List<ObjectNode> alerts = tenant.addAlerts(4);
        ObjectNode first = alerts.get(0);
        ObjectNode second = alerts.get(1);
        String incidentId = first.get("incidentId").asText();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, first, "created");
            send(queues, second, "created");
            queues.send("graph.tickets", incident(incidentId, "resolved", first, second).toString(),
                    incidentHeaders(incidentId, "resolved"));
            await().atMost(Duration.ofSeconds(30)).until(() -> fake.jiraIssues().size() == 1
                    && "Done".equals(fake.jiraIssues().get(0).path("fields").path("status").path("name").asText()));

            JsonNode issue = fake.jiraIssues().get(0);
            assertThat(issue.get("key").asText()).isEqualTo("SOC-1");
            JsonNode fields = issue.get("fields");
            assertThat(fields.get("labels")).extracting(JsonNode::asText).containsExactly("graph-security", "graph-incident-" + incidentId);
            assertThat(fields.path("issuetype").path("name").asText()).isEqualTo("Task");
            assertThat(fields.path("priority").path("name").asText()).isEqualTo(Map.of("high", "Highest", "medium", "High",
                    "low", "Medium", "informational", "Low").getOrDefault(first.get("severity").asText(), "Medium"));
            assertThat(fields.path("comment").path("comments")).extracting(c -> c.get("body").asText()).satisfiesExactly(
                    c -> assertThat(c).startsWith("Alert added to this incident: " + second.get("title").asText()),
                    c -> assertThat(c).startsWith("Incident " + incidentId + " resolved in Microsoft Defender"));

            List<Request> calls = fake.requests();
            assertThat(calls).extracting(r -> r.method() + " " + r.path()).containsExactly(
                    "GET /rest/api/2/search",
                    "POST /rest/api/2/issue",
                    "POST /rest/api/2/issue/SOC-1/comment",
                    "POST /rest/api/2/issue/SOC-1/comment",
                    "GET /rest/api/2/issue/SOC-1/transitions",
                    "POST /rest/api/2/issue/SOC-1/transitions");
            assertThat(calls.get(0).query()).isEqualTo("jql=labels+%3D+%22graph-incident-" + incidentId + "%22&fields=status&maxResults=1");
            assertThat(calls.get(5).json().toString()).isEqualTo("{\"transition\":{\"id\":\"31\"}}");
            assertThat(calls).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo(basic(JIRA_USER, JIRA_TOKEN)));
            await().atMost(Duration.ofSeconds(10)).until(() -> comments(second).size() == 1);
            assertThat(comments(first)).containsExactly("Jira SOC-1 opened: " + fake.baseUrl() + "/browse/SOC-1");
        }
    }

    @Test
    void a_burst_of_503_is_retried_with_backoff_and_ends_in_exactly_one_ticket() throws Exception {
        serviceNow();
        ObjectNode alert = tenant.addAlerts(1).get(0);
        fake.failNext(3, 503);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, alert, "created");
            await().atMost(Duration.ofSeconds(30)).until(() -> comments(alert).size() == 1);
            assertThat(fake.serviceNowIncidents()).hasSize(1);
            assertThat(fake.requests()).extracting(r -> r.method() + " " + r.path()).containsExactly(
                    "GET /api/now/table/incident", "GET /api/now/table/incident", "GET /api/now/table/incident",
                    "GET /api/now/table/incident", "POST /api/now/table/incident");
            assertThat(queues.leftAfterCompletion("graph.tickets.dead-letter")).isEmpty();
        }
    }

    @Test
    void an_unreachable_system_is_retried_then_dead_lettered_with_the_reason() throws Exception {
        serviceNow();
        props.put("graph.tickets.servicenow.url", "http://127.0.0.1:" + RunningApp.freePort());
        ObjectNode alert = tenant.addAlerts(1).get(0);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, alert, "created");
            assertThat(queues.collect("graph.tickets.dead-letter", 1)).singleElement().satisfies(m -> {
                assertThat(m.property("graphDeadLetterReason")).startsWith("ServiceNow search for graph:" + SimulatedTenant.TENANT
                        + ":" + alert.get("incidentId").asText() + " failed: ConnectException")
                        .endsWith("(still failing after graph.tickets.max-retries)");
                assertThat(m.body()).isEqualTo(alert.toString());
            });
            assertThat(log.toString()).contains("On delivery attempt: 4 caught: " + TicketingUnavailableException.class.getName());
        }
    }

    @Test
    void a_400_is_dead_lettered_with_the_systems_error_and_the_next_message_is_delivered() throws Exception {
        serviceNow();
        List<ObjectNode> alerts = tenant.addAlerts(8);
        ObjectNode rejected = alerts.get(0);
        ObjectNode next = alerts.get(4);
        fake.rejectNext(400, "{\"error\":{\"message\":\"Invalid query: correlation_id\",\"detail\":\"sysparm_query is malformed\"},\"status\":\"failure\"}");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, rejected, "created");
            send(queues, next, "created");
            List<Received> dead = queues.collect("graph.tickets.dead-letter", 1);
            assertThat(dead).singleElement().satisfies(m -> {
                assertThat(m.property("graphDeadLetterReason")).isEqualTo("ServiceNow answered 400 to search for graph:"
                        + SimulatedTenant.TENANT + ":" + rejected.get("incidentId").asText()
                        + ": {\"error\":{\"message\":\"Invalid query: correlation_id\",\"detail\":\"sysparm_query is malformed\"},\"status\":\"failure\"}");
                assertThat(m.property("graphAlertId")).isEqualTo(rejected.get("id").asText());
                assertThat(m.body()).isEqualTo(rejected.toString());
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> comments(next).size() == 1);
            assertThat(fake.serviceNowIncidents()).extracting(i -> i.get("correlation_id").asText())
                    .containsExactly("graph:" + SimulatedTenant.TENANT + ":" + next.get("incidentId").asText());
            assertThat(comments(rejected)).isEmpty();
        }
    }

    @Test
    void a_bad_message_and_an_unmapped_value_are_dead_lettered_with_the_reason() throws Exception {
        serviceNow();
        ObjectNode alert = tenant.addAlerts(1).get(0);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, String> wrongEvent = alertHeaders(alert, "created");
            wrongEvent.put("graphEventType", "deleted");
            queues.send("graph.tickets", alert.toString(), wrongEvent);
            queues.send("graph.tickets", "{not json", alertHeaders(alert, "created"));
            Map<String, String> badId = alertHeaders(alert, "created");
            badId.put("graphIncidentId", "../../admin");
            queues.send("graph.tickets", alert.toString(), badId);
            assertThat(queues.collect("graph.tickets.dead-letter", 3)).extracting(m -> m.property("graphDeadLetterReason"))
                    .satisfiesExactly(
                            r -> assertThat(r).isEqualTo("graphEventType 'deleted' is not one of created, reopened, resolved,"
                                    + " severityRaised, statusChanged, updated"),
                            r -> assertThat(r).startsWith("alert body is not valid JSON: Unexpected character ('n' (code 110))"),
                            r -> assertThat(r).isEqualTo("graphIncidentId '../../admin' is not a Graph id (letters, digits, _ - . ="
                                    + " only, starting with a letter or digit, no ..)"));
            assertThat(fake.requests()).isEmpty();
        }
    }

    @Test
    void a_restart_continues_the_same_ticket_and_a_lost_correlation_is_found_again_by_search() throws Exception {
        serviceNow();
        List<ObjectNode> alerts = tenant.addAlerts(4);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, alerts.get(0), "created");
            await().atMost(Duration.ofSeconds(30)).until(() -> comments(alerts.get(0)).size() == 1);
        }
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, alerts.get(1), "created");
            await().atMost(Duration.ofSeconds(30)).until(() -> comments(alerts.get(1)).size() == 1);
        }
        // As if the app died between the create and the store write: the correlation is gone.
        Path tickets = dir.resolve("app/state/tickets");
        try (var files = Files.list(tickets)) {
            assertThat(files.toList()).hasSize(1).allSatisfy(Files::delete);
        }
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, alerts.get(2), "created");
            await().atMost(Duration.ofSeconds(30)).until(() -> comments(alerts.get(2)).size() == 1);
        }
        assertThat(fake.serviceNowIncidents()).hasSize(1);
        assertThat(onlyIncident().withArray("work_notes_list")).extracting(JsonNode::asText).satisfiesExactly(
                n -> assertThat(n).startsWith("Alert added to this incident: " + alerts.get(1).get("title").asText()),
                n -> assertThat(n).startsWith("Alert added to this incident: " + alerts.get(2).get("title").asText()));
        assertThat(fake.requests()).extracting(r -> r.method() + " " + r.path().replaceAll("/[0-9a-f]{32}$", "/{sys_id}"))
                .containsExactly("GET /api/now/table/incident", "POST /api/now/table/incident",
                        "PATCH /api/now/table/incident/{sys_id}",
                        "GET /api/now/table/incident", "PATCH /api/now/table/incident/{sys_id}");
        assertThat(comments(alerts.get(0))).as("commented once, not again after the restarts").hasSize(1);
    }

    @Test
    void a_merged_incident_hands_its_ticket_over_or_is_resolved_naming_the_targets_ticket() throws Exception {
        serviceNow();
        List<ObjectNode> alerts = tenant.addAlerts(12);
        ObjectNode a = alerts.get(0);
        ObjectNode b = alerts.get(4);
        ObjectNode c = alerts.get(8);
        String incA = a.get("incidentId").asText();
        String incB = b.get("incidentId").asText();
        String incC = c.get("incidentId").asText();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, a, "created");
            send(queues, b, "created");
            await().atMost(Duration.ofSeconds(30)).until(() -> fake.serviceNowIncidents().size() == 2);
            // B merged into A, which has a ticket: B's ticket is resolved naming A's.
            queues.send("graph.tickets", incident(incB, "statusChanged", b).put("status", "redirected").toString(),
                    redirected(incB, incA));
            // A merged into C, which has none: A's ticket now follows C, so C's alert is a note on it.
            queues.send("graph.tickets", incident(incA, "statusChanged", a).put("status", "redirected").toString(),
                    redirected(incA, incC));
            send(queues, c, "created");
            await().atMost(Duration.ofSeconds(30)).until(() -> comments(c).size() == 1);

            List<ObjectNode> tickets = fake.serviceNowIncidents();
            assertThat(tickets).hasSize(2);
            ObjectNode ticketA = tickets.get(0);
            ObjectNode ticketB = tickets.get(1);
            assertThat(ticketB.get("state").asText()).isEqualTo("6");
            assertThat(ticketB.get("close_notes").asText()).isEqualTo("Incident " + incB + " was merged into incident " + incA
                    + " in Microsoft Defender, which is tracked in " + ticketA.get("number").asText() + " ("
                    + fake.baseUrl() + "/incident.do?sys_id=" + ticketA.get("sys_id").asText() + "). Resolving this ticket.");
            assertThat(ticketA.get("state").asText()).isEqualTo("1");
            assertThat(ticketA.withArray("work_notes_list")).extracting(JsonNode::asText).satisfiesExactly(
                    n -> assertThat(n).isEqualTo("Incident " + incA + " was merged into incident " + incC
                            + " in Microsoft Defender; this ticket now follows incident " + incC + "."),
                    n -> assertThat(n).startsWith("Alert added to this incident: " + c.get("title").asText()));
            assertThat(comments(c)).singleElement().asString().contains(ticketA.get("number").asText());
        }
    }

    @Test
    void the_webhook_gets_one_post_per_event_with_an_idempotency_key() throws Exception {
        props.put("graph.tickets.system", "webhook");
        props.put("graph.tickets.webhook.url", fake.webhookUrl());
        props.put("graph.tickets.webhook.bearer-token", WEBHOOK_TOKEN);
        ObjectNode alert = tenant.addAlerts(1).get(0);
        alert.put("title", "Evil \"title\"\r\n<script>alert(1)</script>");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, alert, "created");
            send(queues, alert, "created");
            send(queues, alert, "resolved");
            await().atMost(Duration.ofSeconds(30)).until(() -> fake.requests().size() == 3);
            String id = alert.get("id").asText();
            String version = alert.get("lastUpdateDateTime").asText();
            assertThat(fake.requests()).extracting(r -> r.header("Idempotency-Key")).containsExactly(
                    "alert|" + id + "|" + version + "|created", "alert|" + id + "|" + version + "|created",
                    "alert|" + id + "|" + version + "|resolved");
            assertThat(fake.requests()).allSatisfy(r -> {
                assertThat(r.method() + " " + r.path()).isEqualTo("POST /webhook");
                assertThat(r.header("Authorization")).isEqualTo("Bearer " + WEBHOOK_TOKEN);
                assertThat(r.header("Content-Type")).isEqualTo("application/json; charset=UTF-8");
            });
            JsonNode body = fake.requests().get(0).json();
            assertThat(body.get("event").asText()).isEqualTo("created");
            assertThat(body.get("alertId").asText()).isEqualTo(id);
            assertThat(body.get("title").asText()).isEqualTo("Evil \"title\"  <script>alert(1)</script>");
            assertThat(body.get("severity").asText()).isEqualTo(alert.get("severity").asText());
            assertThat(tenant.simulator.graphRequests("POST comments")).isZero();
        }
    }

    @Test
    void an_incident_ticket_is_commented_on_the_incident_graph_throttling_is_waited_out_and_a_refusal_dead_lettered()
            throws Exception {
        serviceNow();
        ObjectNode alert = tenant.addAlerts(1).get(0);
        ObjectNode incident = incident("900", "created", alert);
        incident.putArray("comments");
        tenant.simulator.incidents(SimulatedTenant.TENANT).put(incident);
        ObjectNode unknownToGraph = tenant.newAlert(java.time.Instant.now(), "high");
        tenant.simulator.failNext("POST", 429, Map.of("Retry-After", "0.2"), "TooManyRequests");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            queues.send("graph.tickets", incident.toString(), incidentHeaders("900", "created"));
            await().atMost(Duration.ofSeconds(30)).until(() -> tenant.simulator.incidents(SimulatedTenant.TENANT).get("900")
                    .orElseThrow().path("comments").size() == 1);
            assertThat(tenant.simulator.incidents(SimulatedTenant.TENANT).get("900").orElseThrow().path("comments").get(0)
                    .path("comment").asText()).startsWith("ServiceNow INC0010001 opened: ");
            assertThat(tenant.simulator.graphRequests("POST comments")).as("one throttled, one written").isEqualTo(2);

            send(queues, unknownToGraph, "created");
            assertThat(queues.collect("graph.tickets.dead-letter", 1)).singleElement()
                    .extracting(m -> m.property("graphDeadLetterReason")).asString()
                    .startsWith("Graph answered 404 to the ticket comment: {\"error\":{\"code\":\"NotFound\"");
            assertThat(fake.serviceNowIncidents()).extracting(i -> i.get("correlation_id").asText()).containsExactly(
                    "graph:" + SimulatedTenant.TENANT + ":900",
                    "graph:" + SimulatedTenant.TENANT + ":" + unknownToGraph.get("incidentId").asText());
        }
    }

    @Test
    void an_alert_without_incident_is_its_own_ticket_and_resolving_it_resolves_the_ticket() throws Exception {
        serviceNow();
        ObjectNode alert = tenant.addAlerts(1).get(0);
        Map<String, String> created = alertHeaders(alert, "created");
        created.remove("graphIncidentId");
        Map<String, String> resolved = alertHeaders(alert, "resolved");
        resolved.remove("graphIncidentId");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            queues.send("graph.tickets", alert.toString(), created);
            queues.send("graph.tickets", alert.toString(), resolved);
            await().atMost(Duration.ofSeconds(30)).until(() -> "6".equals(onlyIncident().path("state").asText()));
            assertThat(onlyIncident().get("correlation_id").asText())
                    .isEqualTo("graph:" + SimulatedTenant.TENANT + ":alert:" + alert.get("id").asText());
            assertThat(onlyIncident().get("close_notes").asText())
                    .isEqualTo("Every alert of this ticket is resolved in Microsoft Defender; resolving. Last: "
                            + alert.get("title").asText() + ".");
        }
    }

    @Test
    void an_alert_like_event_is_its_own_ticket_keyed_by_its_api_and_gets_no_graph_comment() throws Exception {
        serviceNow();
        ObjectNode alert = tenant.addAlerts(1).get(0);
        ObjectNode total = secureScoreEvent("securescore-2026-11-25-total", "Secure Score dropped by 10 points");
        ObjectNode control = secureScoreEvent("securescore-2026-11-25-AdminMFAV2",
                "Secure Score control no longer implemented: Ensure multifactor authentication is enabled");
        Map<String, String> badApi = alertLikeHeaders(total);
        badApi.put("graphApi", "hunting/../alerts_v2");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            // An incident id on an alert-like event does not join it to that incident's ticket.
            Map<String, String> strayIncident = alertLikeHeaders(total);
            strayIncident.put("graphIncidentId", alert.get("incidentId").asText());
            queues.send("graph.tickets", total.toString(), strayIncident);
            queues.send("graph.tickets", control.toString(), alertLikeHeaders(control));
            queues.send("graph.tickets", total.toString(), badApi);
            // A Graph alert after them is commented: by then theirs would have been too.
            send(queues, alert, "created");
            await().atMost(Duration.ofSeconds(30)).until(() -> comments(alert).size() == 1);

            assertThat(fake.serviceNowIncidents()).extracting(i -> i.get("correlation_id").asText()).containsExactly(
                    "graph:" + SimulatedTenant.TENANT + ":secureScore:securescore-2026-11-25-total",
                    "graph:" + SimulatedTenant.TENANT + ":secureScore:securescore-2026-11-25-AdminMFAV2",
                    "graph:" + SimulatedTenant.TENANT + ":" + alert.get("incidentId").asText());
            assertThat(fake.serviceNowIncidents().get(0).get("short_description").asText())
                    .isEqualTo("[Defender medium] Secure Score dropped by 10 points");
            assertThat(fake.serviceNowIncidents().get(1).get("u_graph_alert_id").asText())
                    .isEqualTo("securescore-2026-11-25-AdminMFAV2");
            assertThat(tenant.simulator.graphRequests("POST comments")).as("only the Graph alert's").isEqualTo(1);
            assertThat(queues.collect("graph.tickets.dead-letter", 1)).singleElement().satisfies(m -> assertThat(
                    m.property("graphDeadLetterReason")).contains("graphApi 'hunting/../alerts_v2' is not a plain name"));
        }
    }

    @Test
    void the_demo_switch_runs_a_fake_servicenow_in_the_app_and_a_bearer_token_is_sent() throws Exception {
        props.put("graph.tickets.system", "servicenow");
        props.put("graph.tickets.fake.enabled", "true");
        props.put("graph.tickets.servicenow.bearer-token", "oauth-" + SN_PASSWORD);
        ObjectNode alert = tenant.addAlerts(1).get(0);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            FakeTicketing inApp = app.context().getRegistry().lookupByNameAndType("graphFakeTicketing", FakeTicketing.class);
            send(queues, alert, "created");
            await().atMost(Duration.ofSeconds(30)).until(() -> comments(alert).size() == 1);
            assertThat(inApp.serviceNowIncidents()).singleElement()
                    .satisfies(i -> assertThat(comments(alert)).containsExactly("ServiceNow " + i.get("number").asText()
                            + " opened: " + inApp.baseUrl() + "/incident.do?sys_id=" + i.get("sys_id").asText()));
            assertThat(inApp.requests()).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer oauth-" + SN_PASSWORD));
            assertThat(fake.requests()).isEmpty();
        }
        assertThat(log.toString()).doesNotContain("oauth-");
    }

    @Test
    void with_no_system_configured_the_messages_wait_on_the_queue() throws Exception {
        ObjectNode alert = tenant.addAlerts(1).get(0);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            assertThat(app.context().getRouteController().getRouteStatus("graph-tickets-deliver").isStopped()).isTrue();
            send(queues, alert, "created");
            assertThat(queues.collect("graph.tickets", 1)).singleElement()
                    .satisfies(m -> assertThat(m.property("graphAlertId")).isEqualTo(alert.get("id").asText()));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void serviceNow() {
        props.put("graph.tickets.system", "servicenow");
        props.put("graph.tickets.servicenow.url", fake.baseUrl());
        props.put("graph.tickets.servicenow.user", SN_USER);
        props.put("graph.tickets.servicenow.password", SN_PASSWORD);
    }

    private ObjectNode onlyIncident() {
        List<ObjectNode> all = fake.serviceNowIncidents();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private List<String> comments(ObjectNode alert) {
        List<String> out = new ArrayList<>();
        tenant.alerts().get(alert.get("id").asText()).orElseThrow().path("comments")
                .forEach(c -> out.add(c.path("comment").asText()));
        return out;
    }

    /** The headers the alert routes put on a work-queue message (the message contract). */
    @Test
    void a_ticketing_system_behind_a_private_ca_is_trusted_only_through_its_own_trust_store() throws Exception {
        // The simulator's HTTPS server, with its self-signed certificate, stands in for an on-premises ServiceNow.
        props.put("graph.tickets.system", "webhook");
        props.put("graph.tickets.webhook.url", tenant.simulator.baseUrl() + "/ticket-hook");
        props.put("graph.tickets.max-retries", "1");
        ObjectNode alert = tenant.addAlerts(1).get(0);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, alert, "created");
            assertThat(queues.collect("graph.tickets.dead-letter", 1)).singleElement().satisfies(m ->
                    assertThat(m.property("graphDeadLetterReason")).as("refused in the TLS handshake")
                            .containsAnyOf("SSL", "PKIX", "certificate").doesNotContain("answered 400"));
        }
        props.put("graph.tickets.trust-store", tenant.trustStore.toString());
        props.put("graph.tickets.trust-store-password", io.graphsec.routes.simulator.GraphSimulator.trustStorePassword());
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, alert, "updated");
            assertThat(queues.collect("graph.tickets.dead-letter", 1)).singleElement().satisfies(m ->
                    assertThat(m.property("graphDeadLetterReason")).as("TLS accepted; the stand-in answered 400")
                            .contains("answered 400"));
        }
    }

    private static Map<String, String> alertHeaders(ObjectNode alert, String event) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("graphEntityType", "alert");
        h.put("graphEventType", event);
        h.put("graphAlertId", alert.get("id").asText());
        h.put("graphIncidentId", alert.get("incidentId").asText());
        h.put("graphLastUpdateDateTime", alert.get("lastUpdateDateTime").asText());
        h.put("graphSeverity", alert.get("severity").asText());
        h.put("graphRoute", alert.get("severity").asText());
        h.put("graphStatus", event.equals("resolved") ? "resolved" : alert.get("status").asText());
        h.put("graphPortalUrl", alert.get("alertWebUrl").asText());
        h.put("graphEvidenceSummary", "{\"users\":[\"ann@contoso.com\"],\"devices\":[],\"ips\":[],\"files\":[],\"urls\":[],\"mailboxes\":[],\"evidenceCount\":1}");
        h.put("graphIncidentDisplayName", "Multi-stage incident " + alert.get("incidentId").asText());
        h.put("graphIncidentSeverity", alert.get("severity").asText());
        h.put("graphIncidentStatus", "active");
        h.put("graphIncidentWebUrl", alert.get("incidentWebUrl").asText());
        h.put("graphTenantId", SimulatedTenant.TENANT);
        h.put("JMSXGroupID", alert.get("incidentId").asText());
        return h;
    }

    /** An alert-like event as the secure score flow makes it (contract, "Alert-like events"). */
    private static ObjectNode secureScoreEvent(String id, String title) {
        ObjectNode e = JSON.createObjectNode().put("id", id).put("title", title).put("description", title + ".")
                .put("severity", "medium").put("status", "new").put("category", "SecureScoreRegression")
                .put("createdDateTime", "2026-11-25T00:00:00Z").put("lastUpdateDateTime", "2026-11-25T00:00:00Z")
                .put("recommendedActions", "Restore the control.").put("tenantId", SimulatedTenant.TENANT);
        e.putObject("secureScore").put("date", "2026-11-25");
        return e;
    }

    private static Map<String, String> alertLikeHeaders(ObjectNode event) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("graphEntityType", "alert");
        h.put("graphApi", "secureScore");
        h.put("graphEventType", "created");
        h.put("graphAlertId", event.get("id").asText());
        h.put("graphLastUpdateDateTime", event.get("lastUpdateDateTime").asText());
        h.put("graphSeverity", "medium");
        h.put("graphRoute", "medium");
        h.put("graphStatus", "new");
        h.put("graphTenantId", SimulatedTenant.TENANT);
        h.put("graphPortalUrl", "https://security.microsoft.com/securescore?viewid=history");
        h.put("graphEvidenceSummary", "{\"users\":[],\"devices\":[],\"ips\":[],\"files\":[],\"urls\":[],\"mailboxes\":[],\"evidenceCount\":0}");
        return h;
    }

    private static void send(Queues queues, ObjectNode alert, String event) throws Exception {
        queues.send("graph.tickets", alert.toString(), alertHeaders(alert, event));
    }

    private static Map<String, String> incidentHeaders(String incidentId, String event) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("graphEntityType", "incident");
        h.put("graphEventType", event);
        h.put("graphIncidentId", incidentId);
        h.put("graphLastUpdateDateTime", "2026-11-25T05:00:00Z");
        h.put("graphSeverity", "high");
        h.put("graphStatus", event.equals("resolved") ? "resolved" : "active");
        h.put("graphTenantId", SimulatedTenant.TENANT);
        h.put("JMSXGroupID", incidentId);
        return h;
    }

    private static Map<String, String> redirected(String incidentId, String target) {
        Map<String, String> h = incidentHeaders(incidentId, "statusChanged");
        h.put("graphStatus", "redirected");
        h.put("graphPreviousStatus", "active");
        h.put("graphRedirectIncidentId", target);
        return h;
    }

    private static ObjectNode incident(String id, String event, ObjectNode... alerts) {
        ObjectNode i = JSON.createObjectNode().put("id", id).put("displayName", "Multi-stage incident " + id)
                .put("severity", "high").put("status", event.equals("resolved") ? "resolved" : "active")
                .put("classification", "truePositive").put("determination", "malware")
                .put("lastUpdateDateTime", "2026-11-25T05:00:00Z");
        for (ObjectNode a : alerts) {
            i.withArray("alerts").add(a);
        }
        return i;
    }

    private static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Everything the app logs during the test, to check no ticketing secret is in it. */
    private void captureLog() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        appender = WriterAppender.newBuilder().setName("ticketing-test-" + System.nanoTime()).setTarget(log)
                .setLayout(PatternLayout.newBuilder().withPattern("%m %ex%n").build()).build();
        appender.start();
        ctx.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        ctx.updateLoggers();
    }
}
