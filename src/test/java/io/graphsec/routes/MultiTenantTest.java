package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.simulator.LegacyAlertFactory;
import io.graphsec.routes.simulator.SecureScoreBook;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SecondTenant;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two tenants in one deployment (an MSSP's case): each polled with its own app credentials, token,
 * watermark and delivered-version store, its alerts carrying its name, and routing using it.
 */
class MultiTenantTest extends AgainstSimulatedTenant {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String FABRIKAM = SecondTenant.TENANT;
    private static final String FABRIKAM_CLIENT = SecondTenant.CLIENT;
    private static final String FABRIKAM_SECRET = SecondTenant.SECRET;

    @Override
    protected String[] roles() {
        return new String[] {"SecurityAlert.Read.All", "SecurityEvents.Read.All"};
    }

    @Test
    void each_tenant_is_polled_with_its_own_credentials_and_state_and_routed_by_its_name() throws Exception {
        tenant.simulator.registerClient(FABRIKAM, FABRIKAM_CLIENT, FABRIKAM_SECRET, "SecurityAlert.Read.All");
        AlertFactory fabrikamAlerts = new AlertFactory(77, FABRIKAM);
        Instant now = Instant.now();
        List<ObjectNode> theirs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            theirs.add(fabrikamAlerts.newAlert(now.minusSeconds(30 - i), "high", "9000" + i));
        }
        tenant.simulator.alerts(FABRIKAM).putAll(theirs);
        List<ObjectNode> ours = List.of(tenant.newAlert(now.minusSeconds(20), "high"), tenant.newAlert(now.minusSeconds(10), "high"));
        tenant.alerts().putAll(ours);

        SecondTenant.configure(props);
        props.put("graph.tenant.fabrikam.alerts.poll.cron", "0/1 * * * * ?");
        // Routing by tenant, in properties alone: one high queue per tenant.
        props.put("graph.alerts.destination.high", "jms:queue:${header.graphTenant}.alerts.high");

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Received> defaultHigh = queues.collect("default.alerts.high", 2);
            List<Received> fabrikamHigh = queues.collect("fabrikam.alerts.high", 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("app/state/tenants/fabrikam/alerts_v2.watermark")));
            // Two further polls of both tenants: nothing more may arrive.
            int gets = tenant.simulator.graphRequests("GET");
            await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphRequests("GET") >= gets + 4);
            defaultHigh.addAll(queues.drain("default.alerts.high"));
            fabrikamHigh.addAll(queues.drain("fabrikam.alerts.high"));

            assertThat(defaultHigh).extracting(m -> m.property("graphAlertId"))
                    .containsExactlyInAnyOrderElementsOf(ours.stream().map(a -> a.get("id").asText()).toList());
            assertThat(defaultHigh).allMatch(m -> SimulatedTenant.TENANT.equals(m.property("graphTenantId")));
            assertThat(fabrikamHigh).extracting(m -> m.property("graphAlertId"))
                    .containsExactlyInAnyOrderElementsOf(theirs.stream().map(a -> a.get("id").asText()).toList());
            assertThat(fabrikamHigh).allMatch(m -> FABRIKAM.equals(m.property("graphTenantId"))
                    && "fabrikam".equals(m.property("graphTenant")));
            assertThat(Files.exists(dir.resolve("app/state/alerts_v2.watermark"))).isTrue();
            // The simulator serves each tenant's alerts only to that tenant's token: both tokens were issued.
            assertThat(tenant.simulator.tokenRequests()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void legacy_alerts_switched_on_for_one_tenant_are_polled_for_that_tenant_only_with_its_token() throws Exception {
        tenant.simulator.registerClient(FABRIKAM, FABRIKAM_CLIENT, FABRIKAM_SECRET, "SecurityAlert.Read.All",
                "SecurityEvents.Read.All");
        Instant now = Instant.now();
        LegacyAlertFactory fabrikamLegacy = new LegacyAlertFactory(88, FABRIKAM);
        List<ObjectNode> theirs = List.of(fabrikamLegacy.newAlert(now.minusSeconds(20), "high", "IPC"),
                fabrikamLegacy.newAlert(now.minusSeconds(10), "high", "MCAS"));
        tenant.simulator.legacyAlerts(FABRIKAM).putAll(theirs);
        tenant.addLegacyAlerts(2);

        SecondTenant.configure(props);
        props.put("graph.tenant.fabrikam.legacy-alerts.enabled", "true");
        props.put("graph.tenant.fabrikam.legacy-alerts.poll.cron", "0/1 * * * * ?");

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Received> high = queues.collect("graph.alerts.high", 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve(
                    "app/state/tenants/fabrikam/legacy_alerts.watermark")));
            high.addAll(queues.drain("graph.alerts.high"));
            assertThat(high).extracting(m -> m.property("graphAlertId"))
                    .containsExactlyInAnyOrderElementsOf(theirs.stream().map(a -> a.get("id").asText()).toList());
            assertThat(high).allMatch(m -> "legacy".equals(m.property("graphApi"))
                    && "fabrikam".equals(m.property("graphTenant")) && FABRIKAM.equals(m.property("graphTenantId")));
            assertThat(Files.exists(dir.resolve("app/state/legacy_alerts.watermark")))
                    .as("the default tenant's legacy poll stays off").isFalse();
        }
    }

    @Test
    void each_tenants_secure_score_is_read_with_its_token_and_its_regressions_are_kept_apart_from_the_others()
            throws Exception {
        tenant.simulator.registerClient(FABRIKAM, FABRIKAM_CLIENT, FABRIKAM_SECRET, "SecurityAlert.Read.All",
                "SecurityEvents.Read.All");
        // Both tenants lose a control today: the same event ids (securescore-<day>-total) and record times.
        String ours = loseAControl(tenant.secureScores());
        String theirs = loseAControl(tenant.simulator.secureScores(FABRIKAM));
        SecondTenant.configure(props);
        props.put("graph.alerts.poll.cron", "0 0 0 1 1 ? 2099");
        props.put("graph.secure-score.enabled", "true");
        props.put("graph.secure-score.cron", "0/1 * * * * ?");
        RunningApp.workQueuesLeftForTheTest(props);

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Received> snapshots = queues.collect("graph.secure-score", 2);
            assertThat(snapshots).extracting(m -> m.property("graphTenant") + " " + JSON.readTree(m.body()).get("tenantId").asText())
                    .containsExactlyInAnyOrder("default " + SimulatedTenant.TENANT, "fabrikam " + FABRIKAM);

            // Each tenant's day as its snapshot says: the run may cross midnight (UTC) between the two.
            java.util.Map<String, String> day = new java.util.HashMap<>();
            for (Received m : snapshots) {
                day.put(m.property("graphTenant"), JSON.readTree(m.body()).get("date").asText());
            }
            assertThat(day.values()).allSatisfy(d -> assertThat(LocalDate.parse(d))
                    .isBetween(LocalDate.now(ZoneOffset.UTC).minusDays(1), LocalDate.now(ZoneOffset.UTC)));
            List<Received> medium = queues.collect("graph.alerts.medium", 4);
            assertThat(medium).extracting(m -> m.property("graphTenant") + " " + m.property("graphAlertId"))
                    .containsExactlyInAnyOrder("default securescore-" + day.get("default") + "-total",
                            "default securescore-" + day.get("default") + "-" + ours,
                            "fabrikam securescore-" + day.get("fabrikam") + "-total",
                            "fabrikam securescore-" + day.get("fabrikam") + "-" + theirs);
            assertThat(dir.resolve("app/state/tenants/fabrikam/secure-score-snapshot.watermark")).exists();
            assertThat(dir.resolve("app/state/secure-score-snapshot.watermark")).exists();
        }
    }

    /** Today's record loses an implemented control worth more than graph.secure-score.max-drop; returns its name. */
    private static String loseAControl(SecureScoreBook book) {
        String lost = book.profiles().stream().map(p -> p.get("id").asText())
                .filter(n -> !n.startsWith("Legacy") && book.implemented(n) && book.maxScore(n) > 5)
                .findFirst().orElseThrow();
        book.unimplement(lost).addDay();
        return lost;
    }
}
