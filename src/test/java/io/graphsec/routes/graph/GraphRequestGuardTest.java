package io.graphsec.routes.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class GraphRequestGuardTest {

    private final GraphRequestGuard guard = new GraphRequestGuard(
            () -> List.of("https://graph.microsoft.com", "https://graph.microsoft.us"));

    @Test
    void plain_graph_urls_and_nextlinks_on_a_tenants_host_pass() {
        for (String url : List.of("https://graph.microsoft.com/v1.0/security/alerts_v2/da637551227677560813_-961444813",
                "https://graph.microsoft.com/v1.0/security/alerts_v2?$filter=lastUpdateDateTime%20ge%202026-12-01T00:00:00Z"
                        + "&$top=500&$skiptoken=RFNwdAIAAQAAABQ6YTox",
                "https://graph.microsoft.us:443/v1.0/security/incidents/2972395/comments")) {
            assertThat(guard.problem(url)).as(url).isEmpty();
        }
    }

    @Test
    void urls_that_could_steer_camel_http_or_leave_graph_are_refused_naming_the_url_escaped() {
        for (String url : List.of("https://graph.microsoft.com/v1.0/security/alerts_v2/{{graph.client-secret}}",
                "https://graph.microsoft.com/v1.0/security/alerts_v2/${body}",
                "https://graph.microsoft.com/v1.0/security/alerts_v2/%7B%7Bgraph.client-secret%7d%7D",
                "https://graph.microsoft.com/v1.0/security/alerts_v2/a b",
                "https://graph.microsoft.com/v1.0/security/alerts_v2/a\r\nHost: evil",
                "https://graph.microsoft.com/v1.0/security/alerts_v2/../../me",
                "https://graph.microsoft.com/v1.0/security/alerts_v2/%2e%2e/me",
                "https://graph.microsoft.com/v1.0/security/alerts_v2#x",
                "https://user:pw@graph.microsoft.com/v1.0/security/alerts_v2",
                "https://graph.microsoft.com.evil.example/v1.0/security/alerts_v2",
                "http://graph.microsoft.com/v1.0/security/alerts_v2",
                "/v1.0/security/alerts_v2")) {
            assertThat(guard.problem(url)).as(url).hasValueSatisfying(p -> assertThat(p).endsWith("not sent")
                    .doesNotContain("{", "}", "\r", "\n"));
        }
    }

    @Test
    void check_refuses_the_exchange_and_drops_headers_that_would_change_the_url() {
        Exchange ok = new DefaultExchange(new DefaultCamelContext());
        ok.getIn().setHeader(Exchange.HTTP_URI, "https://graph.microsoft.com/v1.0/security/alerts_v2");
        ok.getIn().setHeader(Exchange.HTTP_PATH, "/{{graph.client-secret}}");
        ok.getIn().setHeader(Exchange.HTTP_QUERY, "a={{graph.client-secret}}");
        guard.check(ok);
        assertThat(ok.getIn().getHeaders()).containsOnlyKeys(Exchange.HTTP_URI);

        Exchange bad = new DefaultExchange(new DefaultCamelContext());
        bad.getIn().setHeader(Exchange.HTTP_URI, "https://graph.microsoft.com/v1.0/security/alerts_v2/{{sys:user.name}}");
        assertThatThrownBy(() -> guard.check(bad)).isInstanceOf(UnsafeGraphRequestException.class)
                .hasMessageContaining("\\u007b\\u007bsys:user.name\\u007d\\u007d");
        Exchange none = new DefaultExchange(new DefaultCamelContext());
        assertThatThrownBy(() -> guard.check(none)).isInstanceOf(UnsafeGraphRequestException.class);
    }
}
