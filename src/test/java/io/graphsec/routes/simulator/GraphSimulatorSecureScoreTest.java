package io.graphsec.routes.simulator;

import static io.graphsec.routes.simulator.SimulatorHttp.JSON;
import static io.graphsec.routes.simulator.SimulatorHttp.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** secureScores and secureScoreControlProfiles as Graph serves them (shared/graph-security-api.md §4, §6.1, §7). */
class GraphSimulatorSecureScoreTest {

    private static final String TENANT = "00000001-0001-0001-0001-000000000001";
    @RegisterExtension
    final SimulatorExtension graph = new SimulatorExtension(TENANT, "SecurityEvents.ReadWrite.All");

    @Test
    void one_record_per_day_newest_first_with_the_documented_schema() throws Exception {
        graph.sim.secureScores(TENANT).seedDays(10);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        JsonNode page = ok(get("/v1.0/security/secureScores?$count=true"));
        assertThat(page.get("@odata.count").asInt()).isEqualTo(10);
        List<String> ids = new ArrayList<>();
        page.get("value").forEach(s -> ids.add(s.get("id").asText()));
        assertThat(ids).hasSize(10).first().isEqualTo(TENANT + "_" + today);
        assertThat(ids.get(9)).isEqualTo(TENANT + "_" + today.minusDays(9));

        JsonNode s = page.get("value").get(0);
        assertThat(s.get("azureTenantId").asText()).isEqualTo(TENANT);
        assertThat(s.get("createdDateTime").asText()).startsWith(today.toString());
        assertThat(s.get("activeUserCount").isInt()).isTrue();
        assertThat(s.get("licensedUserCount").isInt()).isTrue();
        assertThat(s.get("currentScore").isNumber()).isTrue();
        assertThat(s.get("maxScore").asDouble()).isGreaterThan(s.get("currentScore").asDouble());
        assertThat(s.get("enabledServices")).isNotEmpty();
        assertThat(s.get("averageComparativeScores").get(0).get("basis").asText()).isEqualTo("AllTenants");
        assertThat(s.get("averageComparativeScores").get(0).get("averageScore").isNumber()).isTrue();
        JsonNode control = s.get("controlScores").get(0);
        assertThat(control.fieldNames()).toIterable()
                .contains("controlCategory", "controlName", "description", "score");
        assertThat(s.get("vendorInformation").get("provider").asText()).isEqualTo("SecureScore");
        assertThat(s.get("vendorInformation").get("vendor").asText()).isEqualTo("Microsoft");
        double sum = 0;
        for (JsonNode c : s.get("controlScores")) {
            sum += c.get("score").asDouble();
        }
        assertThat(s.get("currentScore").asDouble()).isCloseTo(sum, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void top_skip_filter_nextlink_and_get_by_id() throws Exception {
        graph.sim.secureScores(TENANT).seedDays(10);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        JsonNode todayOnly = ok(get("/v1.0/security/secureScores?$top=1"));
        assertThat(todayOnly.get("value")).hasSize(1);
        assertThat(todayOnly.get("value").get(0).get("id").asText()).isEqualTo(TENANT + "_" + today);
        assertThat(todayOnly.get("@odata.nextLink").asText()).contains("$skip=1");

        JsonNode weekAgo = ok(get("/v1.0/security/secureScores?$top=1&$skip=7"));
        assertThat(weekAgo.get("value").get(0).get("id").asText()).isEqualTo(TENANT + "_" + today.minusDays(7));

        JsonNode next = ok(graph.http.send("GET", URI.create(todayOnly.get("@odata.nextLink").asText()), graph.token, null,
                "application/json", null));
        assertThat(next.get("value").get(0).get("id").asText()).isEqualTo(TENANT + "_" + today.minusDays(1));

        String since = today.minusDays(2) + "T00:00:00Z";
        JsonNode filtered = ok(get("/v1.0/security/secureScores?$filter="
                + URLEncoder.encode("createdDateTime ge " + since, StandardCharsets.UTF_8)));
        assertThat(filtered.get("value")).hasSize(3);

        String id = TENANT + "_" + today.minusDays(3);
        JsonNode one = ok(get("/v1.0/security/secureScores/" + id));
        assertThat(one.get("id").asText()).isEqualTo(id);
        assertThat(one.get("@odata.context").asText()).endsWith("#security/secureScores/$entity");
        assertThat(error(get("/v1.0/security/secureScores/" + TENANT + "_1999-01-01")))
                .startsWith("404 NotFound");
    }

    @Test
    void control_profiles_need_three_pages_and_carry_the_documented_schema() throws Exception {
        int total = graph.sim.secureScores(TENANT).profiles().size();
        assertThat(total).isGreaterThanOrEqualTo(25);

        List<JsonNode> all = new ArrayList<>();
        int pages = 0;
        JsonNode page = ok(get("/v1.0/security/secureScoreControlProfiles"));
        while (true) {
            pages++;
            page.get("value").forEach(all::add);
            if (!page.has("@odata.nextLink")) {
                break;
            }
            page = ok(graph.http.send("GET", URI.create(page.get("@odata.nextLink").asText()), graph.token, null, "application/json", null));
        }
        assertThat(pages).isGreaterThanOrEqualTo(3);
        Set<String> ids = new HashSet<>();
        all.forEach(p -> ids.add(p.get("id").asText()));
        assertThat(ids).hasSize(total).contains("DLPEnabled", "AdminMFAV2");

        JsonNode dlp = all.stream().filter(p -> p.get("id").asText().equals("DLPEnabled")).findFirst().orElseThrow();
        assertThat(dlp.fieldNames()).toIterable().contains("actionType", "actionUrl", "azureTenantId",
                "complianceInformation", "controlCategory", "controlStateUpdates", "deprecated", "implementationCost",
                "lastModifiedDateTime", "maxScore", "rank", "remediation", "remediationImpact", "service", "threats", "tier",
                "title", "userImpact", "vendorInformation");
        assertThat(dlp.get("controlCategory").asText()).isEqualTo("Data");
        assertThat(dlp.get("complianceInformation").get(0).get("certificationControls").get(0).has("name")).isTrue();

        JsonNode identity = ok(get("/v1.0/security/secureScoreControlProfiles?$top=100&$filter="
                + URLEncoder.encode("controlCategory eq 'Identity'", StandardCharsets.UTF_8)));
        assertThat(identity.get("value")).isNotEmpty()
                .allSatisfy(p -> assertThat(p.get("controlCategory").asText()).isEqualTo("Identity"));
    }

    @Test
    void a_control_implemented_or_resolved_through_a_third_party_scores_its_max_from_the_next_day() throws Exception {
        SecureScoreBook book = graph.sim.secureScores(TENANT).seedDays(3);
        book.unimplement("DLPEnabled").unimplement("AdminMFAV2");
        book.addDay();
        assertThat(controlScore(today(), "DLPEnabled")).isZero();

        book.implement("DLPEnabled");
        book.setState("AdminMFAV2", "ThirdParty", "secops@contoso.com", "Covered by our other MFA vendor", "admin@contoso.com");
        assertThat(controlScore(today(), "DLPEnabled")).as("today's record does not change in place").isZero();
        book.addDay();

        JsonNode today = today();
        assertThat(controlScore(today, "DLPEnabled")).isEqualTo(book.maxScore("DLPEnabled"));
        assertThat(controlScore(today, "AdminMFAV2")).isEqualTo(book.maxScore("AdminMFAV2"));
        assertThat(book.implemented("DLPEnabled")).isTrue();
        JsonNode profile = ok(get("/v1.0/security/secureScoreControlProfiles/AdminMFAV2"));
        JsonNode update = profile.get("controlStateUpdates").get(0);
        assertThat(update.get("state").asText()).isEqualTo("ThirdParty");
        assertThat(update.get("assignedTo").asText()).isEqualTo("secops@contoso.com");
        assertThat(update.get("updatedBy").asText()).isEqualTo("admin@contoso.com");
        assertThat(update.get("updatedDateTime").isTextual()).isTrue();

        book.setState("AdminMFAV2", "Ignored", null, "Risk accepted", "admin@contoso.com");
        book.addDay(42.5, Map.of("DLPEnabled", 4.0));
        assertThat(today().get("currentScore").asDouble()).isEqualTo(42.5);
        assertThat(controlScore(today(), "DLPEnabled")).isEqualTo(4.0);
        assertThat(controlScore(today(), "AdminMFAV2")).isZero();
        assertThat(ok(get("/v1.0/security/secureScores?$count=true")).get("@odata.count").asInt()).isEqualTo(6);
    }

    @Test
    void patch_of_a_profile_adds_a_state_update_and_needs_vendor_information() throws Exception {
        assertThat(error(graph.http.send("PATCH", "/v1.0/security/secureScoreControlProfiles/DLPEnabled", graph.token,
                "{\"state\":\"Reviewed\"}", "application/json"))).startsWith("400 BadRequest");
        HttpResponse<String> r = graph.http.send("PATCH", "/v1.0/security/secureScoreControlProfiles/DLPEnabled", graph.token,
                "{\"state\":\"Reviewed\",\"comment\":\"done\",\"vendorInformation\":{\"provider\":\"SecureScore\",\"vendor\":\"Microsoft\"}}",
                "application/json");
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(graph.sim.secureScores(TENANT).state("DLPEnabled")).isEqualTo("Reviewed");
        JsonNode update = graph.sim.secureScores(TENANT).profiles().stream().filter(p -> p.get("id").asText().equals("DLPEnabled"))
                .findFirst().orElseThrow().get("controlStateUpdates").get(0);
        assertThat(update.get("comment").asText()).isEqualTo("done");
        assertThat(update.get("updatedBy").asText()).as("the app that patched").isEqualTo("c");
        assertThat(error(graph.http.send("PATCH", "/v1.0/security/secureScoreControlProfiles/DLPEnabled", graph.token,
                "{\"state\":\"Done\",\"vendorInformation\":{\"provider\":\"SecureScore\",\"vendor\":\"Microsoft\"}}",
                "application/json"))).isEqualTo("400 BadRequest Invalid value 'Done' for property 'state'.");
    }

    @Test
    void a_fifth_concurrent_request_is_throttled_with_retry_after() throws Exception {
        graph.sim.secureScoreLimits().latency(Duration.ofSeconds(60));
        List<CompletableFuture<HttpResponse<String>>> calls = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            String path = i % 2 == 0 ? "/v1.0/security/secureScores?$top=1" : "/v1.0/security/secureScoreControlProfiles";
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return get(path);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        // Four are held by the latency; only the one over the limit can be answered before the release.
        await().atMost(Duration.ofSeconds(30)).until(() -> calls.stream().filter(CompletableFuture::isDone).count() == 1);
        HttpResponse<String> throttled = calls.stream().filter(CompletableFuture::isDone).findFirst().orElseThrow().join();
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(JSON.readTree(throttled.body()).get("error").get("code").asText()).isEqualTo("TooManyRequests");

        graph.sim.secureScoreLimits().latency(Duration.ZERO);
        List<Integer> statuses = new ArrayList<>();
        calls.forEach(c -> statuses.add(c.join().statusCode()));
        assertThat(statuses).containsOnly(200, 429).filteredOn(s -> s == 200).hasSize(4);
        assertThat(get("/v1.0/security/secureScores?$top=1").statusCode()).isEqualTo(200);
    }

    @Test
    void the_ten_minute_budget_is_shared_by_scores_and_profiles() throws Exception {
        graph.sim.secureScoreLimits().requestsPer10Minutes(3);
        assertThat(get("/v1.0/security/secureScores?$top=1").statusCode()).isEqualTo(200);
        assertThat(get("/v1.0/security/secureScoreControlProfiles").statusCode()).isEqualTo(200);
        assertThat(get("/v1.0/security/secureScores/" + graph.sim.secureScores(TENANT).todayId()).statusCode()).isEqualTo(200);
        HttpResponse<String> over = get("/v1.0/security/secureScoreControlProfiles");
        assertThat(error(over)).startsWith("429 TooManyRequests").contains("10 minutes");
        assertThat(Double.parseDouble(over.headers().firstValue("Retry-After").orElseThrow())).isGreaterThan(60);
    }

    @Test
    void reading_needs_a_security_events_role() throws Exception {
        graph.sim.registerClient(TENANT, "alerts-only", "a", "SecurityAlert.Read.All", "ThreatHunting.Read.All");
        String other = graph.http.token(TENANT, "alerts-only", "a");
        for (String path : List.of("/v1.0/security/secureScores", "/v1.0/security/secureScoreControlProfiles",
                "/v1.0/security/secureScores/" + graph.sim.secureScores(TENANT).todayId())) {
            HttpResponse<String> r = graph.http.send("GET", path, other, null, "application/json");
            assertThat(error(r)).startsWith("403 Forbidden").contains("SecurityEvents.Read.All");
        }
        graph.sim.registerClient(TENANT, "reader", "r", "SecurityEvents.Read.All");
        assertThat(graph.http.send("GET", "/v1.0/security/secureScores", graph.http.token(TENANT, "reader", "r"), null,
                "application/json").statusCode()).isEqualTo(200);
    }

    private JsonNode today() throws Exception {
        return ok(get("/v1.0/security/secureScores?$top=1")).get("value").get(0);
    }

    private static double controlScore(JsonNode score, String control) {
        for (JsonNode c : score.get("controlScores")) {
            if (c.get("controlName").asText().equals(control)) {
                return c.get("score").asDouble();
            }
        }
        throw new AssertionError("no control score for " + control);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return graph.http.send("GET", path, graph.token, null, "application/json");
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
