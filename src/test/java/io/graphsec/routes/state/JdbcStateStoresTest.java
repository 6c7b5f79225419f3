package io.graphsec.routes.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.auth.GraphPermissionsCheck;
import io.graphsec.routes.graph.GraphRateBudget;
import io.graphsec.routes.graph.SharedRateBudgets;
import io.graphsec.routes.health.PollHealthCheck;
import io.graphsec.routes.state.jdbc.JdbcStateStores;
import io.graphsec.routes.state.jdbc.StateDatabase;
import io.graphsec.routes.support.FreshDatabase;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL stores (graph.state.store=jdbc) against the machine's real PostgreSQL, a new database each test. */
class JdbcStateStoresTest {

    private static final Path ROOT = Path.of("data/state");
    private FreshDatabase db;
    private StateDatabase state;
    private StateStores stores;

    @BeforeEach
    void setUp() throws Exception {
        db = FreshDatabase.create();
        state = StateDatabase.open(props(Map.of("graph.state.jdbc.url", db.url(), "graph.state.jdbc.user", FreshDatabase.USER)));
        stores = new JdbcStateStores(state.dataSource(), ROOT, "group-a");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (state != null) {
            state.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void the_schema_is_created_once_with_quartz_tables_and_a_second_start_migrates_nothing() throws Exception {
        try (StateDatabase again = StateDatabase.open(props(Map.of("graph.state.jdbc.url", db.url(),
                "graph.state.jdbc.user", FreshDatabase.USER)));
             var c = db.connect(); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'public' ORDER BY table_name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("graph_watermark", "graph_delivered_version", "graph_ticket_correlation",
                    "graph_poll_completion", "graph_request_budget", "graph_schema_version", "qrtz_job_details",
                    "qrtz_triggers", "qrtz_locks", "qrtz_scheduler_state");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM graph_schema_version WHERE success")) {
                rs.next();
                assertThat(rs.getInt(1)).as("V1 state tables, V2 Quartz tables, V3 poll completions,"
                        + " V4 request budgets, applied once").isEqualTo(4);
            }
        }
    }

    @Test
    void two_instances_take_the_permits_of_one_tenants_budget_from_one_row() {
        // Two instances' budget makers on one database; a period long enough that nothing refills meanwhile.
        GraphRateBudget first = new SharedRateBudgets(state.dataSource()).budget("tenant-a/app", 3, Duration.ofHours(1),
                Duration.ofMillis(200));
        GraphRateBudget second = new SharedRateBudgets(state.dataSource()).budget("tenant-a/app", 3, Duration.ofHours(1),
                Duration.ZERO);
        GraphRateBudget otherTenant = new SharedRateBudgets(state.dataSource()).budget("tenant-b/app", 3,
                Duration.ofHours(1), Duration.ZERO);
        first.acquire();
        second.acquire();
        first.acquire();
        assertThatThrownBy(second::acquire).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("graph.rate.*").hasMessageContaining("no room");
        assertThatThrownBy(first::acquire).isInstanceOf(IllegalStateException.class);
        // Another tenant's budget is a row of its own.
        otherTenant.acquire();
    }

    @Test
    void watermarks_are_kept_per_scope_and_resource() {
        Instant t = Instant.parse("2026-11-25T10:00:00.123Z");
        stores.watermarks(ROOT).write("alerts_v2", t);
        stores.watermarks(ROOT).write("alerts_v2", t.plusSeconds(60));
        assertThat(stores.watermarks(ROOT).read("alerts_v2")).contains(t.plusSeconds(60));
        assertThat(stores.watermarks(ROOT).read("incidents")).isEmpty();
        assertThat(stores.watermarks(ROOT.resolve("tenants/fabrikam")).read("alerts_v2")).isEmpty();
        assertThat(new JdbcStateStores(state.dataSource(), ROOT, "group-b").watermarks(ROOT).read("alerts_v2"))
                .as("another group of instances (its own tenants) has its own state").isEmpty();
    }

    @Test
    void delivered_versions_are_seen_by_another_instance_at_once() {
        DeliveredVersions first = stores.versions(ROOT, "alerts_v2", 1000);
        DeliveredVersions second = new JdbcStateStores(state.dataSource(), ROOT, "group-a").versions(ROOT, "alerts_v2", 1000);
        first.remember(List.of(Map.entry("a1", new EntityState("2026-11-25T10:00:00Z", "high", "new").format()),
                Map.entry("a2", "2026-11-25T10:00:01Z")));
        assertThat(second.isNew("a1", "2026-11-25T10:00:00Z")).isFalse();
        assertThat(second.isNew("a1", "2026-11-25T10:05:00Z")).isTrue();
        assertThat(second.isNew("a3", "2026-11-25T10:00:00Z")).isTrue();
        assertThat(second.lastState("a1")).isEqualTo(new EntityState("2026-11-25T10:00:00Z", "high", "new"));
        assertThat(second.lastVersion("a2")).isEqualTo("2026-11-25T10:00:01Z");
        assertThat(stores.versions(ROOT, "incidents", 1000).lastVersion("a1")).as("each resource its own").isNull();
        assertThat(stores.versions(ROOT.resolve("tenants/fabrikam"), "alerts_v2", 1000).lastVersion("a1"))
                .as("each tenant its own").isNull();
    }

    @Test
    void old_versions_are_forgotten_and_the_table_stays_bounded() {
        DeliveredVersions store = stores.versions(ROOT, "alerts_v2", 3);
        store.remember(List.of(Map.entry("old", "2026-11-25T09:00:00Z"), Map.entry("new", "2026-11-25T11:00:00Z")));
        store.forgetOlderThan(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(store.lastVersion("old")).isNull();
        assertThat(store.lastVersion("new")).isEqualTo("2026-11-25T11:00:00Z");

        store.remember(List.of(Map.entry("b", "2026-11-25T11:00:01Z"), Map.entry("c", "2026-11-25T11:00:02Z"),
                Map.entry("d", "2026-11-25T11:00:03Z")));
        store.forgetOlderThan(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.lastVersion("new")).as("the oldest goes first").isNull();
    }

    @Test
    void ticket_correlations_round_trip_as_json() {
        ObjectNode rec = new ObjectMapper().createObjectNode().put("unit", "incident:42").put("ticketId", "INC0010");
        TicketCorrelations tickets = stores.tickets(ROOT);
        assertThat(tickets.get("incident:42")).isEmpty();
        tickets.put("incident:42", rec);
        rec.put("state", "resolved");
        tickets.put("incident:42", rec);
        assertThat(tickets.get("incident:42")).contains(rec);
    }

    @Test
    void a_wrong_password_is_reported_without_the_password() throws Exception {
        String secret = "n0t-the-Passw0rd";
        assertThatThrownBy(() -> StateDatabase.open(props(Map.of(
                "graph.state.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/" + db.name + "?connectTimeout=3&password=" + secret,
                "graph.state.jdbc.user", "graphsec_nobody", "graph.state.jdbc.password", secret))))
                .hasMessageContaining("cannot connect to the state database")
                .satisfies(e -> assertThat(stackText(e)).doesNotContain(secret));
        assertThatThrownBy(() -> StateDatabase.open(props(Map.of("graph.state.jdbc.url", "jdbc:mysql://x/y"))))
                .hasMessageContaining("not a PostgreSQL JDBC URL");
    }

    private static String stackText(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    @Test
    void a_poll_completed_on_one_instance_keeps_the_other_instances_of_its_group_ready() {
        StepClock clock = new StepClock(Instant.parse("2026-11-25T10:00:00Z"));
        PollHealthCheck polling = groupCheck(stores, clock);
        PollHealthCheck standby = groupCheck(stores, clock);
        PollHealthCheck otherGroup = groupCheck(new JdbcStateStores(state.dataSource(), ROOT, "group-b"), clock);

        clock.step(Duration.ofMinutes(4));
        polling.succeeded(null);
        clock.step(Duration.ofMinutes(2));

        assertThat(state(polling)).isEqualTo(HealthCheck.State.UP);
        assertThat(state(standby)).as("it never polled, but its group did 2 minutes ago").isEqualTo(HealthCheck.State.UP);
        assertThat(otherGroup.call().getMessage()).as("nobody of group-b ever polled")
                .hasValueSatisfying(m -> assertThat(m).contains("no alerts_v2 poll has completed since start"));
        assertThat(state(otherGroup)).isEqualTo(HealthCheck.State.DOWN);

        clock.step(Duration.ofMinutes(4));
        standby.succeeded(null);
        assertThat(state(polling)).as("the standby took the poll over").isEqualTo(HealthCheck.State.UP);
    }

    private static PollHealthCheck groupCheck(StateStores stores, Clock clock) {
        PollHealthCheck check = new PollHealthCheck("alerts_v2", Duration.ofMinutes(5),
                new GraphPermissionsCheck(null, java.util.Set.of()), clock);
        check.shareWith(stores.pollCompletions());
        return check;
    }

    private static HealthCheck.State state(PollHealthCheck check) {
        return check.call().getState();
    }

    /** A clock the test moves on. */
    private static final class StepClock extends Clock {
        private Instant now;

        StepClock(Instant now) {
            this.now = now;
        }

        void step(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** The given keys, over the pool size application.properties gives the application. */
    private static Function<String, Optional<String>> props(Map<String, String> values) {
        return key -> Optional.ofNullable(values.get(key))
                .or(() -> Optional.ofNullable(key.equals("graph.state.jdbc.max-connections") ? "10" : null));
    }
}
