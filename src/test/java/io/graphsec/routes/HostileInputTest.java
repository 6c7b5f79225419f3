package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.simulator.SeenRequest;
import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import io.graphsec.routes.support.WebhookCalls;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text from outside is data, never code. Each entry point gets the payloads an attacker would try
 * (property placeholders, simple expressions, encoded braces, a ServiceNow query operator, CR/LF, a
 * path escape); none may make the application resolve anything: no request to Graph or ticketing, no
 * log line, no message header and no dead-letter reason carries a resolved value, each refused input
 * sits in its dead-letter queue, and the application goes on working.
 */
class HostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A value only a resolved {@code {{sys:graph.test.hostile-marker}}} can produce. */
    private static final String MARKER = "resolved-marker-" + UUID.randomUUID();

    static final List<String> PAYLOADS = List.of(
            "{{graph.client-secret}}",
            "{{env:HOME}}",
            "{{sys:user.name}}",
            "{{sys:graph.test.hostile-marker}}",
            "{{bean:graphTokenProvider.authorizationHeader}}",
            "{{bean:graphJmsConnectionFactory.stop}}",
            "${body}",
            "${bean:graphJmsConnectionFactory.stop}",
            "${sys.graph.test.hostile-marker}",
            "#{graph.client-secret}",
            "%7B%7Bgraph.client-secret%7D%7D",
            "da1^ORnumber=INC0010001",
            "da1\r\n2026-12-03 INFO forged",
            "../../../admin",
            "da1/../../alerts_v2");

    @TempDir
    Path dir;
    private SimulatedTenant tenant;
    private int brokerPort;
    private Map<String, String> props;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("graph.test.hostile-marker", MARKER);
        tenant = new SimulatedTenant(dir, "SecurityAlert.ReadWrite.All", "SecurityIncident.ReadWrite.All");
        brokerPort = RunningApp.freePort();
        props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
    }

    @AfterEach
    void tearDown() {
        tenant.close();
        System.clearProperty("graph.test.hostile-marker");
    }

    @Test
    void hostile_feedback_from_the_queue_is_dead_lettered_and_reaches_no_graph_request() throws Exception {
        ObjectNode alert = tenant.addAlerts(1).get(0);
        String id = alert.get("id").asText();
        List<String> hostile = new ArrayList<>();
        for (String p : PAYLOADS) {
            hostile.add(JSON.createObjectNode().put("alertId", p).put("status", "resolved").toString());
            hostile.add(JSON.createObjectNode().put("incidentId", p).put("status", "resolved").toString());
            hostile.add(JSON.createObjectNode().put("alertId", id).put("tenant", p).put("status", "resolved").toString());
        }
        try (LogCapture log = new LogCapture(Map.of("io.graphsec", Level.DEBUG));
                RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            AlertsToQueuesTest.collectUntil(queues, 1);
            for (String h : hostile) {
                queues.send("graph.feedback", h);
            }
            // A valid feedback that carries a case-variant Camel header: the header must not steer the request.
            queues.send("graph.feedback", JSON.createObjectNode().put("alertId", id).put("status", "inProgress").toString(),
                    Map.of("CAmelHttpUri", tenant.simulator.baseUrl() + "/v1.0/security/alerts_v2/{{graph.client-secret}}",
                            "camelHttpPath", "/{{graph.client-secret}}", "CamelHttpQuery", "x={{graph.client-secret}}"));

            List<Received> dead = queues.collect("graph.feedback.dead-letter", hostile.size());
            assertThat(dead).hasSize(hostile.size());
            assertThat(dead).extracting(Received::body).containsExactlyInAnyOrderElementsOf(hostile);
            assertThat(dead).allSatisfy(m -> assertThat(m.property("graphDeadLetterReason")).isNotBlank());
            await().atMost(Duration.ofSeconds(30)).until(() -> "inProgress".equals(
                    tenant.alerts().get(id).orElseThrow().get("status").asText()));

            assertThat(tenant.simulator.graphRequests("PATCH")).as("only the valid feedback patches").isEqualTo(1);
            assertThat(tenant.simulator.graphRequests("POST comments")).isZero();
            assertOnlyExpectedGraphPaths(id);
            stillWorks(queues);
            assertNothingResolved(log, queues, dead);
        }
    }

    @Test
    void hostile_ids_in_graph_pages_are_dead_lettered_and_never_looked_up() throws Exception {
        props.put("graph.incidents.enabled", "true");
        List<ObjectNode> hostile = new ArrayList<>();
        Instant at = Instant.now().minusSeconds(120);
        int n = 0;
        for (String p : PAYLOADS) {
            ObjectNode byId = tenant.newAlert(at.plusMillis(n++), "high");
            byId.put("id", p);
            hostile.add(byId);
            ObjectNode byIncident = tenant.newAlert(at.plusMillis(n++), "high");
            byIncident.put("incidentId", p);
            hostile.add(byIncident);
        }
        tenant.alerts().putAll(hostile);
        try (LogCapture log = new LogCapture(Map.of("io.graphsec", Level.DEBUG));
                RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            // Each alert with a hostile id or incidentId, and each incident the simulator made of a hostile incidentId.
            List<Received> dead = queues.collect("graph.alerts.dead-letter", hostile.size() + PAYLOADS.size());
            assertThat(dead).as("dead-lettered, each named by its reason").hasSize(hostile.size() + PAYLOADS.size())
                    .allSatisfy(m -> assertThat(m.property("graphDeadLetterReason")).contains("is not a Graph id"));
            assertThat(dead).extracting(m -> JSON.readTree(m.body()).has("alerts") ? "incident" : "alert")
                    .containsOnly("incident", "alert").filteredOn("incident"::equals).hasSize(PAYLOADS.size());
            assertThat(tenant.simulator.requestsSeen()).as("no incident is read by a hostile id")
                    .noneMatch(r -> r.rawPath().matches("/v1\\.0/security/incidents/.+"));
            assertOnlyExpectedGraphPaths(null);
            List<Received> all = new ArrayList<>(dead);
            stillWorks(queues);
            assertNothingResolved(log, queues, all);
        }
    }

    @Test
    void hostile_ticket_ids_and_tenant_ids_reach_no_ticketing_or_graph_request() throws Exception {
        FakeTicketing fake = new FakeTicketing(0).acceptBasic("graph-security", "Sn0w-Pa55word").start();
        try {
            props.put("graph.alerts.poll.cron", "0 0 0 1 1 ? 2099");
            props.put("graph.tickets.system", "servicenow");
            props.put("graph.tickets.servicenow.url", fake.baseUrl());
            props.put("graph.tickets.servicenow.user", "graph-security");
            props.put("graph.tickets.servicenow.password", "Sn0w-Pa55word");
            props.put("graph.tickets.max-retries", "0");
            ObjectNode alert = tenant.addAlerts(1).get(0);
            try (LogCapture log = new LogCapture(Map.of("io.graphsec", Level.DEBUG));
                    RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
                List<String> sent = new ArrayList<>();
                // The ticketing system's search answers hostile sys_ids and numbers, one alert (one unit) each.
                List<String> answered = List.of("{{graph.client-secret}}", "${bean:graphJmsConnectionFactory.stop}", "a^ORb", "x\r\ny");
                for (String p : answered) {
                    ObjectNode record = JSON.createObjectNode().put("sys_id", p).put("number", p).put("state", "1");
                    fake.rejectNext(200, "{\"result\":[" + record + "]}");
                }
                for (String p : answered) {
                    sendTicket(queues, tenant.addAlerts(1).get(0), Map.of());
                    sent.add(p);
                }
                // The alert's own tenantId and the ids in the headers are hostile.
                for (String p : PAYLOADS) {
                    sendTicket(queues, alert, Map.of("graphTenantId", p));
                    sendTicket(queues, alert, Map.of("graphIncidentId", p));
                    sent.add(p);
                    sent.add(p);
                }
                List<Received> dead = queues.collect("graph.tickets.dead-letter", sent.size());
                assertThat(dead).hasSize(sent.size()).allSatisfy(m -> assertThat(m.property("graphDeadLetterReason")).isNotBlank());
                assertThat(fake.requests()).as("one search per unit; a hostile sys_id is never used, in a path or otherwise")
                        .hasSize(answered.size())
                        .allSatisfy(r -> assertThat(r.method() + " " + r.path()).isEqualTo("GET /api/now/table/incident"));
                assertThat(fake.requests()).allSatisfy(r -> assertThat(String.valueOf(r.query()))
                        .doesNotContain("%5EOR", "^OR", "%7B", "{"));
                assertThat(tenant.simulator.graphRequests("POST comments")).isZero();
                assertNothingResolved(log, queues, dead);
                for (FakeTicketing.Request r : fake.requests()) {
                    assertThat(r.path() + "?" + r.query() + "\n" + r.body()).doesNotContain(resolvedValues(false));
                }
            }
        } finally {
            fake.close();
        }
    }

    @Test
    void hostile_ticket_fields_in_webhook_calls_change_nothing_in_graph() throws Exception {
        ObjectNode alert = tenant.addAlerts(1).get(0);
        for (boolean verifyOwner : new boolean[] {true, false}) {
            int httpPort = RunningApp.freePort();
            props.put("graph.webhook.enabled", "true");
            props.put("graph.webhook.hmac-secret", "webhook-hmac-key-0123456789");
            props.put("graph.webhook.rate.calls-per-period", "1000");
            props.put("graph.webhook.verify-ticket-owner", String.valueOf(verifyOwner));
            props.put("camel.server.port", String.valueOf(httpPort));
            props.put("graph.state.dir", dir.resolve("app-" + verifyOwner).resolve("state").toString());
            props.put("graph.broker.embedded.data-dir", dir.resolve("app-" + verifyOwner).resolve("broker").toString());
            try (LogCapture log = new LogCapture(Map.of("io.graphsec", Level.DEBUG));
                    RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
                WebhookCalls calls = new WebhookCalls(httpPort, "webhook-hmac-key-0123456789");
                List<String> answers = new ArrayList<>();
                for (String p : PAYLOADS) {
                    ObjectNode sn = JSON.createObjectNode().put("u_graph_alert_id", p).put("sys_id", p).put("number", p)
                            .put("state", "6").put("close_code", "Resolved - true positive").put("close_notes", p)
                            .put("correlation_id", p).put("sys_updated_by", p);
                    ObjectNode jira = JSON.createObjectNode();
                    ObjectNode issue = jira.putObject("issue").put("key", p);
                    issue.putObject("fields").put("customfield_10100", p).putObject("status").put("name", "Done");
                    ((ObjectNode) issue.get("fields")).putArray("labels").add(p);
                    for (var call : List.of(Map.entry("servicenow", sn), Map.entry("jira", jira))) {
                        var response = calls.signed(call.getKey(), call.getValue().toString());
                        assertThat(response.statusCode()).as(call.getKey() + " " + p).isBetween(200, 499);
                        answers.add(response.body());
                    }
                }
                // With the ownership check off, what the webhook accepted is validated as feedback and dead-lettered.
                List<Received> dead = verifyOwner ? List.of() : queues.collect("graph.feedback.dead-letter", 2 * PAYLOADS.size());
                assertThat(tenant.simulator.graphRequests("PATCH")).isZero();
                assertThat(tenant.simulator.graphRequests("POST comments")).isZero();
                assertOnlyExpectedGraphPaths(null);
                assertThat(String.join("\n", answers)).as("the webhook's answers").doesNotContain(resolvedValues(true));
                stillWorks(queues);
                assertNothingResolved(log, queues, dead);
                assertThat(tenant.alerts().get(alert.get("id").asText()).orElseThrow().get("status").asText()).isEqualTo("new");
            }
        }
    }

    @Test
    void hostile_values_in_hunt_rows_stay_data_in_the_events() throws Exception {
        tenant.close();
        tenant = new SimulatedTenant(dir, "SecurityAlert.Read.All", "ThreatHunting.Read.All");
        props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
        props.put("graph.hunting.enabled", "true");
        props.put("graph.hunting.tick", "* * * * * ?");
        Path hunts = Files.createDirectories(dir.resolve("hunts"));
        props.put("graph.hunting.dir", hunts.toString());
        RunningApp.workQueuesLeftForTheTest(props);
        String query = "DeviceEvents | project Timestamp, DeviceName, AccountUpn, ReportId, AlertId";
        Files.writeString(hunts.resolve("hostile.kql"), "// name: Hostile rows\n// schedule: * * * * * ?\n// severity: high\n"
                + "// timespan: P1D\n" + query + "\n");
        Instant at = Instant.now().minusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < PAYLOADS.size(); i++) {
            String p = PAYLOADS.get(i);
            rows.add(JSON.createObjectNode().put("Timestamp", at.plusSeconds(i).toString()).put("DeviceName", p)
                    .put("AccountUpn", p).put("ReportId", p).put("AlertId", p));
        }
        tenant.huntingResults(q -> q.equals(query) ? rows : List.of());
        try (LogCapture log = new LogCapture(Map.of("io.graphsec", Level.DEBUG));
                RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Received> events = queues.collect("graph.alerts.high", PAYLOADS.size());
            assertThat(events).as("each row one event, its id our own hash, its values JSON text").hasSize(PAYLOADS.size())
                    .allSatisfy(m -> assertThat(m.property("graphAlertId")).matches("hunt-hostile-[0-9a-f]{16}"));
            assertThat(events).extracting(m -> JSON.readTree(m.body()).at("/hunting/row/DeviceName").asText())
                    .containsExactlyInAnyOrderElementsOf(PAYLOADS);
            for (SeenRequest r : tenant.simulator.requestsSeen()) {
                assertThat(r.rawPath()).as("hunting and polls only").isIn("/v1.0/security/alerts_v2",
                        "/v1.0/security/runHuntingQuery", "/" + SimulatedTenant.TENANT + "/oauth2/v2.0/token");
            }
            assertNothingResolved(log, queues, events);
        }
    }

    @Test
    void the_one_graph_request_of_the_routes_passes_the_request_guard_first() throws Exception {
        Pattern graphTo = Pattern.compile("(?m)^(\\s*)- to:\\s*\\n\\s*id: (\\S+)\\s*\\n\\s*uri: \"\\{\\{graph\\.base-url\\}\\}\"");
        int checked = 0;
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                String yaml = Files.readString(f);
                Matcher m = graphTo.matcher(yaml);
                while (m.find()) {
                    assertThat(f.getFileName()).as("the Graph request is sent by the call flow only").hasToString("1-call-graph.camel.yaml");
                    String before = yaml.substring(0, m.start());
                    String guard = m.group(1) + "- bean:\n" + m.group(1) + "    ref: graphRequestGuard\n" + m.group(1) + "    method: check\n";
                    assertThat(before).as(f + ": the step before " + m.group(2) + " is the request guard").endsWith(guard);
                    checked++;
                }
                if (!f.getFileName().toString().equals("1-call-graph.camel.yaml")) {
                    assertThat(yaml).as(f + " calls Graph through direct:graph-call only").doesNotContain("{{graph.base-url}}")
                            .doesNotContainPattern("uri: \"?https?:");
                }
            }
        }
        assertThat(checked).as("one Graph request in the routes: direct:graph-call's").isEqualTo(1);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A ticket work-queue message of a created alert (the message contract), with some headers replaced. */
    static void sendTicket(Queues queues, ObjectNode alert, Map<String, String> override) throws Exception {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("graphEntityType", "alert");
        h.put("graphEventType", "created");
        h.put("graphAlertId", alert.get("id").asText());
        h.put("graphIncidentId", alert.get("incidentId").asText());
        h.put("graphLastUpdateDateTime", alert.get("lastUpdateDateTime").asText());
        h.put("graphSeverity", "high");
        h.put("graphRoute", "high");
        h.put("graphStatus", "new");
        h.put("graphTenantId", SimulatedTenant.TENANT);
        h.putAll(override);
        queues.send("graph.tickets", alert.toString(), h);
    }

    /** Graph saw only the token, the list polls and what the test's own valid feedback asked for. */
    private void assertOnlyExpectedGraphPaths(String validAlertId) {
        List<String> allowed = new ArrayList<>(List.of("/v1.0/security/alerts_v2", "/v1.0/security/incidents"));
        if (validAlertId != null) {
            allowed.add("/v1.0/security/alerts_v2/" + validAlertId);
        }
        for (SeenRequest r : tenant.simulator.requestsSeen()) {
            if (r.rawPath().endsWith("/oauth2/v2.0/token") || r.rawPath().equals("/common/discovery/instance")) {
                continue;
            }
            assertThat(r.rawPath()).as("a Graph request's path").isIn(allowed);
        }
        for (SeenRequest r : tenant.simulator.requestsSeen()) {
            if (r.rawPath().endsWith("/oauth2/v2.0/token")) {
                continue;
            }
            String withoutAuth = r.method() + " " + r.rawPath() + "?" + r.rawQuery() + "\n" + r.body();
            assertThat(withoutAuth).doesNotContain(resolvedValues(true));
            assertThat(decoded(withoutAuth)).doesNotContain(resolvedValues(true));
        }
    }

    /** A new alert is still polled and delivered: nothing stopped the JMS consumers or the poll. */
    private void stillWorks(Queues queues) throws Exception {
        ObjectNode late = tenant.newAlert(Instant.now(), "medium");
        tenant.alerts().put(late);
        await().atMost(Duration.ofSeconds(30)).until(() -> queues.drain("graph.alerts.medium").stream()
                .anyMatch(m -> late.get("id").asText().equals(m.property("graphAlertId"))));
    }

    /**
     * What a resolved payload would produce: the client secret, a bearer token, the marker. With
     * {@code paths}, also the values that only matter inside a URL (the home folder, the user name),
     * which a log line may hold for other reasons.
     */
    private String[] resolvedValues(boolean paths) {
        List<String> values = new ArrayList<>(List.of(SimulatedTenant.SECRET, MARKER,
                URLEncoder.encode(SimulatedTenant.SECRET, StandardCharsets.UTF_8),
                Base64.getEncoder().encodeToString(SimulatedTenant.SECRET.getBytes(StandardCharsets.UTF_8))));
        values.addAll(tenant.simulator.issuedTokens());
        if (paths) {
            values.add("/" + System.getProperty("user.name") + "/");
            values.add("/" + System.getProperty("user.name") + "?");
            values.add(System.getenv("HOME") + "/");
        }
        return values.toArray(String[]::new);
    }

    private void assertNothingResolved(LogCapture log, Queues queues, List<Received> seen) throws Exception {
        List<Received> all = new ArrayList<>(seen);
        queues.drainAll(List.of("graph.alerts.high", "graph.alerts.medium", "graph.alerts.low", "graph.alerts.informational",
                "graph.alerts.dead-letter", "graph.feedback.audit", "graph.feedback.dead-letter", "graph.tickets.dead-letter"))
                .values().forEach(all::addAll);
        for (Received m : all) {
            assertThat(m.body() + "\n" + m.properties()).as("a message or its headers").doesNotContain(resolvedValues(false));
            String reason = m.property("graphDeadLetterReason");
            if (reason != null) {
                assertThat(reason).as("a dead-letter reason").doesNotContain(resolvedValues(true))
                        .doesNotContain("{{", "${", "#{").doesNotContain("\r", "\n");
            }
        }
        assertThat(log.text()).as("the log").doesNotContain(resolvedValues(false));
        assertThat(log.lines()).as("no log line starts a forged record").noneMatch(l -> l.contains("\n2026-12-03 INFO forged"));
    }

    private static String decoded(String s) {
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
