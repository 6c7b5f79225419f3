package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.feedback.WebhookAuthenticator;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import io.graphsec.routes.support.WebhookCalls;
import io.graphsec.routes.simulator.FakeTicketing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Analysts' verdicts written back to Graph, from the JMS feedback queue and from ticketing webhooks. */
class FeedbackWritebackTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEBHOOK_KEY = "webhook-hmac-key-0123456789";

    @TempDir
    Path dir;
    private SimulatedTenant tenant;
    private int brokerPort;
    private int httpPort;
    private Map<String, String> props;

    @BeforeEach
    void setUp() throws Exception {
        tenant = new SimulatedTenant(dir, "SecurityAlert.ReadWrite.All", "SecurityIncident.ReadWrite.All",
                "SecurityEvents.ReadWrite.All");
        brokerPort = RunningApp.freePort();
        httpPort = RunningApp.freePort();
        props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
        props.put("graph.webhook.enabled", "true");
        props.put("graph.webhook.hmac-secret", WEBHOOK_KEY);
        props.put("camel.server.port", String.valueOf(httpPort));
    }

    @AfterEach
    void tearDown() {
        tenant.close();
    }

    @Test
    void jms_feedback_resolves_the_alert_once_and_the_next_poll_delivers_the_resolved_version() throws Exception {
        ObjectNode alert = tenant.addAlerts(1).get(0);
        String id = alert.get("id").asText();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            AlertsToQueuesTest.collectUntil(queues, 1);
            String feedback = JSON.createObjectNode().put("alertId", id).put("status", "resolved")
                    .put("classification", "truePositive").put("determination", "malware")
                    .put("assignedTo", "ann@contoso.com").put("comment", "Closed in SOAR run 42")
                    .put("requestedBy", "soar-playbook").toString();
            queues.send("graph.feedback", feedback);
            queues.send("graph.feedback", feedback);

            List<Received> audit = collect(queues, "graph.feedback.audit", 2);
            JsonNode entity = tenant.alerts().get(id).orElseThrow();
            assertThat(entity.get("status").asText()).isEqualTo("resolved");
            assertThat(entity.get("classification").asText()).isEqualTo("truePositive");
            assertThat(entity.get("determination").asText()).isEqualTo("malware");
            assertThat(entity.get("resolvedDateTime").isTextual()).isTrue();
            assertThat(entity.get("comments")).hasSize(1);
            assertThat(tenant.simulator.graphRequests("PATCH")).as("the same feedback twice patches once").isEqualTo(1);
            assertThat(tenant.simulator.graphRequests("POST comments")).isEqualTo(1);

            List<JsonNode> records = new ArrayList<>();
            for (Received r : audit) {
                records.add(JSON.readTree(r.body()));
            }
            assertThat(records).extracting(r -> r.get("outcome").asText()).containsExactly("applied", "already-applied");
            JsonNode applied = records.get(0);
            assertThat(applied.get("requestedBy").asText()).isEqualTo("soar-playbook");
            assertThat(applied.get("before").get("status").asText()).isEqualTo("new");
            assertThat(applied.get("after").get("status").asText()).isEqualTo("resolved");
            assertThat(applied.get("graphStatus").asInt()).isEqualTo(200);

            // Graph stamps a new lastUpdateDateTime on the PATCH and again on the comment: the resolved
            // version(s) are delivered, none twice, and the last one is Graph's current state. (A poll
            // between the PATCH and the comment sees the in-between version too, which is a real version.)
            Map<String, List<Received>> next = AlertsToQueuesTest.collectUntil(queues, 1);
            int polls = tenant.simulator.graphRequests("GET");
            await().atMost(Duration.ofSeconds(10)).until(() -> tenant.simulator.graphRequests("GET") >= polls + 2);
            AlertsToQueuesTest.merge(next, queues.drainAll(Queues.SEVERITY_QUEUES));
            List<Received> all = next.values().stream().flatMap(List::stream).toList();
            assertThat(all).hasSizeBetween(1, 2).allSatisfy(m -> {
                assertThat(m.property("graphAlertId")).isEqualTo(id);
                assertThat(m.property("graphStatus")).isEqualTo("resolved");
            });
            assertThat(all).extracting(m -> m.property("graphLastUpdateDateTime")).doesNotHaveDuplicates()
                    .contains(tenant.alerts().get(id).orElseThrow().get("lastUpdateDateTime").asText());
        }
    }

    @Test
    void bad_feedback_conflicts_and_graph_refusals_are_dead_lettered_with_the_reason() throws Exception {
        ObjectNode alert = tenant.addAlerts(1).get(0);
        String id = alert.get("id").asText();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            queues.send("graph.feedback", "{\"alertId\":\"" + id + "\",\"status\":\"closed\"}");
            queues.send("graph.feedback", "{\"alertId\":\"../../admin\",\"status\":\"resolved\"}");
            queues.send("graph.feedback", "{\"alertId\":\"" + id + "\",\"stauts\":\"resolved\"}");
            queues.send("graph.feedback", "{\"alertId\":\"" + id + "\",\"determination\":\"clean\"}");
            queues.send("graph.feedback", "{not json");
            queues.send("graph.feedback", "{\"alertId\":\"da000000000000000000_1\",\"status\":\"resolved\"}");
            queues.send("graph.feedback", JSON.createObjectNode().put("alertId", id).put("status", "inProgress")
                    .put("basedOn", Instant.parse(alert.get("lastUpdateDateTime").asText()).minusSeconds(60).toString())
                    .toString());

            List<Received> dead = collect(queues, "graph.feedback.dead-letter", 7);
            assertThat(dead).extracting(m -> m.property("graphDeadLetterReason")).containsExactly(
                    "status 'closed' is not valid for a alert; allowed: new, inProgress, resolved",
                    "alertId '../../admin' is not a Graph id (letters, digits, _ - . = only, starting with a letter or digit, no ..)",
                    "field 'stauts' cannot be written to a alert; allowed: assignedTo, classification, comment, determination, status",
                    "determination 'clean' is not valid for a alert; allowed: unknown, apt, malware, securityPersonnel, securityTesting,"
                            + " unwantedSoftware, other, multiStagedAttack, compromisedAccount, phishing, maliciousUserActivity,"
                            + " notMalicious, notEnoughDataToValidate, confirmedActivity, lineOfBusinessApplication",
                    "feedback is not valid JSON: Unexpected character ('n' (code 110)): was expecting double-quote to start field name",
                    "Graph answered 404 for alert da000000000000000000_1: NotFound: The alerts_v2 entity 'da000000000000000000_1'"
                            + " was not found. (no such alert in this tenant)",
                    "alert " + id + " changed in Graph at " + Instant.parse(alert.get("lastUpdateDateTime").asText())
                            + ", after the version this feedback was based on ("
                            + Instant.parse(alert.get("lastUpdateDateTime").asText()).minusSeconds(60)
                            + "); not overwritten (graph.feedback.conflict-policy=reject)");
            assertThat(dead.get(6).property("graphCurrentEntity")).contains("\"id\":\"" + id + "\"");
            assertThat(dead.get(0).body()).isEqualTo("{\"alertId\":\"" + id + "\",\"status\":\"closed\"}");
            assertThat(tenant.simulator.graphRequests("PATCH")).isZero();
            assertThat(tenant.alerts().get(id).orElseThrow().get("status").asText()).isEqualTo("new");
            assertThat(collect(queues, "graph.feedback.audit", 7)).extracting(m -> JSON.readTree(m.body()).get("outcome").asText())
                    .containsOnly("rejected", "failed");
        }
    }

    @Test
    void feedback_based_on_the_version_graph_still_has_is_written_not_taken_for_a_conflict() throws Exception {
        ObjectNode alert = tenant.addAlerts(1).get(0);
        String id = alert.get("id").asText();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            // The boundary: basedOn is exactly the alert's lastUpdateDateTime, so nothing changed since.
            queues.send("graph.feedback", JSON.createObjectNode().put("alertId", id).put("status", "inProgress")
                    .put("basedOn", alert.get("lastUpdateDateTime").asText()).toString());
            assertWritten(queues, id);
        }
    }

    @Test
    void with_conflict_policy_overwrite_feedback_based_on_an_older_version_is_written() throws Exception {
        props.put("graph.feedback.conflict-policy", "overwrite");
        ObjectNode alert = tenant.addAlerts(1).get(0);
        String id = alert.get("id").asText();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            queues.send("graph.feedback", JSON.createObjectNode().put("alertId", id).put("status", "inProgress")
                    .put("basedOn", Instant.parse(alert.get("lastUpdateDateTime").asText()).minusSeconds(60).toString())
                    .toString());
            assertWritten(queues, id);
        }
    }

    /** The feedback's audit says applied, Graph was PATCHed once and has its status, nothing was dead-lettered. */
    private void assertWritten(Queues queues, String id) throws Exception {
        assertThat(collect(queues, "graph.feedback.audit", 1)).singleElement()
                .satisfies(m -> assertThat(JSON.readTree(m.body()).get("outcome").asText()).isEqualTo("applied"));
        assertThat(tenant.simulator.graphRequests("PATCH")).isEqualTo(1);
        assertThat(tenant.alerts().get(id).orElseThrow().get("status").asText()).isEqualTo("inProgress");
        assertThat(queues.leftAfterCompletion("graph.feedback.dead-letter")).isEmpty();
    }

    @Test
    void a_missing_write_permission_is_reported_by_name_and_not_retried() throws Exception {
        tenant.simulator.registerClient(SimulatedTenant.TENANT, "read-only-app", "ro-secret", "SecurityAlert.Read.All");
        ObjectNode alert = tenant.addAlerts(1).get(0);
        props.put("graph.client-id", "read-only-app");
        props.put("graph.client-secret", "ro-secret");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            queues.send("graph.feedback", "{\"alertId\":\"" + alert.get("id").asText() + "\",\"status\":\"resolved\"}");
            assertThat(collect(queues, "graph.feedback.dead-letter", 1)).singleElement()
                    .extracting(m -> m.property("graphDeadLetterReason")).asString()
                    .startsWith("Graph answered 403 for alert " + alert.get("id").asText() + ": Forbidden:")
                    .endsWith("(the app registration needs the application permission SecurityAlert.ReadWrite.All with admin consent)");
            assertThat(tenant.simulator.graphRequests("PATCH")).isEqualTo(1);
            // The start-up check had said so already.
            assertThat(app.context().getRegistry().lookupByNameAndType("graphPermissionsCheck",
                    io.graphsec.routes.auth.GraphPermissionsCheck.class).missing()).containsExactly(
                    "feedback on alerts needs SecurityAlert.ReadWrite.All",
                    "feedback on incidents needs SecurityIncident.ReadWrite.All",
                    "feedback on legacy alerts needs SecurityEvents.ReadWrite.All");
        }
    }

    @Test
    void legacy_and_incident_feedback_use_their_own_rules() throws Exception {
        String legacyId = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";
        ObjectNode legacy = JSON.createObjectNode().put("id", legacyId).put("status", "newAlert").put("severity", "high")
                .put("azureTenantId", SimulatedTenant.TENANT).put("createdDateTime", "2026-11-25T01:00:00Z")
                .put("lastModifiedDateTime", "2026-11-25T01:00:00Z").put("title", "Impossible travel activity");
        legacy.putObject("vendorInformation").put("provider", "IPC").put("vendor", "Microsoft");
        tenant.simulator.legacyAlerts(SimulatedTenant.TENANT).put(legacy);
        ObjectNode incident = JSON.createObjectNode().put("id", "2972395").put("status", "active").put("severity", "high")
                .put("displayName", "Multi-stage incident").put("createdDateTime", "2026-11-25T01:00:00Z")
                .put("lastUpdateDateTime", "2026-11-25T01:00:00Z");
        incident.putArray("customTags");
        incident.putArray("comments");
        tenant.simulator.incidents(SimulatedTenant.TENANT).put(incident);

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            queues.send("graph.feedback", "{\"alertId\":\"" + legacyId + "\",\"api\":\"legacy\",\"status\":\"resolved\","
                    + "\"feedback\":\"truePositive\",\"comment\":\"Closed in IPC\"}");
            queues.send("graph.feedback", "{\"incidentId\":\"2972395\",\"status\":\"resolved\",\"classification\":\"truePositive\","
                    + "\"determination\":\"multiStagedAttack\",\"customTags\":[\"ransomware\",\"tier1\"],\"comment\":\"Contained\"}");
            queues.send("graph.feedback", "{\"alertId\":\"" + legacyId + "\",\"api\":\"legacy\",\"feedback\":\"benign\"}");

            assertThat(collect(queues, "graph.feedback.audit", 3)).hasSize(3);
            JsonNode l = tenant.simulator.legacyAlerts(SimulatedTenant.TENANT).get(legacyId).orElseThrow();
            assertThat(l.get("status").asText()).isEqualTo("resolved");
            assertThat(l.get("feedback").asText()).isEqualTo("truePositive");
            assertThat(l.get("comments").toString()).isEqualTo("[\"Closed in IPC\"]");
            JsonNode i = tenant.simulator.incidents(SimulatedTenant.TENANT).get("2972395").orElseThrow();
            assertThat(i.get("status").asText()).isEqualTo("resolved");
            assertThat(i.get("determination").asText()).isEqualTo("multiStagedAttack");
            assertThat(i.get("customTags").toString()).isEqualTo("[\"ransomware\",\"tier1\"]");
            assertThat(i.get("comments").get(0).get("comment").asText()).isEqualTo("Contained");
            assertThat(collect(queues, "graph.feedback.dead-letter", 1)).singleElement()
                    .extracting(m -> m.property("graphDeadLetterReason"))
                    .isEqualTo("feedback 'benign' is not valid for a legacy alert; allowed: unknown, truePositive, falsePositive, benignPositive");
        }
    }

    @Test
    void throttling_is_waited_out_as_retry_after_asks() throws Exception {
        ObjectNode alert = tenant.addAlerts(1).get(0);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            AlertsToQueuesTest.collectUntil(queues, 1);
            tenant.simulator.failNext("PATCH", 429, Map.of("Retry-After", "1.5"), "TooManyRequests");
            long start = System.nanoTime();
            queues.send("graph.feedback", "{\"alertId\":\"" + alert.get("id").asText() + "\",\"assignedTo\":\"bob@contoso.com\"}");
            assertThat(collect(queues, "graph.feedback.audit", 1)).singleElement()
                    .satisfies(m -> assertThat(JSON.readTree(m.body()).get("outcome").asText()).isEqualTo("applied"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
            assertThat(tenant.alerts().get(alert.get("id").asText()).orElseThrow().get("assignedTo").asText())
                    .isEqualTo("bob@contoso.com");
            assertThat(tenant.simulator.graphRequests("PATCH")).as("one throttled, one applied").isEqualTo(2);
        }
    }

    @Test
    void a_signed_servicenow_false_positive_resolves_the_incident_of_its_ticket_and_a_bad_signature_gets_401()
            throws Exception {
        String incident = tenant.addIncident("high").get(0).get("incidentId").asText();
        try (FakeTicketing serviceNow = new FakeTicketing(0).acceptBasic("graph-security", "Sn0w-Pa55word").start()) {
            props.put("graph.tickets.system", "servicenow");
            props.put("graph.tickets.servicenow.url", serviceNow.baseUrl());
            props.put("graph.tickets.servicenow.user", "graph-security");
            props.put("graph.tickets.servicenow.password", "Sn0w-Pa55word");
            WebhookCalls calls = new WebhookCalls(httpPort, WEBHOOK_KEY);
            try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
                // Once Graph has the ticket's comment, the app has kept the ticket's record the webhook checks.
                await().atMost(Duration.ofSeconds(30)).until(() -> serviceNow.serviceNowIncidents().size() == 1
                        && tenant.simulator.graphRequests("POST comments") >= 1);
                // The analyst closes the ticket the app opened; ServiceNow posts its fields.
                String ticket = serviceNow.serviceNowIncidents().get(0).deepCopy().put("state", "7")
                        .put("close_code", "Resolved - false positive").put("close_notes", "Pen test by the red team")
                        .put("sys_updated_by", "jdoe").toString();
                HttpResponse<String> forged = calls.post("servicenow", ticket,
                        WebhookAuthenticator.sender("wrong-key").signedHeaders(ticket));
                HttpResponse<String> unsigned = calls.post("servicenow", ticket, Map.of());
                assertThat(forged.statusCode()).isEqualTo(401);
                assertThat(unsigned.statusCode()).isEqualTo(401);
                assertThat(forged.body()).doesNotContain(WEBHOOK_KEY);

                HttpResponse<String> signed = calls.signed("servicenow", ticket);
                assertThat(signed.statusCode()).as(signed.body()).isEqualTo(202);

                JsonNode audit = JSON.readTree(collect(queues, "graph.feedback.audit", 1).get(0).body());
                assertThat(audit.get("requestedBy").asText()).isEqualTo("servicenow:jdoe");
                JsonNode entity = tenant.incidents().get(incident).orElseThrow();
                assertThat(entity.get("classification").asText()).isEqualTo("falsePositive");
                assertThat(entity.get("determination").asText()).isEqualTo("notMalicious");
                assertThat(entity.get("status").asText()).isEqualTo("resolved");
                assertThat(entity.get("comments").toString()).contains("Pen test by the red team");
                assertThat(tenant.simulator.graphRequests("PATCH")).as("only the signed call was acted on").isEqualTo(1);
            }
        }
    }

    private static List<Received> collect(Queues queues, String queue, int count) {
        List<Received> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            got.addAll(queues.drain(queue));
            return got.size() >= count;
        });
        return got;
    }
}
