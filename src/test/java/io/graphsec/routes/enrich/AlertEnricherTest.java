package io.graphsec.routes.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class AlertEnricherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final AlertEnricher enricher = new AlertEnricher("https://security.microsoft.com/");
    private final AlertFactory factory = new AlertFactory(9, "tenant-9");

    private Exchange enrich(JsonNode alert) throws Exception {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getIn().setBody(alert);
        enricher.enrich(e);
        return e;
    }

    @Test
    void headers_route_and_prioritise_while_the_body_stays_graph_json() throws Exception {
        ObjectNode alert = factory.newAlert(Instant.parse("2026-11-25T10:00:00Z"), "high", "77");
        Exchange e = enrich(alert);
        assertThat(JSON.readTree(e.getIn().getBody(String.class))).isEqualTo(JSON.readTree(alert.toString()));
        assertThat(e.getIn().getHeader("graphRoute")).isEqualTo("high");
        assertThat(e.getIn().getHeader("JMSPriority")).isEqualTo(9);
        assertThat(e.getIn().getHeader("graphIncidentId")).isEqualTo("77");
        assertThat(e.getIn().getHeader("graphPortalUrl", String.class)).startsWith("https://security.microsoft.com/alerts/");
    }

    @Test
    void unknown_and_future_severities_go_to_triage_with_the_original_kept() throws Exception {
        ObjectNode alert = factory.newAlert(Instant.parse("2026-11-25T10:00:00Z"), "unknown", "1");
        assertThat(enrich(alert).getIn().getHeader("graphRoute")).isEqualTo("triage");
        alert.put("severity", "unknownFutureValue");
        Exchange e = enrich(alert);
        assertThat(e.getIn().getHeader("graphRoute")).isEqualTo("triage");
        assertThat(e.getIn().getHeader("graphSeverityRaw")).isEqualTo("unknownFutureValue");
        alert.put("severity", "HIGH");
        assertThat(enrich(alert).getIn().getHeader("graphRoute")).isEqualTo("high");
    }

    @Test
    void the_evidence_summary_names_users_devices_ips_files_and_urls() throws Exception {
        ObjectNode alert = (ObjectNode) JSON.readTree("""
            {"id":"da1","lastUpdateDateTime":"2026-11-25T10:00:00Z","severity":"medium","evidence":[
             {"@odata.type":"#microsoft.graph.security.userEvidence","userAccount":{"userPrincipalName":"ann@contoso.com"}},
             {"@odata.type":"#microsoft.graph.security.deviceEvidence","deviceDnsName":"pc1.contoso.com"},
             {"@odata.type":"#microsoft.graph.security.ipEvidence","ipAddress":"10.1.2.3"},
             {"@odata.type":"#microsoft.graph.security.fileEvidence","fileDetails":{"fileName":"x.exe","filePath":"C:\\\\tmp"}},
             {"@odata.type":"#microsoft.graph.security.urlEvidence","url":"https://evil.example/a"},
             {"@odata.type":"#microsoft.graph.security.mailboxEvidence","primaryAddress":"ann@contoso.com"},
             {"@odata.type":"#microsoft.graph.security.somethingNewEvidence","whatever":1}]}""");
        JsonNode summary = JSON.readTree(enrich(alert).getIn().getHeader("graphEvidenceSummary", String.class));
        assertThat(summary.toString()).isEqualTo("{\"users\":[\"ann@contoso.com\"],\"devices\":[\"pc1.contoso.com\"],"
                + "\"ips\":[\"10.1.2.3\"],\"files\":[\"C:\\\\tmp\\\\x.exe\"],\"urls\":[\"https://evil.example/a\"],"
                + "\"mailboxes\":[\"ann@contoso.com\"],\"evidenceCount\":7}");
    }

    @Test
    void hostile_or_missing_ids_and_wrong_types_are_refused_with_the_reason() throws Exception {
        for (String id : new String[] {"../x", "a/b", "a b", "a\r\nb", "a?b", "a#b", "%2e%2e", "{{graph.client-secret}}",
                "${body}", "#{x}", "a^ORb", "a:b", "a'b", "-a", "a..b"}) {
            ObjectNode a = JSON.createObjectNode().put("id", id).put("lastUpdateDateTime", "2026-11-25T10:00:00Z");
            assertThatThrownBy(() -> enrich(a)).as(id).isInstanceOf(InvalidAlertException.class)
                    .hasMessageContaining("is not a Graph id").message().doesNotContain("{", "}", "\r", "\n");
        }
        for (String id : new String[] {"da637551227677560813_-961444813", "2972395", "0123ABCD-0000-1111-2222-333344445555",
                "00000001-0001-0001-0001-000000000001c_2019-03-19", "DLPEnabled", "hunt-mass-download-0123456789abcdef"}) {
            ObjectNode a = JSON.createObjectNode().put("id", id).put("lastUpdateDateTime", "2026-11-25T10:00:00Z");
            assertThat(enrich(a).getIn().getHeader("graphAlertId")).as(id).isEqualTo(id);
        }
        assertThatThrownBy(() -> enrich(JSON.createObjectNode().put("lastUpdateDateTime", "2026-11-25T10:00:00Z")))
                .hasMessage("id is missing");
        assertThatThrownBy(() -> enrich(JSON.createObjectNode().put("id", "a").put("lastUpdateDateTime", "soon")))
                .hasMessage("lastUpdateDateTime 'soon' is not an ISO-8601 date-time");
        assertThatThrownBy(() -> enrich(JSON.createObjectNode().put("id", "a")
                .put("lastUpdateDateTime", "2026-11-25T10:00:00Z").put("severity", 5)))
                .hasMessage("severity must be a string, got number 5");
        assertThatThrownBy(() -> enrich(JSON.createArrayNode())).hasMessage("item is not a JSON object but ARRAY");
    }
}
