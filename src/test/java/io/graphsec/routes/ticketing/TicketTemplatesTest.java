package io.graphsec.routes.ticketing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.config.ConfigFiles.ConfigFile;
import io.graphsec.routes.config.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shipped ticket templates against the scope TicketScope makes, and the start-up check of the files. */
class TicketTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSTILE = "Evil \"x\"},\"injected\":\"{{correlationKey}} ${header.graphSeverity}\r\n<script>";

    private static Map<String, ConfigFile> shipped() throws IOException {
        Map<String, ConfigFile> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(Path.of("routes/templates"))) {
            for (Path f : list.toList()) {
                files.put(f.getFileName().toString(), new ConfigFile(f.toString(), Files.readString(f)));
            }
        }
        return files;
    }

    private static ObjectNode context(String route) {
        ObjectNode ctx = JSON.createObjectNode();
        ObjectNode alert = ctx.putObject("alert").put("id", "da1").put("title", HOSTILE).put("description", "line 1\nline 2");
        ctx.set("entity", alert);
        ctx.putObject("incident").put("id", "42");
        ctx.putObject("header").put("graphSeverity", "medium").put("graphRoute", route).put("graphAlertId", "da1");
        ctx.put("correlationKey", "graph:t:42").put("correlationLabel", "graph-incident-42").put("event", "created");
        return ctx;
    }

    @Test
    void a_hostile_title_stays_one_json_string_and_the_route_picks_urgency_and_priority() throws Exception {
        TicketTemplates sn = TicketTemplates.of("routes/templates", shipped(), "servicenow");
        JsonNode created = sn.body("servicenow-create.json.mustache", context("high"));
        assertThat(created.get("short_description").asText()).isEqualTo("[Defender medium] "
                + HOSTILE.replace("\r\n", "  "));
        assertThat(created.has("injected")).isFalse();
        assertThat(created.get("description").asText()).startsWith("line 1 line 2\n\nIncident: 42 \nAlert: da1 ");
        assertThat(created.get("urgency").asText()).isEqualTo("1");
        assertThat(sn.body("servicenow-create.json.mustache", context("low")).get("urgency").asText()).isEqualTo("3");
        assertThat(sn.body("servicenow-create.json.mustache", context("unheard-of")).get("impact").asText()).isEqualTo("2");

        TicketTemplates jira = TicketTemplates.of("routes/templates", shipped(), "jira");
        JsonNode issue = jira.body("jira-create.json.mustache", context("medium"));
        assertThat(issue.path("fields").path("priority").path("name").asText()).isEqualTo("High");
        assertThat(issue.path("fields").path("labels")).extracting(JsonNode::asText)
                .containsExactly("graph-security", "graph-incident-42");
    }

    @Test
    void each_note_kind_has_its_text_and_an_unknown_kind_writes_nothing() throws Exception {
        TicketTemplates sn = TicketTemplates.of("routes/templates", shipped(), "servicenow");
        ObjectNode ctx = context("high");
        assertThat(sn.note("alertAdded", ctx)).isEqualTo("Alert added to this incident: " + HOSTILE.replace("\r\n", "  ")
                + " (severity medium).");
        for (String kind : new String[] {"alertResolved", "alertReopened", "allAlertsResolved", "incidentResolved",
            "incidentReopened", "severityRaised", "statusChanged", "priorityRaised", "awaitingAction", "redirected", "mergedInto"}) {
            assertThat(sn.note(kind, ctx)).as(kind).isNotBlank().doesNotContain("\n");
        }
        assertThat(sn.note("noSuchKind", ctx)).isEmpty();
        assertThat(sn.text(TicketTemplates.GRAPH_COMMENT, ctx.deepCopy().set("ticket", JSON.createObjectNode()
                .put("system", "ServiceNow").put("number", "INC0010001").put("url", "https://sn/x"))))
                .isEqualTo("ServiceNow INC0010001 opened: https://sn/x");
    }

    @Test
    void a_missing_or_broken_template_stops_the_start_naming_it() throws Exception {
        Map<String, ConfigFile> files = shipped();
        files.remove("jira-comment.json.mustache");
        assertThatThrownBy(() -> TicketTemplates.of("routes/templates", files, "jira"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("graph.tickets.templates=routes/templates: jira-comment.json.mustache found neither");
        files.put("servicenow-note.json.mustache", new ConfigFile("config/servicenow-note.json.mustache",
                "{ \"work_notes\": {{{note}}} }"));
        assertThatThrownBy(() -> TicketTemplates.of("routes/templates", files, "servicenow"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("template config/servicenow-note.json.mustache does not compile")
                .hasMessageContaining("{{{note}}} is unescaped");
        files.put("servicenow-note.json.mustache", new ConfigFile("config/servicenow-note.json.mustache",
                "{ \"work_notes\": \"{{note}} {{alrt.title}}\" }"));
        assertThatThrownBy(() -> TicketTemplates.of("routes/templates", files, "servicenow"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("template config/servicenow-note.json.mustache: {{alrt.title}} is not a value tickets have");
    }
}
