package io.graphsec.routes.securescore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsec.routes.graph.GraphPageException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class SecureScoreReaderTest {

    private static final String GRAPH = "https://graph.example";
    private final DefaultCamelContext context = new DefaultCamelContext();
    private final SecureScoreReader reader = new SecureScoreReader(exchange -> GRAPH);

    @Test
    void reads_the_two_newest_records_then_follows_every_profile_page_to_the_end() {
        Exchange flow = new DefaultExchange(context);
        reader.startScores(flow);
        assertThat(flow.getProperty("graphReadUrl")).isEqualTo(GRAPH + "/v1.0/security/secureScores?$top=2");
        reader.aggregate(flow, page("{\"value\":[{\"id\":\"t_2026-11-25\"},{\"id\":\"t_2026-11-24\"}]}"));
        assertThat(reader.needsPage(flow)).isFalse();

        reader.startProfiles(flow);
        reader.aggregate(flow, page("{\"value\":[{\"id\":\"A\"},{\"id\":\"B\"}],\"@odata.nextLink\":\"" + GRAPH
                + "/v1.0/security/secureScoreControlProfiles?$skip=2\"}"));
        assertThat(reader.needsPage(flow)).isTrue();
        reader.aggregate(flow, page("{\"value\":[{\"id\":\"C\"}]}"));
        assertThat(reader.needsPage(flow)).isFalse();

        SecureScoreReading reading = flow.getProperty(SecureScoreReader.READING, SecureScoreReading.class);
        assertThat(reading.today().get("id").asText()).isEqualTo("t_2026-11-25");
        assertThat(reading.previous().get("id").asText()).isEqualTo("t_2026-11-24");
        assertThat(reading.profiles()).containsOnlyKeys("A", "B", "C");
        assertThat(reading.profilePages()).isEqualTo(2);
    }

    @Test
    void a_next_link_outside_graph_or_back_to_a_page_read_is_refused() {
        Exchange flow = profilesStarted();
        assertThatThrownBy(() -> reader.aggregate(flow,
                page("{\"value\":[],\"@odata.nextLink\":\"https://graph.example.evil.com/v1.0/x\"}")))
                .isInstanceOf(GraphPageException.class).hasMessageContaining("leaves graph.base-url");
        Exchange again = profilesStarted();
        assertThatThrownBy(() -> reader.aggregate(again, page("{\"value\":[],\"@odata.nextLink\":\"" + GRAPH
                + "/v1.0/security/secureScoreControlProfiles\"}")))
                .isInstanceOf(GraphPageException.class).hasMessageContaining("paging loop");
    }

    @Test
    void no_daily_record_a_404_or_a_page_without_value_fails_the_run_saying_so() {
        Exchange flow = new DefaultExchange(context);
        reader.startScores(flow);
        assertThatThrownBy(() -> reader.aggregate(flow, page("{\"value\":[]}")))
                .isInstanceOf(GraphPageException.class).hasMessageContaining("no daily record");
        Exchange notFound = page("");
        notFound.getIn().setHeader("graphReadNotFound", true);
        assertThatThrownBy(() -> reader.aggregate(flow, notFound)).hasMessageContaining("404");
        assertThatThrownBy(() -> reader.aggregate(profilesStarted(), page("{\"error\":{}}")))
                .hasMessageContaining("secureScoreControlProfiles page 1 has no \"value\" array");
    }

    private Exchange profilesStarted() {
        Exchange flow = new DefaultExchange(context);
        reader.startScores(flow);
        reader.aggregate(flow, page("{\"value\":[{\"id\":\"t_2026-11-25\"}]}"));
        reader.startProfiles(flow);
        return flow;
    }

    private Exchange page(String body) {
        Exchange page = new DefaultExchange(context);
        page.getIn().setBody(body);
        return page;
    }
}
