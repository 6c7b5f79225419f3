package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.CapturingHttpServer;
import io.graphsec.routes.support.CapturingHttpServer.Request;
import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.RunningApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/**
 * The recipes of routes/examples/, each added to the routes the way the README says
 * (camel.main.routes-include-pattern), run against the simulated tenant: the exact request or file
 * each produces for its alerts, a hostile title arriving as literal text, secrets in no log.
 */
class RecipesTest extends AgainstSimulatedTenant {

    /** Ends a JSON string and adds a field, a mustache tag, a simple expression, placeholders and a new line. */
    static final String HOSTILE = "Evil \"},\"injected\":\"x {{graph.client-secret}} ${header.graphSeverity} "
            + "{{sys:user.name}} <https://evil.example|click> \\\r\nforged line";
    private static final String DEFAULT_ROUTES = "file:routes/*.camel.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_splunk_recipe_posts_each_high_alert_as_one_hec_event_with_the_token_from_configuration_only() throws Exception {
        String token = "hec-T0ken-7f3c-Qz9w";
        List<ObjectNode> high = addHighAlertsAndOneMedium();
        try (CapturingHttpServer splunk = new CapturingHttpServer("{\"text\":\"Success\",\"code\":0}", 500)) {
            props.put("camel.main.routes-include-pattern", DEFAULT_ROUTES + ",file:routes/examples/splunk-hec.yaml");
            props.put("graph.recipes.splunk.url", splunk.base());
            props.put("graph.recipes.splunk.token", token);
            try (LogCapture log = new LogCapture(Map.of("io.graphsec", Level.DEBUG, "org.apache.camel.component.http", Level.DEBUG));
                    RunningApp app = RunningApp.start(props)) {
                List<Request> accepted = awaitAccepted(splunk, high.size());
                assertThat(splunk.requests()).as("the 500 answered first, then retried").hasSize(high.size() + 1);

                for (Request r : splunk.requests()) {
                    assertThat(r.method()).isEqualTo("POST");
                    assertThat(r.path()).isEqualTo("/services/collector/event");
                    assertThat(r.query()).isNull();
                    assertThat(r.header("Authorization")).isEqualTo("Splunk " + token);
                    assertThat(r.header("Content-Type")).startsWith("application/json");
                    assertThat(r.headers().keySet()).as("no message header of ours becomes an HTTP header")
                            .noneMatch(h -> h.startsWith("graph") || h.startsWith("jms") || h.startsWith("camel"));
                }
                Map<String, JsonNode> events = byAlertId(accepted, b -> b.get("event").get("alertId").asText());
                assertThat(events.keySet()).isEqualTo(ids(high));
                for (ObjectNode alert : high) {
                    JsonNode hec = events.get(alert.get("id").asText());
                    assertThat(fieldNames(hec)).containsExactlyInAnyOrder("source", "sourcetype", "event");
                    assertThat(hec.get("source").asText()).isEqualTo("microsoft-graph-security");
                    assertThat(hec.get("sourcetype").asText()).isEqualTo("_json");
                    JsonNode event = hec.get("event");
                    assertThat(fieldNames(event)).containsExactlyInAnyOrder("alertId", "title", "severity", "eventType", "status",
                            "serviceSource", "tenantId", "portalUrl", "alert");
                    assertThat(event.get("title").asText()).isEqualTo(alert.get("title").asText());
                    assertThat(event.get("severity").asText()).isEqualTo("high");
                    assertThat(event.get("eventType").asText()).isEqualTo("created");
                    assertThat(event.get("status").asText()).isEqualTo(alert.get("status").asText());
                    assertThat(event.get("serviceSource").asText()).isEqualTo(alert.get("serviceSource").asText());
                    assertThat(event.get("tenantId").asText()).isEqualTo(alert.get("tenantId").asText());
                    assertThat(event.get("portalUrl").asText()).isEqualTo(alert.get("alertWebUrl").asText());
                    assertThat(event.get("alert")).isEqualTo(JSON.readTree(alert.toString()));
                }
                assertThat(events.get(high.get(0).get("id").asText()).get("event").get("title").asText()).isEqualTo(HOSTILE);
                await().atMost(Duration.ofSeconds(5)).until(() -> log.contains("Splunk HEC took alert " + high.get(1).get("id").asText()));
                assertThat(log.text()).as("the log, retries included").contains("On delivery attempt").doesNotContain(token);
            }
        }
    }

    @Test
    void the_chat_recipe_posts_a_slack_message_with_title_severity_and_portal_link_to_the_secret_address() throws Exception {
        String secretPath = "/services/T0001/B0002/s3cretWebhookXyz";
        List<ObjectNode> high = addHighAlertsAndOneMedium();
        try (CapturingHttpServer chat = new CapturingHttpServer("ok", 500)) {
            props.put("camel.main.routes-include-pattern", DEFAULT_ROUTES + ",file:routes/examples/chat-webhook.yaml");
            props.put("graph.recipes.chat.url", chat.base());
            props.put("graph.recipes.chat.path", secretPath);
            try (LogCapture log = new LogCapture(Map.of("io.graphsec", Level.DEBUG, "org.apache.camel.component.http", Level.DEBUG));
                    RunningApp app = RunningApp.start(props)) {
                List<Request> accepted = awaitAccepted(chat, high.size());
                for (Request r : chat.requests()) {
                    assertThat(r.method()).isEqualTo("POST");
                    assertThat(r.path()).isEqualTo(secretPath);
                    assertThat(r.query()).isNull();
                    assertThat(r.header("Content-Type")).startsWith("application/json");
                    assertThat(r.header("Authorization")).isNull();
                    assertThat(r.headers().keySet()).noneMatch(h -> h.startsWith("graph") || h.startsWith("jms") || h.startsWith("camel"));
                }
                Map<String, JsonNode> messages = byAlertId(accepted,
                        b -> b.get("blocks").get(2).get("elements").get(0).get("url").asText());
                assertThat(messages.keySet()).isEqualTo(high.stream().map(a -> a.get("alertWebUrl").asText()).collect(Collectors.toSet()));
                for (ObjectNode alert : high) {
                    JsonNode m = messages.get(alert.get("alertWebUrl").asText());
                    assertThat(fieldNames(m)).containsExactlyInAnyOrder("text", "blocks");
                    assertThat(m.get("text").asText()).isEqualTo("Microsoft Defender: a high alert (created)");
                    JsonNode header = m.get("blocks").get(0);
                    assertThat(header.get("type").asText()).isEqualTo("header");
                    assertThat(header.get("text").get("type").asText()).isEqualTo("plain_text");
                    assertThat(header.get("text").get("text").asText()).isEqualTo(alert.get("title").asText());
                    List<String> fields = new ArrayList<>();
                    m.get("blocks").get(1).get("fields").forEach(f -> fields.add(f.get("type").asText() + ":" + f.get("text").asText()));
                    assertThat(fields).containsExactly("plain_text:Severity: high", "plain_text:Status: " + alert.get("status").asText(),
                            "plain_text:Event: created", "plain_text:Source: " + alert.get("serviceSource").asText());
                    assertThat(m.get("blocks")).hasSize(3);
                }
                assertThat(messages.get(high.get(0).get("alertWebUrl").asText()).get("blocks").get(0).get("text").get("text").asText())
                        .isEqualTo(HOSTILE);
                await().atMost(Duration.ofSeconds(5)).until(() -> log.contains("Chat webhook took alert " + high.get(1).get("id").asText()));
                assertThat(log.text()).contains("On delivery attempt").doesNotContain("s3cretWebhookXyz");
            }
        }
    }

    @Test
    void the_chat_recipe_with_the_teams_template_posts_exactly_this_adaptive_card_per_high_alert() throws Exception {
        List<ObjectNode> high = addHighAlertsAndOneMedium();
        try (CapturingHttpServer teams = new CapturingHttpServer("1")) {
            props.put("camel.main.routes-include-pattern", DEFAULT_ROUTES + ",file:routes/examples/chat-webhook.yaml");
            props.put("graph.recipes.chat.template", "routes/examples/chat-webhook-teams-message.json.mustache");
            props.put("graph.recipes.chat.url", teams.base());
            props.put("graph.recipes.chat.path", "/workflows/a1b2c3/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s3cretSig");
            try (RunningApp app = RunningApp.start(props)) {
                List<Request> accepted = awaitAccepted(teams, high.size());
                assertThat(accepted).allSatisfy(r -> {
                    assertThat(r.path()).isEqualTo("/workflows/a1b2c3/triggers/manual/paths/invoke");
                    assertThat(r.query()).isEqualTo("api-version=2016-06-01&sig=s3cretSig");
                });
                Map<String, JsonNode> cards = byAlertId(accepted, b -> b.get("attachments").get(0).get("content")
                        .get("actions").get(0).get("url").asText());
                for (ObjectNode alert : high) {
                    assertThat(cards.get(alert.get("alertWebUrl").asText())).as("the whole body").isEqualTo(teamsCard(alert));
                }
            }
        }
    }

    /** The body Teams must get for a created high alert: the template's card, the alert's values as plain text. */
    private static JsonNode teamsCard(ObjectNode alert) {
        ObjectNode card = JSON.createObjectNode().put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
                .put("type", "AdaptiveCard").put("version", "1.4");
        var body = card.putArray("body");
        body.addObject().put("type", "RichTextBlock").putArray("inlines").addObject().put("type", "TextRun")
                .put("text", "Microsoft Defender: a high alert (created)").put("weight", "Bolder");
        body.addObject().put("type", "RichTextBlock").putArray("inlines").addObject().put("type", "TextRun")
                .put("text", alert.get("title").asText()).put("size", "Medium");
        body.addObject().put("type", "RichTextBlock").putArray("inlines").addObject().put("type", "TextRun")
                .put("text", "Severity: high · Status: " + alert.get("status").asText() + " · Source: "
                        + alert.get("serviceSource").asText());
        card.putArray("actions").addObject().put("type", "Action.OpenUrl").put("title", "Open in Microsoft Defender")
                .put("url", alert.get("alertWebUrl").asText());
        ObjectNode message = JSON.createObjectNode().put("type", "message");
        message.putArray("attachments").addObject().put("contentType", "application/vnd.microsoft.card.adaptive")
                .set("content", card);
        return message;
    }

    @Test
    void the_ndjson_recipe_appends_one_json_line_per_high_alert_to_the_file_of_the_day() throws Exception {
        Path out = dir.resolve("ndjson");
        List<ObjectNode> high = addHighAlertsAndOneMedium();
        props.put("camel.main.routes-include-pattern", DEFAULT_ROUTES + ",file:routes/examples/daily-ndjson.yaml");
        props.put("graph.recipes.ndjson.dir", out.toString());
        // An earlier line of the day stays: the file is appended to.
        Files.createDirectories(out);
        Path today = out.resolve("alerts-" + LocalDate.now(ZoneOffset.UTC) + ".ndjson");
        Files.writeString(today, "{\"earlier\":true}\n");
        try (RunningApp app = RunningApp.start(props)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readAllLines(today).size() >= 1 + high.size());
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> Files.readAllLines(today).size() == 1 + high.size());
        }
        String text = Files.readString(today, StandardCharsets.UTF_8);
        assertThat(text).endsWith("}\n").doesNotContain("\r");
        assertThat(Files.list(out).map(p -> p.getFileName().toString())).containsExactly(today.getFileName().toString());
        List<String> lines = text.lines().collect(Collectors.toList());
        assertThat(lines.get(0)).isEqualTo("{\"earlier\":true}");
        Map<String, JsonNode> byId = new java.util.HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            JsonNode json = JSON.readTree(line);
            byId.put(json.get("alertId").asText(), json);
        }
        assertThat(byId.keySet()).isEqualTo(ids(high));
        for (ObjectNode alert : high) {
            JsonNode line = byId.get(alert.get("id").asText());
            assertThat(fieldNames(line)).containsExactlyInAnyOrder("alertId", "severity", "eventType", "tenantId", "portalUrl", "alert");
            assertThat(line.get("severity").asText()).isEqualTo("high");
            assertThat(line.get("eventType").asText()).isEqualTo("created");
            assertThat(line.get("tenantId").asText()).isEqualTo(alert.get("tenantId").asText());
            assertThat(line.get("portalUrl").asText()).isEqualTo(alert.get("alertWebUrl").asText());
            assertThat(line.get("alert")).isEqualTo(JSON.readTree(alert.toString()));
        }
        assertThat(byId.get(high.get(0).get("id").asText()).get("alert").get("title").asText()).isEqualTo(HOSTILE);
    }

    @Test
    void no_recipe_runs_unless_added_to_the_routes_include_pattern() throws Exception {
        try (RunningApp app = RunningApp.start(props)) {
            assertThat(app.context().getRoutes()).extracting(r -> r.getRouteId()).contains("graph-alerts-route")
                    .noneMatch(id -> id.startsWith("graph-recipe-"));
        }
    }

    /** Two high alerts (the first with the hostile title) and a medium one, which no recipe may see. */
    private List<ObjectNode> addHighAlertsAndOneMedium() {
        Instant now = Instant.now();
        ObjectNode hostile = tenant.newAlert(now.minusSeconds(3), "high");
        hostile.put("title", HOSTILE);
        ObjectNode plain = tenant.newAlert(now.minusSeconds(2), "high");
        ObjectNode medium = tenant.newAlert(now.minusSeconds(1), "medium");
        tenant.alerts().putAll(List.of(hostile, plain, medium));
        return List.of(hostile, plain);
    }

    private static List<Request> awaitAccepted(CapturingHttpServer server, int count) {
        await().atMost(Duration.ofSeconds(40)).until(() -> server.accepted().size() >= count);
        // One more poll or two: nothing further (the medium alert, a second copy) may arrive.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> server.accepted().size() == count);
        return server.accepted();
    }

    private static Map<String, JsonNode> byAlertId(List<Request> requests, java.util.function.Function<JsonNode, String> key) throws Exception {
        Map<String, JsonNode> by = new java.util.HashMap<>();
        for (Request r : requests) {
            JsonNode body = JSON.readTree(r.body());
            by.put(key.apply(body), body);
        }
        return by;
    }

    private static Set<String> ids(List<ObjectNode> alerts) {
        return alerts.stream().map(a -> a.get("id").asText()).collect(Collectors.toSet());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
