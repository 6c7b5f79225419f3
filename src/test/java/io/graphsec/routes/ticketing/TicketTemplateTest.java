package io.graphsec.routes.ticketing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapping file's template syntax, and the start-up check of the file. */
class TicketTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode yaml(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static final String CONTEXT = "{\"alert\":{\"title\":\"Evil \\\"x\\\"\\r\\n<script>\",\"tags\":[\"a\",\"b\"]},"
            + "\"incident\":{},\"header\":{\"graphSeverity\":\"high\"}}";

    @Test
    void values_stay_json_strings_whatever_they_contain() throws Exception {
        JsonNode out = TicketTemplate.render(yaml("{\"summary\":\"[${header.graphSeverity}] ${alert.title}\"}"),
                yaml(CONTEXT), "t");
        assertThat(out.get("summary").asText()).isEqualTo("[high] Evil \"x\"\r\n<script>");
        assertThat(out.toString()).isEqualTo("{\"summary\":\"[high] Evil \\\"x\\\"\\r\\n<script>\"}");
    }

    @Test
    void alternatives_length_and_types() throws Exception {
        JsonNode ctx = yaml(CONTEXT);
        assertThat(TicketTemplate.text(yaml("\"${incident.displayName|alert.title:8}\""), ctx, "t")).isEqualTo("Evil \"x…");
        assertThat(TicketTemplate.text(yaml("\"${incident.displayName|'none'}\""), ctx, "t")).isEqualTo("none");
        assertThat(TicketTemplate.text(yaml("\"${alert.title:40}\""), ctx, "t")).isEqualTo("Evil \"x\"  <script>");
        assertThat(TicketTemplate.render(yaml("\"${alert.tags}\""), ctx, "t").isArray()).isTrue();
        assertThat(TicketTemplate.text(yaml("\"tags: ${alert.tags}\""), ctx, "t")).isEqualTo("tags: a, b");
        assertThat(TicketTemplate.render(yaml("[\"x\", \"${incident.id}\"]"), ctx, "t").toString()).isEqualTo("[\"x\"]");
    }

    @Test
    void a_map_looks_the_value_up_and_an_unmapped_value_names_the_field() throws Exception {
        JsonNode ctx = yaml(CONTEXT);
        assertThat(TicketTemplate.text(yaml("{\"value\":\"${header.graphSeverity}\",\"map\":{\"high\":\"1\"}}"), ctx, "u"))
                .isEqualTo("1");
        assertThatThrownBy(() -> TicketTemplate.render(yaml("{\"value\":\"${alert.title:20}\",\"map\":{\"high\":\"1\"}}"),
                ctx, "servicenow.create.urgency"))
                .isInstanceOf(TicketingRejectedException.class)
                .hasMessage("ticket mapping servicenow.create.urgency: no entry for 'Evil \"x\"  <script>' in its map and no default");
    }

    @Test
    void the_shipped_mapping_passes_the_check_and_a_typo_stops_the_start(@TempDir Path dir) throws Exception {
        for (String system : new String[] {"servicenow", "jira", "webhook"}) {
            assertThat(TicketingBinder.loadMapping(Path.of("routes/ticket-mapping.yaml"), system).path(system).isObject()).isTrue();
        }
        Path bad = Files.writeString(dir.resolve("bad.yaml"),
                "servicenow:\n  create:\n    short_description: \"${alrt.title}\"\n  resolve: {state: \"6\"}\n");
        assertThatThrownBy(() -> TicketingBinder.loadMapping(bad, "servicenow"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mapping.servicenow.create.short_description: '${alrt.title}' starts with 'alrt'")
                .hasMessageContaining("servicenow.note is missing");
    }
}
