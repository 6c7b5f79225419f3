package io.graphsec.routes.simulator;

import static io.graphsec.routes.simulator.SimulatorHttp.JSON;
import static io.graphsec.routes.simulator.SimulatorHttp.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Legacy /security/alerts (shared/graph-security-api.md §3.3): $top/$skip limits, federation failures, filters. */
class GraphSimulatorLegacyAlertsTest {

    private static final String TENANT = "legacy-tenant";
    private static final Instant T0 = Instant.parse("2026-11-25T01:00:00Z");
    @RegisterExtension
    final SimulatorExtension graph = new SimulatorExtension(TENANT, "SecurityEvents.Read.All");
    private final List<ObjectNode> stored = new ArrayList<>();

    @BeforeEach
    void alerts() {
        LegacyAlertFactory factory = new LegacyAlertFactory(3, TENANT);
        for (int i = 0; i < 12; i++) {
            stored.add(factory.newAlert(T0.plusSeconds(600L * i), LegacyAlertFactory.SEVERITIES.get(i % 4),
                    i % 3 == 0 ? "resolved" : "newAlert", LegacyAlertFactory.PROVIDERS.get(i % 2)));
        }
        graph.sim.legacyAlerts(TENANT).putAll(stored);
    }

    @Test
    void alerts_carry_their_provider_vendor_and_last_modified_time() throws Exception {
        JsonNode value = ok(get("/v1.0/security/alerts?$top=1000")).get("value");
        assertThat(value).hasSize(12).allSatisfy(a -> {
            assertThat(a.get("vendorInformation").get("provider").asText()).isIn("IPC", "MCAS");
            assertThat(a.get("vendorInformation").get("vendor").asText()).isEqualTo("Microsoft");
            assertThat(a.get("lastModifiedDateTime").asText()).isGreaterThan(a.get("createdDateTime").asText());
            assertThat(a.get("azureTenantId").asText()).isEqualTo(TENANT);
        });
    }

    @Test
    void top_above_1000_and_skip_above_500_are_refused_like_graph() throws Exception {
        assertThat(error(get("/v1.0/security/alerts?$top=1001"))).isEqualTo("400 BadRequest The limit of '1000' for Top"
                + " query has been exceeded. The value from the incoming request is '1001'.");
        assertThat(error(get("/v1.0/security/alerts?$top=10&$skip=501"))).isEqualTo("400 BadRequest The limit of '500'"
                + " for Skip query has been exceeded. The value from the incoming request is '501'.");
        assertThat(ok(get("/v1.0/security/alerts?$top=10&$skip=500")).get("value")).isEmpty();
    }

    @Test
    void a_failing_provider_gives_206_with_a_warning_and_the_other_providers_alerts() throws Exception {
        graph.sim.legacyProviderFailure(true);
        HttpResponse<String> partial = get("/v1.0/security/alerts?$count=true");
        assertThat(partial.statusCode()).isEqualTo(206);
        assertThat(partial.headers().firstValue("Warning")).hasValue("199 - \"Microsoft/MCAS/504/10000\"");
        JsonNode body = JSON.readTree(partial.body());
        assertThat(body.get("@odata.count").asInt()).isEqualTo(6);
        assertThat(body.get("value")).hasSize(6)
                .allSatisfy(a -> assertThat(a.get("vendorInformation").get("provider").asText()).isEqualTo("IPC"));

        graph.sim.legacyProviderFailure(false);
        HttpResponse<String> whole = get("/v1.0/security/alerts?$count=true");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Warning")).isEmpty();
        assertThat(JSON.readTree(whole.body()).get("value")).hasSize(12);
    }

    @Test
    void filters_on_severity_status_and_last_modified_time() throws Exception {
        assertThat(ids("severity eq 'high'")).containsExactlyInAnyOrderElementsOf(expected(a -> a.get("severity").asText().equals("high")));
        assertThat(ids("status eq 'resolved'")).hasSize(4)
                .containsExactlyInAnyOrderElementsOf(expected(a -> a.get("status").asText().equals("resolved")));
        String from = stored.get(4).get("lastModifiedDateTime").asText();
        String to = stored.get(8).get("lastModifiedDateTime").asText();
        assertThat(ids("lastModifiedDateTime ge " + from + " and lastModifiedDateTime lt " + to))
                .containsExactlyInAnyOrderElementsOf(expected(a -> {
                    String t = a.get("lastModifiedDateTime").asText();
                    return t.compareTo(from) >= 0 && t.compareTo(to) < 0;
                })).hasSize(4);
    }

    private List<String> expected(java.util.function.Predicate<ObjectNode> which) {
        return stored.stream().filter(which).map(a -> a.get("id").asText()).toList();
    }

    private List<String> ids(String filter) throws Exception {
        List<String> ids = new ArrayList<>();
        ok(get("/v1.0/security/alerts?$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20")))
                .get("value").forEach(a -> ids.add(a.get("id").asText()));
        return ids;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return graph.http.send("GET", path, graph.token, null, "application/json");
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
