package io.graphsec.routes.hunting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.enrich.InvalidAlertException;
import io.graphsec.routes.graph.GraphIds;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class HuntRowEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HuntFile HUNT = HuntFile.parse("encoded-powershell.kql", """
            // name: Encoded PowerShell
            // schedule: 0 0/15 * * * ?
            // severity: medium
            // timespan: PT1H
            // recommendedActions: Decode it.
            DeviceProcessEvents | where ProcessCommandLine has "-enc"
            """);
    private static final Instant SLOT = Instant.parse("2026-11-25T10:15:00Z");
    private final HuntRowEvents events = new HuntRowEvents("tenant 1&x", "https://security.microsoft.com/");

    @Test
    void ids_are_deterministic_per_row_whatever_the_column_order_and_safe_for_graph_ids() throws Exception {
        JsonNode a = JSON.readTree("{\"Timestamp\":\"2026-11-25T10:01:02.1234567Z\",\"DeviceName\":\"pc1\",\"N\":{\"b\":1,\"a\":[2,3]}}");
        JsonNode b = JSON.readTree("{\"N\":{\"a\":[2,3],\"b\":1},\"DeviceName\":\"pc1\",\"Timestamp\":\"2026-11-25T10:01:02.1234567Z\"}");
        JsonNode c = JSON.readTree("{\"Timestamp\":\"2026-11-25T10:01:02.1234567Z\",\"DeviceName\":\"pc2\",\"N\":{\"b\":1,\"a\":[2,3]}}");
        HuntRun run = new HuntRun(HUNT, SLOT);
        HuntRowEvent ea = events.eventOf(run, a);
        assertThat(ea.id()).matches("hunt-encoded-powershell-[0-9a-f]{16}").isEqualTo(events.eventOf(run, b).id())
                .isNotEqualTo(events.eventOf(run, c).id());
        assertThat(ea.id()).isEqualTo(events.eventOf(new HuntRun(HUNT, SLOT.plusSeconds(900)), a).id());
        assertThat(GraphIds.problem("id", ea.id())).isEmpty();
    }

    @Test
    void the_time_is_the_rows_timestamp_or_else_the_slot() throws Exception {
        HuntRun run = new HuntRun(HUNT, SLOT);
        assertThat(events.eventOf(run, JSON.readTree("{\"Timestamp\":\"2026-11-25T10:01:02.1234567Z\"}")).time())
                .isEqualTo("2026-11-25T10:01:02.123456700Z");
        assertThat(events.eventOf(run, JSON.readTree("{\"Timestamp\":\"2026-11-25T11:01:02+01:00\"}")).time())
                .isEqualTo("2026-11-25T10:01:02Z");
        assertThat(events.eventOf(run, JSON.readTree("{\"Count\":3}")).time()).isEqualTo("2026-11-25T10:15:00Z");
        assertThat(events.eventOf(run, JSON.readTree("{\"Timestamp\":\"yesterday\"}")).time()).isEqualTo("2026-11-25T10:15:00Z");
    }

    @Test
    void a_row_becomes_an_alert_shaped_body_with_the_contract_headers() throws Exception {
        JsonNode row = JSON.readTree("""
                {"Timestamp":"2026-11-25T10:01:02Z","DeviceName":"pc1","AccountUpn":"eve@contoso.com",
                 "RemoteIP":"10.0.0.9","ProcessCommandLine":"powershell -enc AAAA"}""");
        Exchange exchange = exchangeOf(row);
        exchange.getIn().setHeader("Authorization", "Bearer secret");
        events.toMessage(exchange);

        Map<String, Object> h = exchange.getIn().getHeaders();
        assertThat(h).doesNotContainKey("Authorization")
                .containsEntry("graphEntityType", "alert").containsEntry("graphApi", "hunting")
                .containsEntry("graphEventType", "created").containsEntry("graphLastUpdateDateTime", "2026-11-25T10:01:02Z")
                .containsEntry("graphSeverity", "medium").containsEntry("graphRoute", "medium")
                .containsEntry("JMSPriority", 7).containsEntry("graphStatus", "new")
                .containsEntry("graphTenantId", "tenant 1&x").containsEntry("graphHunt", "encoded-powershell")
                .containsEntry("graphPortalUrl", "https://security.microsoft.com/v2/advanced-hunting?tid=tenant+1%26x");
        assertThat(h.get("graphAlertId").toString()).startsWith("hunt-encoded-powershell-");
        assertThat(JSON.readTree(h.get("graphEvidenceSummary").toString())).isEqualTo(JSON.readTree("""
                {"users":["eve@contoso.com"],"devices":["pc1"],"ips":["10.0.0.9"],"files":[],"urls":[],
                 "mailboxes":[],"evidenceCount":3}"""));

        JsonNode body = JSON.readTree(exchange.getIn().getBody(String.class));
        assertThat(body.get("id").asText()).isEqualTo(h.get("graphAlertId"));
        assertThat(body.get("title").asText()).isEqualTo("Encoded PowerShell");
        assertThat(body.get("severity").asText()).isEqualTo("medium");
        assertThat(body.get("status").asText()).isEqualTo("new");
        assertThat(body.get("category").asText()).isEqualTo("ThreatHunting");
        assertThat(body.get("createdDateTime").asText()).isEqualTo("2026-11-25T10:01:02Z");
        assertThat(body.get("lastUpdateDateTime").asText()).isEqualTo("2026-11-25T10:01:02Z");
        assertThat(body.get("recommendedActions").asText()).isEqualTo("Decode it.");
        assertThat(body.get("description").asText()).contains("Encoded PowerShell");
        assertThat(body.at("/hunting/name").asText()).isEqualTo("Encoded PowerShell");
        assertThat(body.at("/hunting/query").asText()).startsWith("DeviceProcessEvents");
        assertThat(body.at("/hunting/timespan").asText()).isEqualTo("2026-11-25T09:15:00Z/2026-11-25T10:15:00Z");
        assertThat(body.at("/hunting/row")).isEqualTo(row);
    }

    @Test
    void attacker_text_in_a_row_stays_in_the_body_and_never_breaks_a_header() throws Exception {
        String evil = "x\r\nBcc: all@contoso.com\u0000<script>alert(1)</script>" + "A".repeat(5000);
        JsonNode row = JSON.createObjectNode().put("AccountUpn", evil).put("DeviceName", evil).put("Timestamp", evil)
                .put("graphSeverity", "high").put("JMSPriority", "9");
        Exchange exchange = exchangeOf(row);
        events.toMessage(exchange);
        Map<String, Object> h = exchange.getIn().getHeaders();
        assertThat(h).containsEntry("graphSeverity", "medium").containsEntry("JMSPriority", 7)
                .containsEntry("graphLastUpdateDateTime", SLOT.toString());
        assertThat(h.values()).allSatisfy(v -> {
            assertThat(v.toString()).doesNotContain("\r", "\n", "\u0000");
            assertThat(v.toString().length()).isLessThan(1200);
        });
        JsonNode summary = JSON.readTree(h.get("graphEvidenceSummary").toString());
        assertThat(summary.at("/users/0").asText()).startsWith("x  Bcc: all@contoso.com <script>").hasSize(257);
        assertThat(JSON.readTree(exchange.getIn().getBody(String.class)).at("/hunting/row/AccountUpn").asText()).isEqualTo(evil);
    }

    @Test
    void a_row_that_is_not_an_object_is_refused_with_the_reason_and_the_row_kept() throws Exception {
        Exchange exchange = exchangeOf(JSON.readTree("[1,2]"));
        assertThatThrownBy(() -> events.toMessage(exchange)).isInstanceOf(InvalidAlertException.class)
                .hasMessage("hunt encoded-powershell.kql returned a row that is not a JSON object but ARRAY");
        assertThat(exchange.getIn().getBody(String.class)).isEqualTo("[1,2]");
        assertThat(exchange.getIn().getHeader("graphAlertId", String.class)).startsWith("hunt-encoded-powershell-");
    }

    @Test
    void a_too_large_range_is_asked_again_as_halves_down_to_the_minimum() throws Exception {
        HuntRun run = new HuntRun(HuntFile.parse("d.kql", "// name: D\n// schedule: 0 0 * * * ?\n// severity: low\n"
                + "// timespan: PT4H\nT"), SLOT);
        run.nextRequestBody();
        assertThat(run.split(Duration.ofHours(1))).isEqualTo(
                "2026-11-25T06:15:00Z/2026-11-25T10:15:00Z (PT4H) into two halves of PT2H");
        assertThat(JSON.readTree(run.nextRequestBody()).get("timespan").asText())
                .isEqualTo("2026-11-25T06:15:00Z/2026-11-25T08:15:00Z");
        run.split(Duration.ofHours(1));
        assertThat(JSON.readTree(run.nextRequestBody()).get("timespan").asText())
                .isEqualTo("2026-11-25T06:15:00Z/2026-11-25T07:15:00Z");
        assertThatThrownBy(() -> run.split(Duration.ofHours(1))).isInstanceOf(HuntRun.HuntRunException.class)
                .hasMessageContaining("hunt d.kql ('D'): the result over 2026-11-25T06:15:00Z/2026-11-25T07:15:00Z (PT1H)"
                        + " is still too large")
                .satisfies(e -> assertThat(((HuntRun.HuntRunException) e).permanent()).isTrue());

        run.answered(JSON.readTree("[{\"Timestamp\":\"2026-11-25T06:20:00Z\",\"A\":1}]"), events);
        run.answered(JSON.readTree("[{\"Timestamp\":\"2026-11-25T07:15:00Z\",\"A\":2}]"), events);
        assertThat(JSON.readTree(run.nextRequestBody()).get("timespan").asText())
                .isEqualTo("2026-11-25T08:15:00Z/2026-11-25T10:15:00Z");
        run.answered(JSON.readTree("[{\"Timestamp\":\"2026-11-25T07:15:00Z\",\"A\":2},{\"A\":3}]"), events);
        assertThat(run.hasNextRange()).isFalse();
        assertThat(run.rows()).isEqualTo(4);
        assertThat(run.events()).as("a row on a boundary counts once").hasSize(3);
        assertThat(run.splits()).hasSize(2);
    }

    private static Exchange exchangeOf(JsonNode row) {
        HuntRun run = new HuntRun(HUNT, SLOT);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(new HuntRowEvents("t", "https://p").eventOf(run, row));
        return exchange;
    }
}
