package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.RunningApp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Microsoft says about an incident reaches its ticket: when Defender Experts ask the customer to
 * act (the incident becomes awaitingAction, a member Graph sends only with
 * {@code Prefer: include-unknown-enum-members}) the ticket is noted with their request, once; and the
 * resolving comment Graph resolved the incident with is in the ticket's closing note.
 */
class MicrosoftRequestsOnTicketsTest extends AgainstSimulatedTenant {

    private static final String REQUEST = "Isolate FIN-WS-042 and reset the password of its signed-in user";
    private static final String RESOLVING = "Contained by Defender Experts; no further activity";
    private FakeTicketing tickets;

    @Override
    protected String[] roles() {
        return new String[] {"SecurityAlert.ReadWrite.All", "SecurityIncident.ReadWrite.All"};
    }

    @BeforeEach
    void setUp() throws Exception {
        tickets = new FakeTicketing(0).acceptBasic("graph", "sn-pass").start();
        RunningApp.incidentsTicketedIn(props, tickets.baseUrl());
    }

    @AfterEach
    void tearDown() {
        tickets.close();
    }

    @Test
    void a_request_to_act_notes_the_ticket_once_and_the_resolving_comment_closes_it() throws Exception {
        ObjectNode alert = tenant.addIncident("high").get(0);
        String incidentId = alert.get("incidentId").asText();
        try (RunningApp app = RunningApp.start(props)) {
            await().atMost(Duration.ofSeconds(40)).until(() -> tickets.serviceNowIncidents().size() == 1);

            tenant.incidentBook().awaitAction(incidentId, REQUEST);
            await().atMost(Duration.ofSeconds(30)).until(() -> !notesWith(REQUEST).isEmpty());
            assertThat(notesWith(REQUEST).get(0)).contains("Microsoft Defender Experts ask you to act on this incident"
                    + " (Microsoft Defender Experts: " + REQUEST + ")");
            // A later version of the incident, still awaiting action, is no new request.
            tenant.incidents().update(incidentId, i -> i.put("assignedTo", "analyst@contoso.com"));
            int gets = tenant.simulator.graphRequests("GET");
            await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphRequests("GET") >= gets + 4);
            assertThat(notesWith(REQUEST)).hasSize(1);

            tenant.incidentBook().resolve(incidentId, RESOLVING);
            await().atMost(Duration.ofSeconds(30)).until(() -> "6".equals(tickets.serviceNowIncidents().get(0).path("state").asText())
                    && !notesWith("Resolving comment: " + RESOLVING).isEmpty());
            assertThat(tickets.serviceNowIncidents()).hasSize(1);
        }
    }

    /** The bodies of the ticket updates (work notes, close notes) that hold this text. */
    private List<String> notesWith(String text) {
        return tickets.requests().stream().filter(r -> "PATCH".equals(r.method()) && r.body().contains(text))
                .map(FakeTicketing.Request::body).toList();
    }
}
