package io.graphsec.routes.simulator;

import static io.graphsec.routes.simulator.SimulatorHttp.JSON;
import static io.graphsec.routes.simulator.SimulatorHttp.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /security/runHuntingQuery (shared/graph-security-api.md §5): scripted rows, quota, result size, role. */
class GraphSimulatorHuntingTest {

    private static final String TENANT = "hunting-tenant";
    private static final String QUERY = "DeviceProcessEvents | where FileName == 'powershell.exe' | take 2";
    @RegisterExtension
    final SimulatorExtension graph = new SimulatorExtension(TENANT, "ThreatHunting.Read.All");

    @Test
    void answers_the_scripted_rows_with_a_schema_of_their_columns() throws Exception {
        graph.sim.huntingResults(TENANT, q -> q.equals(QUERY) ? List.of(
                row("2026-11-25T01:02:03.1234567Z", "ws-001", "powershell.exe", 4242),
                row("2026-11-25T01:05:00Z", "srv-7", "powershell.exe", 17)) : List.of());

        JsonNode body = ok(hunt("{\"query\":" + JSON.writeValueAsString(QUERY) + ",\"timespan\":\"P1D\"}"));
        assertThat(body.get("@odata.context").asText()).endsWith("$metadata#microsoft.graph.security.huntingQueryResults");
        assertThat(body.get("schema").toString()).isEqualTo("[{\"name\":\"Timestamp\",\"type\":\"DateTime\"},"
                + "{\"name\":\"DeviceName\",\"type\":\"String\"},{\"name\":\"FileName\",\"type\":\"String\"},"
                + "{\"name\":\"ProcessId\",\"type\":\"Int64\"}]");
        assertThat(body.get("results")).hasSize(2);
        assertThat(body.get("results").get(1).get("DeviceName").asText()).isEqualTo("srv-7");

        JsonNode pascal = ok(hunt("{\"Query\":" + JSON.writeValueAsString(QUERY) + "}"));
        assertThat(pascal.get("results")).hasSize(2);
        JsonNode other = ok(hunt("{\"query\":\"AlertInfo | take 1\"}"));
        assertThat(other.get("results")).isEmpty();
        assertThat(other.get("schema")).isEmpty();

        List<HuntingRequest> seen = graph.sim.huntingRequestsSeen(TENANT);
        assertThat(seen).hasSize(3);
        assertThat(seen.get(0).span()).isEqualTo(Duration.ofDays(1));
        assertThat(seen.get(1).span()).as("30 days when no timespan is given").isEqualTo(Duration.ofDays(30));
    }

    @Test
    void bad_bodies_and_timespans_are_refused() throws Exception {
        assertThat(error(hunt("{\"timespan\":\"P1D\"}"))).isEqualTo("400 BadRequest The request body must contain a non-empty 'query'.");
        assertThat(error(hunt("{\"query\":\"x\",\"timespan\":\"yesterday\"}"))).startsWith("400 BadRequest Invalid timespan");
        assertThat(error(hunt("not json"))).isEqualTo("400 BadRequest The request body is not valid JSON.");
    }

    @Test
    void the_call_over_the_per_minute_quota_answers_429_with_retry_after() throws Exception {
        for (int i = 0; i < 45; i++) {
            assertThat(hunt("{\"query\":\"AlertInfo\"}").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> throttled = hunt("{\"query\":\"AlertInfo\"}");
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(Double.parseDouble(throttled.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        assertThat(error(throttled)).startsWith("429 TooManyRequests").contains("45 calls per minute");
        // Other Graph calls of the same app are not part of the hunting quota.
        assertThat(graph.sim.graphRequests()).isEqualTo(46);
    }

    @Test
    void a_result_too_large_for_the_range_succeeds_once_the_client_splits_the_range() throws Exception {
        Instant end = Instant.parse("2026-11-25T00:00:00Z");
        graph.sim.huntingResultTooLarge(TENANT, Duration.ofDays(7));
        graph.sim.huntingRequests(TENANT, r -> List.of(JSON.createObjectNode().put("From", r.from().toString())
                .put("To", r.to().toString())));

        HttpResponse<String> tooLarge = hunt("{\"query\":\"DeviceEvents\",\"timespan\":\"P30D/" + end + "\"}");
        assertThat(error(tooLarge)).startsWith("400 BadRequest Query execution has exceeded the allowed result size.");

        List<String> froms = new ArrayList<>();
        for (Instant to = end; to.isAfter(end.minus(Duration.ofDays(28))); to = to.minus(Duration.ofDays(7))) {
            JsonNode part = ok(hunt("{\"query\":\"DeviceEvents\",\"timespan\":\"" + to.minus(Duration.ofDays(7)) + "/" + to + "\"}"));
            froms.add(part.get("results").get(0).get("From").asText());
        }
        assertThat(froms).containsExactly("2026-11-18T00:00:00Z", "2026-11-11T00:00:00Z", "2026-11-04T00:00:00Z",
                "2026-10-28T00:00:00Z");
        graph.sim.huntingResultTooLarge(TENANT, null);
        assertThat(hunt("{\"query\":\"DeviceEvents\",\"timespan\":\"P30D\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void hunting_needs_threat_hunting_read_all() throws Exception {
        graph.sim.registerClient(TENANT, "events", "e", "SecurityEvents.ReadWrite.All", "SecurityAlert.ReadWrite.All");
        HttpResponse<String> r = graph.http.send("POST", "/v1.0/security/runHuntingQuery", graph.http.token(TENANT, "events", "e"),
                "{\"query\":\"AlertInfo\"}", "application/json");
        assertThat(error(r)).startsWith("403 Forbidden").contains("ThreatHunting.Read.All");
        assertThat(error(graph.http.send("GET", "/v1.0/security/runHuntingQuery", graph.token, null, "application/json")))
                .startsWith("405");
    }

    @Test
    void timespans_take_every_documented_form() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        assertThat(HuntingRequest.of("q", "P30D", now).from()).isEqualTo(Instant.parse("2026-10-26T12:00:00Z"));
        assertThat(HuntingRequest.of("q", "2024-02-01T08:00:00Z/2024-02-15T08:00:00Z", now).span())
                .isEqualTo(Duration.ofDays(14));
        assertThat(HuntingRequest.of("q", "P30D/2024-02-15T08:00:00Z", now).from())
                .isEqualTo(Instant.parse("2024-01-16T08:00:00Z"));
        assertThat(HuntingRequest.of("q", "2024-02-01T08:00:00Z/P1DT12H", now).to())
                .isEqualTo(Instant.parse("2024-02-02T20:00:00Z"));
        assertThat(HuntingRequest.of("q", "2026-11-25T00:00:00Z", now).span()).isEqualTo(Duration.ofHours(12));
        assertThat(HuntingRequest.of("q", "PT6H", now).span()).isEqualTo(Duration.ofHours(6));
        assertThatThrownBy(() -> HuntingRequest.of("q", "P1D/P2D", now)).hasMessageContaining("no point in time");
        assertThatThrownBy(() -> HuntingRequest.of("q", "2024-02-15T08:00:00Z/2024-02-01T08:00:00Z", now))
                .hasMessageContaining("ends before it starts");
    }

    private static ObjectNode row(String timestamp, String device, String file, long pid) {
        return JSON.createObjectNode().put("Timestamp", timestamp).put("DeviceName", device).put("FileName", file)
                .put("ProcessId", pid);
    }

    private HttpResponse<String> hunt(String body) throws Exception {
        return graph.http.send("POST", "/v1.0/security/runHuntingQuery", graph.token, body, "application/json");
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
