package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SecondTenant;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Incidents of two tenants of one deployment, polled each with its own token and state, giving
 * each tenant's alerts that tenant's incident context. Both tenants have an incident 100 (Graph's
 * incident ids are small numbers, the same in many tenants), updated at the same instant.
 */
class MultiTenantIncidentsTest extends AgainstSimulatedTenant {

    private static final String FABRIKAM = SecondTenant.TENANT;
    private static final String FABRIKAM_CLIENT = SecondTenant.CLIENT;
    private static final String FABRIKAM_SECRET = SecondTenant.SECRET;
    private static final String[] ROLES = {"SecurityAlert.Read.All", "SecurityIncident.Read.All"};

    private final Instant created = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);

    @Override
    protected String[] roles() {
        return ROLES;
    }

    @BeforeEach
    void setUp() {
        tenant.simulator.registerClient(FABRIKAM, FABRIKAM_CLIENT, FABRIKAM_SECRET, ROLES);
        props.put("graph.incidents.enabled", "true");
        props.put("graph.incidents.poll.cron", "0/1 * * * * ?");
        SecondTenant.configure(props);
        RunningApp.workQueuesLeftForTheTest(props);
    }

    @Test
    void each_tenants_incidents_are_polled_and_give_only_its_own_alerts_their_context() throws Exception {
        ObjectNode ours = alert(new AlertFactory(1234, SimulatedTenant.TENANT), "high", "Contoso: credential theft");
        tenant.alerts().put(ours);
        ObjectNode theirs = alert(new AlertFactory(77, FABRIKAM), "medium", "Fabrikam: ransomware");
        tenant.simulator.alerts(FABRIKAM).put(theirs);

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            List<Received> incidents = queues.collect("graph.incidents", 2);
            assertThat(incidents).extracting(m -> m.property("graphTenant") + " " + m.property("graphIncidentId") + " "
                            + m.property("graphIncidentDisplayName") + " " + m.property("graphTenantId"))
                    .containsExactlyInAnyOrder("default 100 Contoso: credential theft " + SimulatedTenant.TENANT,
                            "fabrikam 100 Fabrikam: ransomware " + FABRIKAM);
            assertThat(incidents).extracting(m -> m.property("JMSXGroupID")).containsExactlyInAnyOrder("100", "fabrikam:100");

            Received high = queues.collect("graph.alerts.high", 1).get(0);
            Received medium = queues.collect("graph.alerts.medium", 1).get(0);
            assertThat(high.property("graphAlertId")).isEqualTo(ours.get("id").asText());
            assertThat(high.property("graphIncidentDisplayName")).isEqualTo("Contoso: credential theft");
            assertThat(medium.property("graphAlertId")).isEqualTo(theirs.get("id").asText());
            assertThat(medium.property("graphTenant")).isEqualTo("fabrikam");
            assertThat(medium.property("graphIncidentId")).isEqualTo("100");
            assertThat(medium.property("graphIncidentDisplayName")).isEqualTo("Fabrikam: ransomware");
            assertThat(medium.property("graphIncidentSeverity")).isEqualTo("medium");
            assertThat(medium.property("JMSXGroupID")).isEqualTo("fabrikam:100");
            assertThat(Files.exists(dir.resolve("app/state/tenants/fabrikam/incidents.watermark"))).isTrue();
            assertThat(Files.exists(dir.resolve("app/state/incidents.watermark"))).isTrue();
        }
    }

    @Test
    void an_incident_not_polled_yet_is_looked_up_in_the_alerts_own_tenant_not_taken_from_another() throws Exception {
        // Fabrikam's incidents poll waits: its alert's incident must be read with its own token.
        props.put("graph.tenant.fabrikam.incidents.poll.cron", "0 0 0 1 1 ? 2099");
        tenant.alerts().put(alert(new AlertFactory(1234, SimulatedTenant.TENANT), "high", "Contoso: credential theft"));

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            assertThat(queues.collect("graph.incidents", 1)).singleElement()
                    .satisfies(m -> assertThat(m.property("graphTenant")).isEqualTo("default"));
            queues.collect("graph.alerts.high", 1);

            ObjectNode theirs = alert(new AlertFactory(77, FABRIKAM), "medium", "Fabrikam: ransomware");
            tenant.simulator.alerts(FABRIKAM).put(theirs);
            Received medium = queues.collect("graph.alerts.medium", 1).get(0);
            assertThat(medium.property("graphTenant")).isEqualTo("fabrikam");
            assertThat(medium.property("graphIncidentId")).isEqualTo("100");
            assertThat(medium.property("graphIncidentDisplayName")).as("fabrikam's incident 100, not ours")
                    .isEqualTo("Fabrikam: ransomware");
            assertThat(queues.leftAfterCompletion("graph.incidents")).as("fabrikam's incidents are not polled in this test")
                    .isEmpty();
        }
    }

    /** An alert of incident 100 created at the test's instant, with a title its incident takes as name. */
    private ObjectNode alert(AlertFactory factory, String severity, String title) {
        ObjectNode a = factory.newAlert(created, severity, "100");
        a.put("title", title);
        return a;
    }
}
