package io.graphsec.routes;

import static io.graphsec.routes.AlertsToQueuesTest.collectUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where Microsoft's ranking says nothing, routing is the severity's: a null score (still being
 * computed), no score at all, a score that is not a number 0..100 and a system tag nobody chose
 * raise nothing and lower nothing, and nothing is dead-lettered; switched off, even a score of 95
 * and a chosen tag leave an alert on its severity's route.
 */
class PrioritySignalsAbsentTest extends AgainstSimulatedTenant {

    @Override
    protected String[] roles() {
        return new String[] {"SecurityAlert.Read.All", "SecurityIncident.Read.All"};
    }

    @BeforeEach
    void setUp() {
        RunningApp.workQueuesLeftForTheTest(props);
        props.put("graph.incidents.enabled", "true");
        props.put("graph.incidents.poll.cron", "0/1 * * * * ?");
        // A tag the simulated alerts never carry of themselves (one in ten carries Defender Experts).
        props.put("graph.priority.raise-tags", "Chosen Tag");
    }

    @Test
    void a_null_or_missing_or_odd_score_and_an_unknown_system_tag_leave_routing_to_the_severity() throws Exception {
        ObjectNode nullScore = alertInIncident("medium", i -> i.putNull("priorityScore"));
        ObjectNode noScore = alertInIncident("medium", i -> i.remove("priorityScore"));
        ObjectNode textScore = alertInIncident("medium", i -> i.put("priorityScore", "95"));
        ObjectNode outOfRange = alertInIncident("low", i -> i.put("priorityScore", 250));
        ObjectNode unknownTag = alertInIncident("medium", i -> i.withArray("systemTags").add("Some Future Tag"));
        ObjectNode highNull = alertInIncident("high", i -> i.putNull("priorityScore"));

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, Received> byId = collectUntil(queues, 6).values().stream().flatMap(List::stream)
                    .collect(Collectors.toMap(m -> m.property("graphAlertId"), m -> m, (a, b) -> a));
            assertThat(byId).hasSize(6);
            assertThat(byId.values()).allMatch(m -> m.property("graphRouteReason") == null)
                    .allMatch(m -> m.property("graphIncidentPriorityScore") == null)
                    .allMatch(m -> "created".equals(m.property("graphEventType")));
            assertThat(route(byId, nullScore)).isEqualTo("medium");
            assertThat(route(byId, noScore)).isEqualTo("medium");
            assertThat(route(byId, textScore)).isEqualTo("medium");
            assertThat(route(byId, outOfRange)).isEqualTo("low");
            assertThat(route(byId, unknownTag)).isEqualTo("medium");
            assertThat(byId.get(id(unknownTag)).property("graphSystemTags")).as("passed through").contains("Some Future Tag");
            assertThat(route(byId, highNull)).as("a null score lowers nothing").isEqualTo("high");
            assertThat(byId.get(id(highNull)).priority()).isEqualTo(9);
            assertThat(queues.leftAfterCompletion("graph.alerts.dead-letter")).isEmpty();
        }
    }

    @Test
    void switched_off_a_score_of_95_and_a_chosen_tag_leave_the_alert_on_its_severity() throws Exception {
        props.put("graph.priority.enabled", "false");
        ObjectNode ranked = alertInIncident("medium", i -> i.put("priorityScore", 95).withArray("systemTags").add("Chosen Tag"));

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Received m = collectUntil(queues, 1).get("graph.alerts.medium").get(0);
            assertThat(m.property("graphAlertId")).isEqualTo(id(ranked));
            assertThat(m.property("graphRouteReason")).isNull();
            assertThat(m.priority()).isEqualTo(7);
            assertThat(m.property("graphIncidentPriorityScore")).as("the signal is still shown").isEqualTo("95");
            assertThat(m.property("graphSystemTags")).contains("Chosen Tag");
            assertThat(queues.leftAfterCompletion("graph.alerts.high")).isEmpty();
        }
    }

    /** One alert of this severity in a new incident, changed as given (the simulator's incident starts with a null score). */
    private ObjectNode alertInIncident(String severity, Consumer<ObjectNode> incident) {
        ObjectNode alert = tenant.addIncident(severity).get(0);
        tenant.incidents().update(alert.get("incidentId").asText(), incident);
        return alert;
    }

    private static String route(Map<String, Received> byId, ObjectNode alert) {
        return byId.get(id(alert)).property("graphRoute");
    }

    private static String id(ObjectNode alert) {
        return alert.get("id").asText();
    }
}
