package io.graphsec.routes.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GraphPageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void each_item_keeps_the_exact_text_graph_sent_and_the_rest_of_the_page_is_read_as_before() throws Exception {
        String first = "{\"id\":\"a1\",\"title\":\"caf\u00e9 \u2603 \\u00e9\\\"q\\\"\",\"evidence\":[{\"x\":[1,2.50,{}]}],\"n\":null}";
        String second = "{ \"id\" : \"a2\",\n  \"severity\":\"high\" }";
        String page = "{\"@odata.context\":\"ctx\",\"@odata.count\":3,\"value\":[" + first + " ,\n" + second
                + ",42,null],\"@odata.nextLink\":\"https://graph/next\"}";

        GraphPage read = GraphPage.read(JSON, page.getBytes(StandardCharsets.UTF_8), ItemFields.WHOLE);

        assertThat(read.tree()).isEqualTo(JSON.readTree(page));
        JsonNode items = read.tree().get("value");
        assertThat(read.itemTexts().get(items.get(0))).isEqualTo(first);
        assertThat(read.itemTexts().get(items.get(1))).isEqualTo(second);
        assertThat(read.itemTexts().get(items.get(2))).isEqualTo("42");
        assertThat(read.itemTexts().get(items.get(3))).isEqualTo("null");
        // By identity: an equal tree that is not the page's item has no text.
        assertThat(read.itemTexts().get(JSON.readTree(first))).isNull();
    }

    @Test
    void a_page_that_is_not_an_object_is_returned_as_read() throws Exception {
        assertThat(GraphPage.read(JSON, "[1,2]".getBytes(StandardCharsets.UTF_8), ItemFields.WHOLE).tree().isArray()).isTrue();
        assertThat(GraphPage.read(JSON, "{\"value\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8), ItemFields.WHOLE).tree()
                .path("value").isObject()).isTrue();
    }

    @Test
    void a_cut_or_broken_page_is_refused_as_invalid_json() {
        for (String bad : new String[] {"{\"value\":[{\"id\":\"a1\"}", "{\"value\":[{\"id\":\"a1\"},", "{\"value\":[]",
                "{\"value\":[{\"id\":}]}", "{\"value\":[1 2]}"}) {
            assertThatThrownBy(() -> GraphPage.read(JSON, bad.getBytes(StandardCharsets.UTF_8), ItemFields.WHOLE)).as(bad)
                    .isInstanceOf(JsonProcessingException.class);
        }
    }
}
