package io.graphsec.routes.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Header and body values are data: written escaped for the template's kind, never read as a template. */
class AlertTemplateTest {

    /** Ends a JSON string and adds a field, a mustache tag, a Camel expression and placeholder, a new line. */
    static final String HOSTILE = "Evil \"},\"injected\":\"x {{graphAlertId}} ${header.graphSeverity} {{sys:user.name}}\r\nnext\\ \u0001";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void a_json_template_writes_hostile_values_as_literal_json_strings() throws Exception {
        AlertTemplate t = template("event.json.mustache",
                "{ \"title\": \"{{alert.title}}\",\n  \"severity\": \"{{graphSeverity}}\", \"h\": \"{{graphTitle}}\",\n"
                        + "  \"event\": {{{alertJson}}} }");
        String out = t.render(exchange());

        assertThat(out).doesNotContain("\n").doesNotContain("\r");
        JsonNode json = JSON.readTree(out);
        assertThat(json.get("title").asText()).isEqualTo(HOSTILE);
        assertThat(json.get("h").asText()).isEqualTo(HOSTILE);
        assertThat(json.get("severity").asText()).isEqualTo("high");
        assertThat(json.get("event").get("title").asText()).isEqualTo(HOSTILE);
        assertThat(json.has("injected")).isFalse();
        assertThat(json.size()).isEqualTo(4);
    }

    @Test
    void a_text_template_writes_values_as_they_are_without_html_escaping() throws Exception {
        AlertTemplate t = template("message.txt", "[{{graphSeverity}}] {{alert.title}} <{{graphPortalUrl}}>");
        assertThat(t.render(exchange()))
                .isEqualTo("[high] " + HOSTILE + " <https://security.microsoft.com/alerts/da1?a=1&b=2>");
    }

    @Test
    void a_template_is_compiled_once_so_a_later_edit_of_its_file_changes_nothing_until_restart() throws Exception {
        AlertTemplate t = template("once.txt", "first {{graphSeverity}}");
        t.compile();
        Files.writeString(dir.resolve("once.txt"), "second {{graphSeverity}}");
        assertThat(t.render(exchange())).isEqualTo("first high");
        assertThat(t.render(exchange())).isEqualTo("first high");
    }

    @Test
    void unescaped_values_in_json_partials_and_unknown_kinds_are_refused_naming_the_file() throws Exception {
        assertThatThrownBy(() -> template("raw.json", "{\"t\": {{{alert.title}}}}").compile())
                .hasMessageContaining("raw.json").hasMessageContaining("{{{alert.title}}} is unescaped");
        assertThatThrownBy(() -> template("amp.json", "{\"t\": \"{{& graphTitle}}\"}").compile())
                .hasMessageContaining("{{{graphTitle}}} is unescaped");
        assertThatThrownBy(() -> template("partial.txt", "{{> /etc/passwd}}").compile())
                .hasMessageContaining("partial.txt").hasMessageContaining("would read another file");
        assertThatThrownBy(() -> template("page.html", "{{x}}").compile())
                .hasMessageContaining("must end in .json or .txt");
        AlertTemplate missing = new AlertTemplate();
        missing.setFile("file:" + dir.resolve("absent.json"));
        assertThatThrownBy(missing::compile).hasMessageContaining("absent.json").hasMessageContaining("cannot be read");
    }

    @Test
    void a_relative_template_is_read_from_the_configuration_folder_first_then_from_the_jar() throws Exception {
        String shipped = "routes/examples/daily-ndjson-line.json.mustache";
        AlertTemplate fromJar = new AlertTemplate();
        fromJar.setFile(shipped);
        fromJar.setFolder(dir.toString());
        assertThat(JSON.readTree(fromJar.render(exchange())).findValuesAsText("id")).as("the jar's copy").contains("da1");

        Files.createDirectories(dir.resolve("routes/examples"));
        Files.writeString(dir.resolve(shipped), "{\"edited\": \"{{graphSeverity}}\"}");
        AlertTemplate edited = new AlertTemplate();
        edited.setFile(shipped);
        edited.setFolder(dir.toString());
        assertThat(edited.render(exchange())).as("the folder's copy wins").isEqualTo("{\"edited\":\"high\"}");

        AlertTemplate absent = new AlertTemplate();
        absent.setFile("routes/examples/none.json");
        absent.setFolder(dir.toString());
        assertThatThrownBy(absent::compile).hasMessageContaining(dir.resolve("routes/examples/none.json").toString())
                .hasMessageContaining("the jar carries no routes/examples/none.json");
    }

    @Test
    void a_json_template_that_renders_no_json_fails_naming_the_template() throws Exception {
        AlertTemplate t = template("broken.json", "{\"t\": {{graphSeverity}}}");
        assertThatThrownBy(() -> t.render(exchange()))
                .hasMessageContaining("broken.json did not render one JSON value");
    }

    private AlertTemplate template(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        AlertTemplate t = new AlertTemplate();
        t.setFile("file:" + file);
        return t;
    }

    private static Exchange exchange() {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setBody(JSON.createObjectNode().put("id", "da1").put("title", HOSTILE).put("severity", "high").toString());
        e.getMessage().setHeader("graphAlertId", "da1");
        e.getMessage().setHeader("graphSeverity", "high");
        e.getMessage().setHeader("graphTitle", HOSTILE);
        e.getMessage().setHeader("graphPortalUrl", "https://security.microsoft.com/alerts/da1?a=1&b=2");
        e.getMessage().setHeader("JMSCorrelationID", "not for templates");
        return e;
    }
}
