package io.graphsec.routes.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The demo tenant shows the incident lifecycle, and its incidents always agree with their alerts. */
class DemoTimelineTest {

    private static final String TENANT = "demo-tenant";

    @Test
    void the_demos_incidents_match_their_alerts_and_some_resolve_or_merge() {
        GraphSimulator sim = new GraphSimulator(0);
        try (DemoTimeline timeline = new DemoTimeline(sim.alerts(TENANT), TENANT, 40, Duration.ofMillis(20))) {
            timeline.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> sim.incidents(TENANT).snapshot().stream()
                    .map(i -> i.get("status").asText()).collect(Collectors.toSet())
                    .containsAll(Set.of("active", "resolved", "redirected")));
        }
        IncidentBook book = sim.incidentBook(TENANT);
        for (ObjectNode alert : sim.alerts(TENANT).snapshot()) {
            ObjectNode incident = book.incident(alert.get("incidentId").asText()).orElseThrow();
            assertThat(incident.get("status").asText()).as("alerts leave a merged incident").isNotEqualTo("redirected");
        }
        for (ObjectNode incident : sim.incidents(TENANT).snapshot()) {
            String id = incident.get("id").asText();
            var alerts = book.alertsOf(id);
            assertThat(alerts).allSatisfy(a -> assertThat(a.get("incidentId").asText()).isEqualTo(id));
            switch (incident.get("status").asText()) {
                case "redirected" -> {
                    assertThat(alerts).isEmpty();
                    assertThat(book.incident(incident.get("redirectIncidentId").asText())).isPresent();
                }
                case "resolved" -> assertThat(alerts).isNotEmpty()
                        .allSatisfy(a -> assertThat(a.get("status").asText()).isEqualTo("resolved"));
                default -> assertThat(incident.get("severity").asText()).isEqualTo(alerts.stream()
                        .map(a -> a.get("severity").asText())
                        .max(Comparator.comparingInt(AlertFactory.SEVERITIES::indexOf)).orElseThrow());
            }
        }
    }
}
