package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static io.graphsec.routes.PerTenantOperationsTest.get;
import static io.graphsec.routes.PerTenantOperationsTest.tenantsCheck;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.simulator.GraphSimulator;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.FreshDatabase;
import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Route;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/**
 * An MSSP adds and removes customer tenants in the tenants file while the application runs: an added
 * tenant is polled and delivered, a removed one is no longer polled nor in readiness nor in the
 * metrics, a bad entry is refused with its reason, and the other tenants' poll routes run on, the
 * same route instances, polling throughout. A tenant added again reads on from its watermark.
 */
class TenantsAddedAndRemovedWhileRunningTest extends AgainstSimulatedTenant {

    private static final List<String> NAMES = List.of("a", "b", "c");

    /** Tenant {@code name}'s Entra tenant id ({@code name} one of a, b, c). */
    static String tid(String name) {
        return String.format("%08d-0000-4000-8000-00000000000%d", NAMES.indexOf(name) + 1, NAMES.indexOf(name) + 1);
    }

    private static String client(String name) {
        return String.format("%08d-1111-4000-8000-000000000000", NAMES.indexOf(name) + 1);
    }

    /** Tenant {@code name}'s app registration in the simulator, allowed to read alerts. */
    static void register(GraphSimulator simulator, String name) {
        simulator.registerClient(tid(name), client(name), "secret-" + name, "SecurityAlert.Read.All");
    }

    private static String keys(String name) {
        return "graph.tenant." + name + ".tenant-id = " + tid(name) + "\n"
                + "graph.tenant." + name + ".client-id = " + client(name) + "\n"
                + "graph.tenant." + name + ".client-secret = secret-" + name + "\n";
    }

    /** Writes the tenants file: {@code graph.tenants = tenants} and the keys of each of {@code names}. */
    static void write(Path file, String tenants, String... names) throws Exception {
        writeWith(file, "", tenants, names);
    }

