package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graphsec.routes.auth.GraphPermissionsCheck;
import io.graphsec.routes.auth.SecurityApiCheck;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** At start the app says whether the Security API answers (GET /security) and which features its roles allow. */
class StartupCheckTest {

    @TempDir
    Path dir;

    @Test
    void the_security_singleton_is_read_once_and_the_roles_are_reported_against_the_enabled_features() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir, "SecurityAlert.Read.All")) {
            Map<String, String> props = RunningApp.against(tenant, dir.resolve("app"), RunningApp.freePort());
            props.put("graph.startup.check-security-api", "true");
            props.put("graph.incidents.enabled", "true");
            props.put("graph.alerts.poll.cron", "0 0 0 1 1 ? 2099");
            props.put("graph.incidents.poll.cron", "0 0 0 1 1 ? 2099");
            try (RunningApp app = RunningApp.start(props)) {
                SecurityApiCheck check = app.context().getRegistry().lookupByNameAndType("graphSecurityApiCheck",
                        SecurityApiCheck.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> check.reachable() != null);
                assertThat(check.reachable()).isTrue();
                assertThat(tenant.simulator.graphRequests("GET")).as("one read of /security, nothing else").isEqualTo(1);
                assertThat(app.context().getRegistry().lookupByNameAndType("graphPermissionsCheck",
                        GraphPermissionsCheck.class).missing()).contains(
                        "polling incidents needs SecurityIncident.Read.All or SecurityIncident.ReadWrite.All")
                        .noneMatch(m -> m.startsWith("polling legacy_alerts"));
            }
        }
    }

    @Test
    void an_unreachable_security_api_is_said_at_start_and_the_app_still_runs() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir)) {
            Map<String, String> props = RunningApp.against(tenant, dir.resolve("app"), RunningApp.freePort());
            props.put("graph.startup.check-security-api", "true");
            props.put("graph.base-url", "https://localhost:" + RunningApp.freePort());
            props.put("graph.http.max-retries", "0");
            try (RunningApp app = RunningApp.start(props)) {
                SecurityApiCheck check = app.context().getRegistry().lookupByNameAndType("graphSecurityApiCheck",
                        SecurityApiCheck.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> check.reachable() != null);
                assertThat(check.reachable()).isFalse();
                assertThat(app.context().isStarted()).isTrue();
            }
        }
    }
}
