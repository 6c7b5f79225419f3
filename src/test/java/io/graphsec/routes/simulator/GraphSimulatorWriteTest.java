package io.graphsec.routes.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator answers writes the way Graph documents them (shared/graph-security-api.md §1.7, §1.8, §3.4). */
class GraphSimulatorWriteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private GraphSimulator sim;
    private SimulatorHttp http;
    private String token;
    private String alertId;

    @BeforeEach
    void start() throws Exception {
        sim = new GraphSimulator(0).registerClient("t", "c", "s", "SecurityAlert.ReadWrite.All", "SecurityEvents.ReadWrite.All")
                .start();
        http = new SimulatorHttp(sim, dir);
        token = http.token("t", "c", "s");
        ObjectNode alert = new AlertFactory(5, "t").newAlert(Instant.parse("2026-11-25T01:00:00Z"), "high", "9");
        alertId = alert.get("id").asText();
        sim.alerts("t").put(alert);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void patch_returns_200_and_the_whole_alert_stamped_and_resolved() throws Exception {
        HttpResponse<String> r = patch("/v1.0/security/alerts_v2/" + alertId, "{\"status\":\"resolved\",\"classification\":\"truePositive\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("status").asText()).isEqualTo("resolved");
        assertThat(body.get("resolvedDateTime").isTextual()).isTrue();
        assertThat(body.get("lastUpdateDateTime").asText()).isGreaterThan("2026-11-25T01:00:00");
        assertThat(body.has("evidence")).isTrue();
    }

    @Test
    void read_only_properties_invalid_members_and_unknown_ids_are_refused_like_graph() throws Exception {
        assertThat(error(patch("/v1.0/security/alerts_v2/" + alertId, "{\"severity\":\"low\"}")))
                .isEqualTo("400 BadRequest Property 'severity' is read-only or does not exist on alerts_v2.");
        assertThat(error(patch("/v1.0/security/alerts_v2/" + alertId, "{\"determination\":\"clean\"}")))
                .isEqualTo("400 BadRequest Invalid value 'clean' for property 'determination'.");
        assertThat(error(patch("/v1.0/security/alerts_v2/nope", "{\"status\":\"resolved\"}")))
                .isEqualTo("404 NotFound The alerts_v2 entity 'nope' was not found.");
    }

    @Test
    void comments_answer_with_the_whole_collection() throws Exception {
        send("POST", "/v1.0/security/alerts_v2/" + alertId + "/comments", token, "{\"comment\":\"one\"}", "application/json");
        HttpResponse<String> r = send("POST", "/v1.0/security/alerts_v2/" + alertId + "/comments", token,
                "{\"@odata.type\":\"microsoft.graph.security.alertComment\",\"comment\":\"two\"}", "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode value = JSON.readTree(r.body()).get("value");
        assertThat(value).hasSize(2);
        assertThat(value.get(1).get("comment").asText()).isEqualTo("two");
        assertThat(value.get(1).has("createdDateTime")).isTrue();
    }

    @Test
    void legacy_patch_needs_vendor_information_and_answers_204_unless_asked_for_the_entity() throws Exception {
        ObjectNode legacy = JSON.createObjectNode().put("id", "L1").put("status", "newAlert")
                .put("lastModifiedDateTime", "2026-11-25T01:00:00Z");
        legacy.putObject("vendorInformation").put("provider", "IPC").put("vendor", "Microsoft");
        sim.legacyAlerts("t").put(legacy);
        assertThat(error(patch("/v1.0/security/alerts/L1", "{\"status\":\"resolved\"}")))
                .isEqualTo("400 BadRequest The request body must contain vendorInformation with provider and vendor.");
        String ok = "{\"status\":\"resolved\",\"vendorInformation\":{\"provider\":\"IPC\",\"vendor\":\"Microsoft\"}}";
        assertThat(patch("/v1.0/security/alerts/L1", ok).statusCode()).isEqualTo(204);
        HttpResponse<String> repr = http.send("PATCH", URI.create(sim.baseUrl() + "/v1.0/security/alerts/L1"), token, ok,
                "application/json", "return=representation");
        assertThat(repr.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(repr.body()).get("status").asText()).isEqualTo("resolved");
    }

    @Test
    void a_token_without_the_write_role_gets_403() throws Exception {
        sim.registerClient("t", "reader", "r", "SecurityAlert.Read.All");
        String readerToken = http.token("t", "reader", "r");
        HttpResponse<String> r = send("PATCH", "/v1.0/security/alerts_v2/" + alertId, readerToken, "{\"status\":\"resolved\"}",
                "application/json");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).get("error").get("message").asText()).contains("SecurityAlert.ReadWrite.All");
    }

    private HttpResponse<String> patch(String path, String body) throws Exception {
        return send("PATCH", path, token, body, "application/json");
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body, String type) throws Exception {
        return http.send(method, path, bearer, body, type);
    }

    private static String error(HttpResponse<String> r) throws Exception {
        return SimulatorHttp.error(r);
    }
}
