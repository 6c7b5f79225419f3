package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.simulator.FakeTicketing.Request;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requests the ticket delivery sends through routes/5-call-ticketing.camel.yaml, as the fake
 * ServiceNow receives them over a real socket: bodies from the template files (an edited copy in
 * the configuration folder wins), values percent-encoded into fixed paths, and a throttled system's
 * Retry-After waited out before the next attempt.
 */
class TicketRequestsTest {

    private static final String USER = "graph-security";
    private static final String PASSWORD = "Sn0w-Pa55word";

    @TempDir
    Path dir;
    private SimulatedTenant tenant;
    private FakeTicketing fake;
    private int brokerPort;
    private Map<String, String> props;

    @BeforeEach
    void setUp() throws Exception {
        tenant = new SimulatedTenant(dir, "SecurityAlert.ReadWrite.All", "SecurityIncident.ReadWrite.All");
        fake = new FakeTicketing(0).acceptBasic(USER, PASSWORD).start();
        brokerPort = RunningApp.freePort();
        props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
        props.put("graph.alerts.poll.cron", "0 0 0 1 1 ? 2099");
        props.put("graph.tickets.system", "servicenow");
        props.put("graph.tickets.servicenow.url", fake.baseUrl());
        props.put("graph.tickets.servicenow.user", USER);
        props.put("graph.tickets.servicenow.password", PASSWORD);
        // Far shorter than the Retry-After below: a retry that ignored it would come back at once.
        props.put("graph.tickets.retry-delay-ms", "100");
        props.put("graph.tickets.max-retries", "3");
    }

    @AfterEach
    void tearDown() {
        fake.close();
        tenant.close();
    }

    @Test
    void a_429_with_retry_after_is_waited_out_before_the_next_attempt_and_one_ticket_is_opened() throws Exception {
        ObjectNode alert = tenant.addAlerts(1).get(0);
        fake.failNext(1, 429, Map.of("Retry-After", "2"));
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, alert, Map.of());
            await().atMost(Duration.ofSeconds(30)).until(() -> fake.serviceNowIncidents().size() == 1
                    && tenant.alerts().get(alert.get("id").asText()).orElseThrow().path("comments").size() == 1);
        }
        List<Request> calls = fake.requests();
        assertThat(calls).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "GET /api/now/table/incident", "GET /api/now/table/incident", "POST /api/now/table/incident");
        // Measured on the server's clock: when the throttled request arrived, and when the next one did.
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).as("wait after Retry-After: 2")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(fake.serviceNowIncidents()).hasSize(1);
    }

    @Test
    void a_field_added_to_the_template_in_the_configuration_folder_reaches_servicenow() throws Exception {
        Path config = Files.createDirectories(dir.resolve("config/routes/templates"));
        String shipped = Files.readString(Path.of("routes/templates/servicenow-create.json.mustache"));
        assertThat(shipped).contains("\"category\": \"security\",");
        Files.writeString(config.resolve("servicenow-create.json.mustache"), shipped.replace("\"category\": \"security\",",
                "\"category\": \"security\",\n  \"u_custom\": \"{{alert.category}} / {{severity}} / {{header.graphAlertId}}\","));
        props.put("graph.config-dir", dir.resolve("config").toString());
        ObjectNode alert = tenant.addAlerts(1).get(0);
        alert.put("category", "Évil \"category\" … 日本\r\n{{graph.tickets.servicenow.password}}");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            send(queues, alert, Map.of());
            await().atMost(Duration.ofSeconds(30)).until(() -> fake.serviceNowIncidents().size() == 1);
        }
        ObjectNode ticket = fake.serviceNowIncidents().get(0);
        assertThat(ticket.get("u_custom").asText()).isEqualTo("Évil \"category\" … 日本\r\n{{graph.tickets.servicenow.password}} / "
                + "high / " + alert.get("id").asText());
        assertThat(ticket.get("category").asText()).as("the rest of the jar's template stays").isEqualTo("security");
        assertThat(ticket.get("correlation_id").asText()).isEqualTo("graph:" + SimulatedTenant.TENANT + ":"
                + alert.get("incidentId").asText());
    }

    @Test
    void ids_reach_the_ticketing_system_percent_encoded_and_hostile_ones_not_at_all() throws Exception {
        ObjectNode alert = tenant.addAlerts(1).get(0);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            // Graph ids may hold '=' and '.': inside ServiceNow's encoded query they stay one value.
            send(queues, alert, Map.of("graphIncidentId", "7=a.b"));
            for (String hostile : List.of("{{graph.tickets.servicenow.password}}", "7^ORnumber=INC0010001", "../../admin",
                    "7/../../sys_user", "7%2F..%2Fsys_user", "7\r\nX-Injected: 1")) {
                send(queues, alert, Map.of("graphIncidentId", hostile));
            }
            assertThat(queues.collect("graph.tickets.dead-letter", 6)).extracting(m -> m.property("graphDeadLetterReason"))
                    .allSatisfy(r -> assertThat(r).contains("graphIncidentId").contains("is not a Graph id")
                            .doesNotContain(PASSWORD));
            await().atMost(Duration.ofSeconds(30)).until(() -> fake.serviceNowIncidents().size() == 1);
        }
        List<Request> calls = fake.requests();
        assertThat(calls).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "GET /api/now/table/incident", "POST /api/now/table/incident");
        assertThat(calls.get(0).query()).isEqualTo("sysparm_query=correlation_id%3Dgraph%3A" + SimulatedTenant.TENANT
                + "%3A7%3Da.b&sysparm_fields=sys_id,number,state&sysparm_limit=1");
        assertThat(calls).allSatisfy(r -> assertThat(r.headers()).doesNotContainKey("x-injected"));
        assertThat(fake.serviceNowIncidents().get(0).get("u_graph_incident_id").asText()).isEqualTo("7=a.b");
    }

    private static void send(Queues queues, ObjectNode alert, Map<String, String> override) throws Exception {
        HostileInputTest.sendTicket(queues, alert, override);
    }
}
