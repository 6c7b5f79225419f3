package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graphsec.routes.health.PollHealthCheck;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.RunningApp;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Microsoft has retired the legacy /security/alerts API. Enabled all the same, the app warns once at
 * start, and when Graph answers the collection as gone (an error, or after the retirement date only
 * empty pages) readiness says so in one line instead of the poll retrying silently at every tick.
 */
class LegacyAlertsRetiredTest extends AgainstSimulatedTenant {

    @Override
    protected String[] roles() {
        return new String[] {"SecurityAlert.Read.All", "SecurityEvents.Read.All"};
    }

    @BeforeEach
    void setUp() {
        props.put("graph.legacy-alerts.enabled", "true");
        props.put("graph.legacy-alerts.poll.cron", "0/1 * * * * ?");
    }

    @Test
    void a_collection_answered_410_warns_at_start_and_makes_readiness_say_the_api_is_retired() throws Exception {
        tenant.addLegacyAlerts(2);
        tenant.simulator.legacyRetired(410);
        try (LogCapture log = new LogCapture(Map.of()); RunningApp app = RunningApp.start(props)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> legacyReadiness(app).map(r -> r.getMessage().isPresent()).orElse(false));
            HealthCheck.Result r = legacyReadiness(app).orElseThrow();
            assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(r.getMessage().orElseThrow())
                    .startsWith("legacy /security/alerts answers 410 (Gone The legacy security alerts API")
                    .contains("Microsoft has retired this API (last announced date 2026-10-15)")
                    .contains("alerts_v2 replaces it").contains("graph.legacy-alerts.enabled=false")
                    .doesNotContain("\n");
            assertThat(log.lines()).filteredOn(l -> l.startsWith("WARN") && l.contains("legacy /security/alerts"))
                    .as("one warning at start").hasSize(1)
                    .allMatch(l -> l.contains("retired") && l.contains("October 15, 2026") && l.contains("alerts_v2"));

            // Served again (a tenant still within its grace), the reason goes with the first good poll.
            tenant.simulator.legacyRetired(null);
            await().atMost(Duration.ofSeconds(30)).until(() -> legacyReadiness(app).orElseThrow().getState() == HealthCheck.State.UP);
        }
    }

    @Test
    void only_empty_pages_after_the_retirement_date_make_readiness_say_it_returns_no_data() throws Exception {
        tenant.simulator.legacyRetired(0);
        try (RunningApp app = RunningApp.start(props)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> legacyReadiness(app).map(r -> r.getMessage().isPresent()).orElse(false));
            assertThat(legacyReadiness(app).orElseThrow().getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(legacyReadiness(app).orElseThrow().getMessage().orElseThrow())
                    .startsWith("legacy /security/alerts has answered only empty pages since start")
                    .contains("Microsoft retired it on 2026-10-15").contains("alerts_v2 replaces it");
        }
    }

    @Test
    void empty_pages_before_the_retirement_date_are_a_quiet_tenant_not_a_retired_api() throws Exception {
        props.put("graph.legacy-alerts.retired-on", "2999-01-01");
        tenant.simulator.legacyRetired(0);
        try (RunningApp app = RunningApp.start(props)) {
            int gets = tenant.simulator.graphRequests("GET");
            await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphRequests("GET") >= gets + 3);
            HealthCheck.Result r = legacyReadiness(app).orElseThrow();
            assertThat(r.getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(r.getMessage()).isEmpty();
        }
    }

    /** The legacy poll's readiness check, asked as Camel's readiness endpoint asks it. */
    private static Optional<HealthCheck.Result> legacyReadiness(RunningApp app) {
        return Optional.ofNullable(app.context().getRegistry().lookupByNameAndType("graphLegacyAlertsHealth", PollHealthCheck.class))
                .map(PollHealthCheck::call);
    }
}
