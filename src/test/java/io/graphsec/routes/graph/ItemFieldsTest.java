package io.graphsec.routes.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.enrich.AlertEnricher;
import io.graphsec.routes.simulator.AlertFactory;
import java.time.Instant;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ItemFieldsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ItemFields FIELDS = ItemFields.whole("id", "version")
            .and("evidence", ItemFields.whole("kind", "account"))
            .keyedBy("id", "version");

    @Test
    void only_the_chosen_fields_become_the_tree_and_the_text_stays_whole() throws Exception {
        String alert = "{\"id\":\"a1\",\"title\":\"skipped \\\"quoted\\\" {[\",\"version\":\"v1\","
                + "\"evidence\":[{\"kind\":\"user\",\"account\":{\"upn\":\"u@x\",\"sid\":[1,2]},\"big\":{\"deep\":[[[]]]}},"
                + "\"not an object\",7],\"comments\":[{\"id\":\"c\"}]}";
        GraphPage page = GraphPage.read(JSON, ("{\"value\":[" + alert + "]}").getBytes(StandardCharsets.UTF_8), FIELDS);

        JsonNode item = page.tree().get("value").get(0);
        assertThat(item).isEqualTo(JSON.readTree("{\"id\":\"a1\",\"version\":\"v1\",\"evidence\":"
                + "[{\"kind\":\"user\",\"account\":{\"upn\":\"u@x\",\"sid\":[1,2]}},\"not an object\",7]}"));
        assertThat(page.itemTexts().get(item)).isEqualTo(alert);
    }

    @Test
    void an_item_without_its_identifying_fields_is_read_whole() throws Exception {
        // The poll keys such an item by its whole content: a partial tree would make different items look alike.
        for (String alert : new String[] {"{\"id\":\"a1\",\"title\":\"t\"}", "{\"id\":\" \",\"version\":\"v\",\"title\":\"t\"}",
                "{\"id\":5,\"version\":\"v\",\"title\":\"t\"}"}) {
            GraphPage page = GraphPage.read(JSON, ("{\"value\":[" + alert + ",3]}").getBytes(StandardCharsets.UTF_8), FIELDS);
            assertThat(page.tree().get("value").get(0)).as(alert).isEqualTo(JSON.readTree(alert));
            assertThat(page.tree().get("value").get(1).asInt()).isEqualTo(3);
        }
    }

    @Test
    void the_alert_fields_give_the_enricher_every_header_the_whole_alert_gives() throws Exception {
        AlertFactory factory = new AlertFactory(7, "tenant-1");
        try (CamelContext camel = new DefaultCamelContext()) {
            AlertEnricher enricher = new AlertEnricher("https://portal");
            for (int i = 0; i < 200; i++) {
                String alert = JSON.writeValueAsString(factory.newAlert(Instant.parse("2026-11-25T10:00:00Z").plusSeconds(i),
                        i % 10 == 0 ? "inc-" + i : null));
                GraphPage page = GraphPage.read(JSON, ("{\"value\":[" + alert + "]}").getBytes(StandardCharsets.UTF_8),
                        AlertEnricher.FIELDS_READ);
                JsonNode partial = page.tree().get("value").get(0);
                assertThat(partial.size()).isLessThan(JSON.readTree(alert).size());

                Exchange fromPartial = new DefaultExchange(camel);
                fromPartial.getIn().setBody(partial);
                enricher.enrich(fromPartial);
                Exchange fromWhole = new DefaultExchange(camel);
                fromWhole.getIn().setBody(JSON.readTree(alert));
                enricher.enrich(fromWhole);
                assertThat(fromPartial.getIn().getHeaders()).as(alert).isEqualTo(fromWhole.getIn().getHeaders());
                assertThat(fromWhole.getIn().getHeader("graphEvidenceSummary", String.class)).contains("evidenceCount");
            }
        }
    }
}
