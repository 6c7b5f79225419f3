package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graphsec.routes.auth.GraphPermissionsCheck;
import io.graphsec.routes.auth.SecurityApiCheck;
import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SecondTenant;
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
    @Test
    void every_tenant_is_checked_with_its_own_token_and_a_refused_one_is_named() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir)) {
            // fabrikam's registration exists, but the deployment holds a wrong secret for it.
            tenant.simulator.registerClient(SecondTenant.TENANT, SecondTenant.CLIENT, SecondTenant.SECRET,
                    "SecurityAlert.Read.All");
            Map<String, String> props = SecondTenant.configure(
                    RunningApp.against(tenant, dir.resolve("app"), RunningApp.freePort()));
            props.put("graph.tenant." + SecondTenant.NAME + ".client-secret", "not-the-secret");
            props.put("graph.startup.check-security-api", "true");
            props.put("graph.http.max-retries", "0");
            props.put("graph.alerts.poll.cron", "0 0 0 1 1 ? 2099");
            props.put("graph.tenant." + SecondTenant.NAME + ".alerts.poll.cron", "0 0 0 1 1 ? 2099");
            try (LogCapture log = new LogCapture(Map.of()); RunningApp app = RunningApp.start(props)) {
                SecurityApiCheck check = app.context().getRegistry().lookupByNameAndType("graphSecurityApiCheck",
                        SecurityApiCheck.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> check.reachable(SecondTenant.NAME) != null);
                assertThat(check.reachable("default")).isTrue();
                assertThat(check.reachable(SecondTenant.NAME)).isFalse();
                assertThat(check.reachable()).as("not every tenant answered").isFalse();
                assertThat(log.text()).contains("not reachable at " + tenant.simulator.baseUrl() + "/v1.0/security for tenant fabrikam")
                        .doesNotContain("not-the-secret");
                assertThat(tenant.simulator.graphRequests("GET")).as("only the default tenant got a token").isEqualTo(1);
            }
        }
    }
}