    private static void writeWith(Path file, String otherLines, String tenants, String... names) throws Exception {
        StringBuilder text = new StringBuilder(otherLines + "graph.tenants = " + tenants + "\n");
        for (String name : names) {
            text.append(keys(name));
        }
        // Written beside and moved: the reload never reads half a file.
        Path tmp = file.resolveSibling("tenants.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void tenants_added_and_removed_in_the_tenants_file_are_polled_and_stopped_while_the_others_run_on()
            throws Exception {
        Instant now = Instant.now();
        for (String name : NAMES) {
            register(tenant.simulator, name);
            tenant.simulator.alerts(tid(name)).put(new AlertFactory(60 + NAMES.indexOf(name), tid(name))
                    .newAlert(now.minusSeconds(30), "high", "80" + NAMES.indexOf(name)));
        }
        Path file = dir.resolve("tenants.properties");
        write(file, "a,b", "a", "b");
        props.put("graph.tenants.file", file.toString());
        props.put("graph.tenants.reload-interval", "PT1S");
        props.put("graph.health.max-poll-age", "PT30S");
        int managementPort = Integer.parseInt(props.get("camel.management.port"));

        try (LogCapture log = new LogCapture(Map.of());
             RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Received> high = new ArrayList<>(queues.collect("graph.alerts.high", 2));
            assertThat(high).extracting(m -> m.property("graphTenant")).containsExactlyInAnyOrder("a", "b");
            Route aRoute = app.context().getRoute("graph-alerts-poll-a");
            Route bRoute = app.context().getRoute("graph-alerts-poll-b");
            assertThat(aRoute).isNotNull();
            assertThat(bRoute).isNotNull();

            // c appears in the file: polled and delivered, while a and b poll on in the same routes.
            int aCalls = tenant.simulator.graphCallsOf(tid("a")).size();
            write(file, "a,b,c", "a", "b", "c");
            high.addAll(queues.collect("graph.alerts.high", 1));
            assertThat(high.get(2).property("graphTenant")).isEqualTo("c");
            assertThat(high.get(2).property("graphTenantId")).isEqualTo(tid("c"));
            assertThat(app.context().getRoute("graph-alerts-poll-a")).isSameAs(aRoute);
            assertThat(app.context().getRoute("graph-alerts-poll-b")).isSameAs(bRoute);
            assertThat(tenant.simulator.graphCallsOf(tid("a")).size()).isGreaterThan(aCalls);
            // Made from the poll template as at start, with the polls' error handling (not as a Kamelet's route).
            Route cRoute = app.context().getRoute("graph-alerts-poll-c");
            assertThat(cRoute.isCreatedByKamelet()).isFalse();
            assertThat(cRoute.getConfigurationId()).isEqualTo(aRoute.getConfigurationId()).isEqualTo("graph-alerts-inner");
            assertThat(cRoute.getOnExceptions()).hasSameSizeAs(aRoute.getOnExceptions());
            await().atMost(Duration.ofSeconds(15)).until(() -> tenantsCheck(managementPort).path("data").path("tenants")
                    .asInt() == 4);

            // b leaves the file: once its route is gone, Graph hears nothing more from it.
            write(file, "a,c", "a", "c");
            await().atMost(Duration.ofSeconds(15)).until(() -> app.context().getRoute("graph-alerts-poll-b") == null);
            long removed = System.currentTimeMillis();
            int aAfter = tenant.simulator.graphCallsOf(tid("a")).size();
            int cAfter = tenant.simulator.graphCallsOf(tid("c")).size();
            await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphCallsOf(tid("a")).size() >= aAfter + 3
                    && tenant.simulator.graphCallsOf(tid("c")).size() >= cAfter + 3);
            assertThat(tenant.simulator.graphCallsOf(tid("b")).stream().filter(t -> t > removed))
                    .as("calls of b after its route was removed").isEmpty();
            assertThat(app.context().getRoute("graph-alerts-poll-a")).isSameAs(aRoute);
            JsonNode check = tenantsCheck(managementPort);
            assertThat(check.path("data").path("tenants").asInt()).as("%s", check).isEqualTo(3);
            String health = get(managementPort, "/observe/health?exposureLevel=full&data=true").body();
            assertThat(health).contains("graph-poll-alerts_v2@a").doesNotContain("alerts_v2@b");
            String metrics = get(managementPort, "/observe/metrics").body();
            assertThat(metrics).contains("tenant=\"a\"").doesNotContain("tenant=\"b\"");

            // Bad entries are refused, each with its key and reason; the tenants served go on.
            writeWith(file, "graph.alerts.poll.cron = * * * * * ?\n", "a,c,Evil/../x,d", "a", "c");
            await().atMost(Duration.ofSeconds(15)).until(() -> log.contains("tenant 'd' refused")
                    && log.contains("'Evil/../x' is not a tenant name"));
            assertThat(log.text()).contains("graph.tenant.d.tenant-id is missing")
                    .contains("the key 'graph.alerts.poll.cron' is ignored");
            assertThat(app.context().getRoutes()).extracting(Route::getRouteId).filteredOn(id -> id.startsWith("graph-alerts-poll"))
                    .containsExactlyInAnyOrder("graph-alerts-poll", "graph-alerts-poll-a", "graph-alerts-poll-c");
            assertThat(app.context().getRoute("graph-alerts-poll-a")).isSameAs(aRoute);
            long refusals = log.lines().stream().filter(l -> l.contains(file.toString()) && l.contains("refused")).count();

            // b comes back with a new alert: it reads on from its watermark, its first alert is not sent again.
            ObjectNode later = new AlertFactory(90, tid("b")).newAlert(Instant.now().minusSeconds(1), "high", "8990");
            tenant.simulator.alerts(tid("b")).put(later);
            write(file, "a,c,b,Evil/../x,d", "a", "c", "b");
            high.addAll(queues.collect("graph.alerts.high", 1));
            assertThat(high.get(3).property("graphAlertId")).isEqualTo(later.get("id").asText());
            assertThat(app.context().getRoute("graph-alerts-poll-a")).isSameAs(aRoute);
            int bCalls = tenant.simulator.graphCallsOf(tid("b")).size();
            await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphCallsOf(tid("b")).size() >= bCalls + 2);
            high.addAll(queues.drain("graph.alerts.high"));
            assertThat(high).hasSize(4);
            // The bad entries, unchanged, are not refused again on every reload.
            assertThat(log.lines().stream().filter(l -> l.contains(file.toString()) && l.contains("refused")).count()).isEqualTo(refusals);
        }
    }

    @Test
    void a_tenant_removed_from_the_tenants_file_leaves_no_job_in_the_shared_job_store() throws Exception {
        for (String name : List.of("a", "b")) {
            register(tenant.simulator, name);
        }
        Path file = dir.resolve("tenants.properties");
        write(file, "a,b", "a", "b");
        props.put("graph.tenants.file", file.toString());
        props.put("graph.tenants.reload-interval", "PT1S");
        try (FreshDatabase db = FreshDatabase.create()) {
            props.putAll(db.appProperties("tenants-removed"));
            try (RunningApp app = RunningApp.start(props)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> tenant.simulator.graphCallsOf(tid("b")).size() >= 2);
                assertThat(jobs(db)).contains("graph-alerts-poll", "alerts-a-poll", "alerts-b-poll");

                write(file, "a", "a");
                await().atMost(Duration.ofSeconds(15)).until(() -> app.context().getRoute("graph-alerts-poll-b") == null);
                long removed = System.currentTimeMillis();
                int aCalls = tenant.simulator.graphCallsOf(tid("a")).size();
                await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphCallsOf(tid("a")).size() >= aCalls + 3);
                assertThat(jobs(db)).as("jobs in the shared store").contains("graph-alerts-poll", "alerts-a-poll")
                        .doesNotContain("alerts-b-poll");
                assertThat(tenant.simulator.graphCallsOf(tid("b")).stream().filter(t -> t > removed)).isEmpty();
            }
        }
    }

    private static List<String> jobs(FreshDatabase db) throws Exception {
        return column(db, "SELECT job_name FROM qrtz_job_details");
    }

    /** The first column of every row {@code select} answers in the database. */
    static List<String> column(FreshDatabase db, String select) throws Exception {
        List<String> names = new ArrayList<>();
        try (java.sql.Connection c = db.connect(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(select)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
