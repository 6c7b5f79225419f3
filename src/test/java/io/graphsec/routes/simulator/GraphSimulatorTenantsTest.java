package io.graphsec.routes.simulator;

import static io.graphsec.routes.simulator.SimulatorHttp.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two tenants in one simulator: each token reads its own tenant's data only. */
class GraphSimulatorTenantsTest {

    private static final String A = "aaaaaaaa-0000-0000-0000-00000000000a";
    private static final String B = "bbbbbbbb-0000-0000-0000-00000000000b";
    private static final String[] ROLES = {"SecurityAlert.Read.All", "SecurityIncident.Read.All",
            "SecurityEvents.Read.All", "ThreatHunting.Read.All"};
    @RegisterExtension
    final SimulatorExtension graph = new SimulatorExtension(A, ROLES);

    @Test
    void each_tenant_sees_its_own_alerts_incidents_scores_legacy_alerts_and_hunting_results() throws Exception {
        graph.sim.registerClient(B, "c-b", "s-b", ROLES);
        String tokenA = graph.token;
        String tokenB = graph.http.token(B, "c-b", "s-b");
        Instant t0 = Instant.parse("2026-11-25T01:00:00Z");
        ObjectNode alertA = new AlertFactory(1, A).newAlert(t0, "high", "1");
        ObjectNode alertB1 = new AlertFactory(2, B).newAlert(t0, "low", "2");
        ObjectNode alertB2 = new AlertFactory(3, B).newAlert(t0.plusSeconds(5), "medium", "2");
        graph.sim.alerts(A).put(alertA);
        graph.sim.alerts(B).putAll(List.of(alertB1, alertB2));
        graph.sim.legacyAlerts(B).put(new LegacyAlertFactory(4, B).newAlert(t0, "high", "IPC"));
        graph.sim.secureScores(A).seedDays(2);
        graph.sim.secureScores(B).seedDays(5);
        graph.sim.huntingResults(A, q -> List.of(JSON.createObjectNode().put("Tenant", "A")));
        graph.sim.huntingResults(B, q -> List.of(JSON.createObjectNode().put("Tenant", "B")));

        assertThat(ids(get("/v1.0/security/alerts_v2", tokenA))).containsExactly(alertA.get("id").asText());
        assertThat(ids(get("/v1.0/security/alerts_v2", tokenB)))
                .containsExactlyInAnyOrder(alertB1.get("id").asText(), alertB2.get("id").asText());
        assertThat(ids(get("/v1.0/security/incidents", tokenA))).containsExactly("1");
        assertThat(ids(get("/v1.0/security/incidents", tokenB))).containsExactly("2");
        assertThat(ids(get("/v1.0/security/alerts", tokenA))).isEmpty();
        assertThat(ids(get("/v1.0/security/alerts", tokenB))).hasSize(1);
        assertThat(ids(get("/v1.0/security/secureScores", tokenA))).hasSize(2).allMatch(id -> id.startsWith(A + "_"));
        assertThat(ids(get("/v1.0/security/secureScores", tokenB))).hasSize(5).allMatch(id -> id.startsWith(B + "_"));
        assertThat(hunt(tokenA).get("results").get(0).get("Tenant").asText()).isEqualTo("A");
        assertThat(hunt(tokenB).get("results").get(0).get("Tenant").asText()).isEqualTo("B");

        // An id of the other tenant is not found, and the other tenant's token endpoint does not know this app.
        assertThat(get("/v1.0/security/alerts_v2/" + alertB1.get("id").asText(), tokenA).statusCode()).isEqualTo(404);
        assertThat(get("/v1.0/security/secureScores/" + graph.sim.secureScores(B).todayId(), tokenA).statusCode())
                .isEqualTo(404);
        HttpResponse<String> crossToken = graph.http.send("POST", "/" + B + "/oauth2/v2.0/token", null,
                "grant_type=client_credentials&client_id=c&client_secret=s&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
                "application/x-www-form-urlencoded");
        assertThat(crossToken.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(crossToken.body()).get("error").asText()).isEqualTo("unauthorized_client");
    }

    private JsonNode hunt(String token) throws Exception {
        return JSON.readTree(graph.http.send("POST", "/v1.0/security/runHuntingQuery", token, "{\"query\":\"AlertInfo\"}",
                "application/json").body());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return graph.http.send("GET", path, token, null, "application/json");
    }

    private static List<String> ids(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        JSON.readTree(r.body()).get("value").forEach(e -> ids.add(e.get("id").asText()));
        return ids;
    }
}
