package io.graphsec.routes;

import static io.graphsec.routes.AlertsToQueuesTest.collectUntil;
import static io.graphsec.routes.AlertsToQueuesTest.total;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.support.FreshDatabase;
import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole application with graph.state.store=jdbc: its state lives in PostgreSQL, across a restart. */
class StateInPostgresqlTest {

    private static final String JDBC_PASSWORD = "jdbc-pass-Rk6Vy3Nd";

    @TempDir
    Path dir;

    @Test
    void a_restart_on_postgresql_state_sends_no_duplicates_and_then_only_what_changed() throws Exception {
        try (FreshDatabase db = FreshDatabase.create(); SimulatedTenant tenant = new SimulatedTenant(dir)) {
            List<ObjectNode> alerts = tenant.addAlerts(30);
            int brokerPort = RunningApp.freePort();
            Map<String, String> props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
            props.putAll(db.appProperties("restart-test"));
            // The CI database trusts loopback, so any password opens it: the configured one must go nowhere else.
            props.put("graph.state.jdbc.password", JDBC_PASSWORD);
            try (LogCapture log = new LogCapture(Map.of("io.graphsec", org.apache.logging.log4j.Level.DEBUG));
                    RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
                var delivered = collectUntil(queues, 30);
                assertThat(total(delivered)).isEqualTo(30);
                assertThat(log.text()).as("the log").isNotEmpty().doesNotContain(JDBC_PASSWORD);
                delivered.values().forEach(ms -> ms.forEach(m -> assertThat(m.body() + m.properties())
                        .doesNotContain(JDBC_PASSWORD)));
            }
            assertThat(dir.resolve("app/state/alerts_v2.watermark")).as("no state file").doesNotExist();
            assertThat(dir.resolve("app/state/alerts_v2.versions")).doesNotExist();
            try (Connection c = db.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM graph_delivered_version"
                         + " WHERE scope = 'restart-test' AND resource = 'alerts_v2'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("delivered versions in PostgreSQL").isEqualTo(30);
            }

            try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
                int requestsBefore = tenant.simulator.graphRequests();
                await().atMost(Duration.ofSeconds(30)).until(() -> tenant.simulator.graphRequests() >= requestsBefore + 3);
                assertThat(total(queues.leftAfterCompletion(Queues.SEVERITY_QUEUES))).as("duplicates after restart").isZero();

                String id = alerts.get(0).get("id").asText();
                tenant.alerts().update(id, a -> a.put("status", "inProgress"));
                Map<String, List<Received>> changed = collectUntil(queues, 1);
                int after = tenant.simulator.graphRequests();
                await().atMost(Duration.ofSeconds(30)).until(() -> tenant.simulator.graphRequests() >= after + 2);
                AlertsToQueuesTest.merge(changed, queues.drainAll(Queues.SEVERITY_QUEUES));
                List<Received> all = changed.values().stream().flatMap(List::stream).toList();
                assertThat(all).extracting(m -> m.property("graphAlertId")).containsExactly(id);
                assertThat(all).extracting(m -> m.property("graphEventType")).containsExactly("statusChanged");
            }
        }
    }

    @Test
    void two_groups_on_one_database_each_poll_their_own_tenant_with_their_own_schedules_and_state() throws Exception {
        String fabrikam = "99999999-8888-7777-6666-555555555555";
        String fabrikamClient = "ffffffff-eeee-dddd-cccc-bbbbbbbbbbbb";
        String fabrikamSecret = "fabrikam-S3cret~value";
        try (FreshDatabase db = FreshDatabase.create(); SimulatedTenant tenant = new SimulatedTenant(dir)) {
            tenant.simulator.registerClient(fabrikam, fabrikamClient, fabrikamSecret, "SecurityAlert.Read.All");
            List<ObjectNode> ours = tenant.addAlerts(4);
            AlertFactory fabrikamAlerts = new AlertFactory(77, fabrikam);
            Instant now = Instant.now();
            List<ObjectNode> theirs = List.of(fabrikamAlerts.newAlert(now.minusSeconds(30), "high", "9001"),
                    fabrikamAlerts.newAlert(now.minusSeconds(20), "high", "9002"));
            tenant.simulator.alerts(fabrikam).putAll(theirs);

            int brokerPort = RunningApp.freePort();
            Map<String, String> groupA = RunningApp.against(tenant, dir.resolve("a"), brokerPort);
            groupA.putAll(db.appProperties("group-a"));
            // Group b: another tenant as its own default one, on the same database and broker, its own queues.
            Map<String, String> groupB = RunningApp.against(tenant, dir.resolve("b"), brokerPort);
            groupB.putAll(db.appProperties("group-b"));
            groupB.putAll(Map.of("graph.tenant-id", fabrikam, "graph.client-id", fabrikamClient,
                    "graph.client-secret", fabrikamSecret, "graph.broker.embedded.enabled", "false",
                    "graph.jms.url", "tcp://127.0.0.1:" + brokerPort, "graph.jms.user", RunningApp.BROKER_USER,
                    "graph.jms.password", RunningApp.BROKER_PASSWORD));
            for (String severity : List.of("high", "medium", "low", "informational", "triage")) {
                groupB.put("graph.alerts.destination." + severity, "jms:queue:group-b.alerts." + severity);
            }
            try (RunningApp a = RunningApp.start(groupA); RunningApp b = RunningApp.start(groupB);
                 Queues queues = new Queues(brokerPort)) {
                List<Received> theirsDelivered = queues.collect("group-b.alerts.high", 2);
                Map<String, List<Received>> oursDelivered = collectUntil(queues, 4);
                int gets = tenant.simulator.graphRequests("GET");
                await().atMost(Duration.ofSeconds(30)).until(() -> tenant.simulator.graphRequests("GET") >= gets + 4);
                theirsDelivered.addAll(queues.drain("group-b.alerts.high"));
                AlertsToQueuesTest.merge(oursDelivered, queues.drainAll(Queues.SEVERITY_QUEUES));

                assertThat(theirsDelivered).extracting(m -> m.property("graphAlertId"))
                        .containsExactlyInAnyOrderElementsOf(theirs.stream().map(x -> x.get("id").asText()).toList());
                assertThat(oursDelivered.values().stream().flatMap(List::stream).map(m -> m.property("graphAlertId")))
                        .containsExactlyInAnyOrderElementsOf(ours.stream().map(x -> x.get("id").asText()).toList());
                try (Connection c = db.connect(); Statement st = c.createStatement()) {
                    assertThat(column(st, "SELECT DISTINCT sched_name FROM qrtz_job_details ORDER BY 1"))
                            .containsExactly("group-a", "group-b");
                    assertThat(column(st, "SELECT scope FROM graph_watermark WHERE resource = 'alerts_v2' ORDER BY 1"))
                            .as("each group's default tenant has its own watermark").containsExactly("group-a", "group-b");
                }
            }
        }
    }

    @Test
    void an_unknown_state_store_or_a_missing_database_url_stops_the_start_naming_the_key() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir)) {
            Map<String, String> props = RunningApp.against(tenant, dir.resolve("app"), RunningApp.freePort());
            props.put("graph.state.store", "redis");
            assertThatThrownBy(() -> RunningApp.start(props).close()).hasMessage("graph.state.store=redis is not"
                    + " a state store: file (the default, one instance) or jdbc (PostgreSQL, several instances; set"
                    + " graph.state.jdbc.url)");
            props.put("graph.state.store", "jdbc");
            assertThatThrownBy(() -> RunningApp.start(props).close())
                    .hasMessage("graph.state.jdbc.url is missing: graph.state.store=jdbc needs the PostgreSQL"
                            + " database, e.g. jdbc:postgresql://db:5432/graphsec");
        }
    }

    private static List<String> column(Statement st, String sql) throws Exception {
        List<String> values = new java.util.ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
