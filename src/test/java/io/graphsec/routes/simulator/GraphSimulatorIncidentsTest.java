package io.graphsec.routes.simulator;

import static io.graphsec.routes.simulator.SimulatorHttp.JSON;
import static io.graphsec.routes.simulator.SimulatorHttp.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incidents as Graph serves them (shared/graph-security-api.md §2): grouped from their alerts,
 * {@code $expand=alerts}, the alerts sub-collection, the $top limit, resolve and merge, and an
 * opt-in failure of $expand.
 */
class GraphSimulatorIncidentsTest {

    private static final String TENANT = "t";
    private static final Instant T0 = Instant.parse("2026-11-25T01:00:00Z");
    @TempDir
    Path dir;
    private GraphSimulator sim;
    private SimulatorHttp http;
    private String token;
    private final AlertFactory factory = new AlertFactory(11, TENANT);

    @BeforeEach
    void start() throws Exception {
        sim = new GraphSimulator(0).registerClient(TENANT, "c", "s", "SecurityAlert.ReadWrite.All",
                "SecurityIncident.ReadWrite.All").start();
        http = new SimulatorHttp(sim, dir);
        token = http.token(TENANT, "c", "s");
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void an_incident_exists_for_its_alerts_with_the_highest_severity_and_is_stamped_when_one_changes() throws Exception {
        List<ObjectNode> alerts = addIncident("7", 0, "low", "high", "medium");

        JsonNode incident = ok(get("/v1.0/security/incidents/7", null));
        assertThat(incident.get("id").asText()).isEqualTo("7");
        assertThat(incident.get("severity").asText()).isEqualTo("high");
        assertThat(incident.get("status").asText()).isEqualTo("active");
        assertThat(incident.get("classification").asText()).isEqualTo("unknown");
        assertThat(incident.get("determination").asText()).isEqualTo("unknown");
        assertThat(incident.get("assignedTo").isNull()).isTrue();
        assertThat(incident.get("redirectIncidentId").isNull()).isTrue();
        assertThat(incident.get("incidentWebUrl").asText()).isEqualTo("https://security.microsoft.com/incidents/7?tid=t");
        assertThat(incident.get("tenantId").asText()).isEqualTo(TENANT);
        assertThat(incident.get("createdDateTime").asText()).isEqualTo(alerts.get(0).get("createdDateTime").asText());
        assertThat(incident.get("lastUpdateDateTime").asText()).isEqualTo(alerts.get(2).get("lastUpdateDateTime").asText());
        assertThat(incident.get("displayName").asText()).startsWith("Multi-stage incident involving ");
        assertThat(incident.get("comments")).isEmpty();
        assertThat(incident.get("customTags")).isEmpty();
        assertThat(incident.get("systemTags").isArray()).isTrue();
        assertThat(Stream.of("description", "summary")).allMatch(incident::has);

        JsonNode patched = ok(http.send("PATCH", "/v1.0/security/alerts_v2/" + alerts.get(0).get("id").asText(), token,
                "{\"status\":\"inProgress\"}", "application/json"));
        JsonNode after = ok(get("/v1.0/security/incidents/7", null));
        assertThat(after.get("lastUpdateDateTime").asText()).isEqualTo(patched.get("lastUpdateDateTime").asText())
                .isGreaterThan(incident.get("lastUpdateDateTime").asText());
    }

    @Test
    void expand_alerts_puts_each_incidents_alerts_inline_on_list_and_get() throws Exception {
        List<String> seven = ids(addIncident("7", 0, "low", "medium"));
        List<String> eight = ids(addIncident("8", 10, "high"));

        JsonNode list = ok(get("/v1.0/security/incidents?$expand=alerts", null));
        assertThat(list.get("value")).hasSize(2);
        for (JsonNode incident : list.get("value")) {
            List<String> expected = incident.get("id").asText().equals("7") ? seven : eight;
            assertThat(ids(incident.get("alerts"))).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(incident.get("alerts").get(0).has("evidence")).isTrue();
        }
        JsonNode one = ok(get("/v1.0/security/incidents/7?$expand=alerts", null));
        assertThat(ids(one.get("alerts"))).containsExactlyInAnyOrderElementsOf(seven);
        assertThat(ok(get("/v1.0/security/incidents/7", null)).has("alerts")).isFalse();
    }

    @Test
    void the_alerts_sub_collection_lists_an_incidents_alerts() throws Exception {
        List<String> seven = ids(addIncident("7", 0, "low", "medium", "high"));
        addIncident("8", 10, "high");

        JsonNode page = ok(get("/v1.0/security/incidents/7/alerts", null));
        assertThat(ids(page.get("value"))).containsExactlyInAnyOrderElementsOf(seven);
        assertThat(page.get("@odata.context").asText()).endsWith("/v1.0/$metadata#security/incidents('7')/alerts");
        JsonNode high = ok(get("/v1.0/security/incidents/7/alerts?$filter=" + enc("severity eq 'high'"), null));
        assertThat(high.get("value")).singleElement().extracting(a -> a.get("severity").asText()).isEqualTo("high");
        assertThat(error(get("/v1.0/security/incidents/99/alerts", null)))
                .isEqualTo("404 NotFound The incidents entity '99' was not found.");
    }

    @Test
    void top_above_50_is_refused_with_graphs_error_body() throws Exception {
        addIncident("7", 0, "low");
        HttpResponse<String> r = get("/v1.0/security/incidents?$top=51", null);
        assertThat(error(r)).isEqualTo("400 BadRequest The limit of '50' for Top query has been exceeded."
                + " The value from the incoming request is '51'.");
        assertThat(JSON.readTree(r.body()).get("error").get("innerError").has("request-id")).isTrue();
        assertThat(ok(get("/v1.0/security/incidents?$top=50", null)).get("value")).hasSize(1);
    }

    @Test
    void fail_expand_answers_500_only_to_requests_with_expand() throws Exception {
        addIncident("7", 0, "low");
        sim.failExpand(true);
        assertThat(error(get("/v1.0/security/incidents?$expand=alerts", null)))
                .startsWith("500 InternalServerError ");
        assertThat(error(get("/v1.0/security/incidents/7?$expand=alerts", null))).startsWith("500 InternalServerError ");
        assertThat(ok(get("/v1.0/security/incidents", null)).get("value")).hasSize(1);
        assertThat(ok(get("/v1.0/security/incidents/7/alerts", null)).get("value")).hasSize(1);
        sim.failExpand(false);
        assertThat(ok(get("/v1.0/security/incidents?$expand=alerts", null)).get("value").get(0).get("alerts")).hasSize(1);
    }

    @Test
    void a_merged_incident_is_redirected_and_its_alerts_move_to_the_other() throws Exception {
        // The store keeps the nodes it is given, so what they said before the merge is taken now.
        List<String> from = ids(addIncident("7", 0, "low", "high"));
        List<String> stampsBefore = from.stream().map(id -> sim.alerts(TENANT).get(id).orElseThrow()
                .get("lastUpdateDateTime").asText()).toList();
        addIncident("8", 10, "medium");
        IncidentBook book = sim.incidentBook(TENANT);

        book.merge("7", "8");

        JsonNode merged = ok(get("/v1.0/security/incidents/7", null));
        assertThat(merged.get("status").asText()).isEqualTo("redirected");
        assertThat(merged.get("redirectIncidentId").asText()).isEqualTo("8");
        assertThat(ok(get("/v1.0/security/incidents/7/alerts", null)).get("value")).isEmpty();
        JsonNode into = ok(get("/v1.0/security/incidents/8?$expand=alerts", null));
        assertThat(into.get("severity").asText()).isEqualTo("high");
        assertThat(into.get("alerts")).hasSize(3);
        for (int i = 0; i < from.size(); i++) {
            JsonNode moved = ok(get("/v1.0/security/alerts_v2/" + from.get(i), null));
            assertThat(moved.get("incidentId").asText()).isEqualTo("8");
            assertThat(moved.get("incidentWebUrl").asText()).isEqualTo("https://security.microsoft.com/incidents/8?tid=t");
            assertThat(moved.get("lastUpdateDateTime").asText()).isGreaterThan(stampsBefore.get(i));
        }
        assertThatThrownBy(() -> book.merge("8", "7")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("merged away");
    }

    @Test
    void resolving_an_incident_resolves_its_alerts_and_stamps_both() throws Exception {
        addIncident("7", 0, "low", "high");
        String before = ok(get("/v1.0/security/incidents/7", null)).get("lastUpdateDateTime").asText();

        sim.incidentBook(TENANT).resolve("7");

        JsonNode incident = ok(get("/v1.0/security/incidents/7?$expand=alerts", null));
        assertThat(incident.get("status").asText()).isEqualTo("resolved");
        assertThat(incident.get("lastUpdateDateTime").asText()).isGreaterThan(before);
        for (JsonNode alert : incident.get("alerts")) {
            assertThat(alert.get("status").asText()).isEqualTo("resolved");
            assertThat(alert.get("resolvedDateTime").isTextual()).isTrue();
            assertThat(alert.get("lastUpdateDateTime").asText()).isGreaterThan(before)
                    .isLessThan(incident.get("lastUpdateDateTime").asText());
        }
        // A new unresolved alert correlated into a resolved incident reopens it.
        sim.alerts(TENANT).put(factory.newAlert(Instant.now(), "low", "7"));
        assertThat(ok(get("/v1.0/security/incidents/7", null)).get("status").asText()).isEqualTo("active");
    }

    @Test
    void patching_an_incident_to_resolved_takes_its_alerts_along() throws Exception {
        List<ObjectNode> alerts = addIncident("7", 0, "low", "high");
        JsonNode patched = ok(http.send("PATCH", "/v1.0/security/incidents/7", token,
                "{\"status\":\"resolved\",\"classification\":\"truePositive\"}", "application/json"));
        assertThat(patched.get("status").asText()).isEqualTo("resolved");
        for (ObjectNode a : alerts) {
            JsonNode now = ok(get("/v1.0/security/alerts_v2/" + a.get("id").asText(), null));
            assertThat(now.get("status").asText()).isEqualTo("resolved");
            assertThat(now.get("lastUpdateDateTime").asText()).isLessThan(patched.get("lastUpdateDateTime").asText());
        }
    }

    @Test
    void a_lastUpdateDateTime_window_pages_with_expand_and_count_across_next_links() throws Exception {
        for (int i = 0; i < 7; i++) {
            addIncident(String.valueOf(100 + i), 10 * i, "low", "medium");
        }
        // Incident 100+i was last updated at T0 + 10i + 1 minutes: 102..105 fall in [T0+21m, T0+60m).
        String filter = "lastUpdateDateTime ge " + T0.plusSeconds(21 * 60) + " and lastUpdateDateTime lt "
                + T0.plusSeconds(60 * 60);
        URI next = URI.create(sim.baseUrl() + "/v1.0/security/incidents?$filter=" + enc(filter)
                + "&$top=3&$count=true&$expand=alerts");
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (next != null) {
            JsonNode page = ok(http.send("GET", next, token, null, "application/json", null));
            assertThat(page.get("@odata.count").asInt()).isEqualTo(4);
            for (JsonNode incident : page.get("value")) {
                seen.add(incident.get("id").asText());
                assertThat(incident.get("alerts")).hasSize(2);
            }
            pages++;
            next = page.has("@odata.nextLink") ? URI.create(page.get("@odata.nextLink").asText()) : null;
            if (next != null) {
                assertThat(next.toString()).startsWith(sim.baseUrl() + "/v1.0/security/incidents?")
                        .contains("$expand=alerts").contains("$skip=3");
            }
        }
        assertThat(pages).isEqualTo(2);
        assertThat(seen).containsExactly("105", "104", "103", "102");
    }

    @Test
    void evolvable_members_and_unknown_fields_pass_through_only_to_clients_that_opt_in() throws Exception {
        ObjectNode alert = factory.newAlert(T0, "high", "7");
        alert.put("serviceSource", "microsoftSentinel");
        sim.alerts(TENANT).put(alert);
        sim.incidents(TENANT).update("7", e -> e.put("status", "awaitingAction").put("someFutureProperty", "kept"));

        JsonNode plain = ok(get("/v1.0/security/incidents/7?$expand=alerts", null));
        assertThat(plain.get("status").asText()).isEqualTo("unknownFutureValue");
        assertThat(plain.get("alerts").get(0).get("serviceSource").asText()).isEqualTo("unknownFutureValue");
        assertThat(plain.get("someFutureProperty").asText()).isEqualTo("kept");
        JsonNode opted = ok(get("/v1.0/security/incidents?$expand=alerts", "include-unknown-enum-members"))
                .get("value").get(0);
        assertThat(opted.get("status").asText()).isEqualTo("awaitingAction");
        assertThat(opted.get("alerts").get(0).get("serviceSource").asText()).isEqualTo("microsoftSentinel");
        assertThat(error(get("/v1.0/security/incidents?$expand=evidence", null)))
                .isEqualTo("400 BadRequest Could not find a property named 'evidence' on type 'microsoft.graph.security.incident'.");
    }

    /** Alerts of one incident created a minute apart from T0 + {@code minutes}, in the order of the severities. */
    private List<ObjectNode> addIncident(String incidentId, int minutes, String... severities) {
        List<ObjectNode> alerts = new ArrayList<>();
        for (int i = 0; i < severities.length; i++) {
            alerts.add(factory.newAlert(T0.plusSeconds(60L * (minutes + i)), severities[i], incidentId));
        }
        sim.alerts(TENANT).putAll(alerts);
        return alerts;
    }

    private HttpResponse<String> get(String path, String prefer) throws Exception {
        return http.send("GET", URI.create(sim.baseUrl() + path), token, null, "application/json", prefer);
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> ids(List<ObjectNode> alerts) {
        return alerts.stream().map(a -> a.get("id").asText()).toList();
    }

    private static List<String> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(a -> a.get("id").asText()).toList();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
