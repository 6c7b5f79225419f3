package io.graphsec.routes.securescore;

import static io.graphsec.routes.securescore.SecureScoreSnapshotTest.profile;
import static io.graphsec.routes.securescore.SecureScoreSnapshotTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.graph.GraphIds;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class SecureScoreRegressionsTest {

    private final SecureScoreRegressions regressions = new SecureScoreRegressions(5, "Medium", "https://security.microsoft.com/");

    @Test
    void a_drop_over_the_limit_and_a_control_no_longer_implemented_are_one_event_each() {
        SecureScoreReading reading = new SecureScoreReading(
                List.of(record("2026-11-25", 12, "MFA", 0, "SSPR", 9, "Partial", 3),
                        record("2026-11-24", 22.5, "MFA", 10, "SSPR", 9, "Partial", 3.5)),
                List.of(profile("MFA", 10), profile("SSPR", 9), profile("Partial", 8)));

        List<ObjectNode> events = regressions.find(reading);

        assertThat(events).extracting(e -> e.get("id").asText())
                .containsExactly("securescore-2026-11-25-total", "securescore-2026-11-25-MFA");
        ObjectNode total = events.get(0);
        assertThat(total.get("title").asText()).isEqualTo("Secure Score dropped by 10.50 points");
        assertThat(total.get("severity").asText()).isEqualTo("medium");
        assertThat(total.get("status").asText()).isEqualTo("new");
        assertThat(total.get("createdDateTime").asText()).isEqualTo("2026-11-25T00:00:00Z");
        assertThat(total.get("lastUpdateDateTime").asText()).isEqualTo("2026-11-25T00:00:00Z");
        assertThat(total.get("tenantId").asText()).isEqualTo("tenant-1");
        assertThat(total.at("/secureScore/drop").asDouble()).isEqualTo(10.5);
        assertThat(total.at("/secureScore/previousScore").asDouble()).isEqualTo(22.5);
        ObjectNode control = events.get(1);
        assertThat(control.get("title").asText()).isEqualTo("Secure Score control no longer implemented: Do MFA");
        assertThat(control.get("recommendedActions").asText()).isEqualTo("Turn MFA on.");
        assertThat(control.get("alertWebUrl").asText())
                .isEqualTo("https://security.microsoft.com/securescore?viewid=actions&actionId=MFA");
        assertThat(control.at("/secureScore/controlName").asText()).isEqualTo("MFA");
        assertThat(control.at("/secureScore/previousScore").asDouble()).isEqualTo(10.0);
    }

    @Test
    void a_drop_within_the_limit_a_partial_control_and_a_first_day_are_no_regression() {
        List<ObjectNode> profiles = List.of(profile("MFA", 10), profile("Partial", 8));
        assertThat(regressions.find(new SecureScoreReading(
                List.of(record("2026-11-25", 15, "MFA", 10, "Partial", 5), record("2026-11-24", 20, "MFA", 10, "Partial", 7)),
                profiles))).isEmpty();
        assertThat(regressions.find(new SecureScoreReading(List.of(record("2026-11-25", 0, "MFA", 0)), profiles))).isEmpty();
        // Gone from today's scores (deprecated) is not "no longer implemented".
        assertThat(regressions.find(new SecureScoreReading(
                List.of(record("2026-11-25", 20), record("2026-11-24", 20, "MFA", 10)), profiles))).isEmpty();
    }

    @Test
    void each_event_carries_the_headers_of_an_alert_of_the_configured_severity() throws Exception {
        SecureScoreReading reading = new SecureScoreReading(
                List.of(record("2026-11-25", 0, "Weird name/../x", 0), record("2026-11-24", 3, "Weird name/../x", 3)),
                List.of(profile("Weird name/../x", 3)));
        SecureScoreRegressions high = new SecureScoreRegressions(5, "high", "https://portal.example");
        ObjectNode event = high.find(reading).get(0);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(event);

        high.toAlertMessage(exchange);

        String id = exchange.getIn().getHeader("graphAlertId", String.class);
        assertThat(id).startsWith("securescore-2026-11-25-Weird_name____x-");
        assertThat(GraphIds.problem("id", id)).isEmpty();
        assertThat(exchange.getIn().getHeaders()).containsEntry("graphEntityType", "alert")
                .containsEntry("graphApi", "secureScore").containsEntry("graphEventType", "created")
                .containsEntry("graphLastUpdateDateTime", "2026-11-25T00:00:00Z").containsEntry("graphSeverity", "high")
                .containsEntry("graphRoute", "high").containsEntry("JMSPriority", 9).containsEntry("graphStatus", "new")
                .containsEntry("graphTenantId", "tenant-1")
                .containsEntry("graphPortalUrl", "https://portal.example/securescore?viewid=actions&actionId=Weird+name%2F..%2Fx")
                .containsEntry("graphEvidenceSummary",
                        "{\"users\":[],\"devices\":[],\"ips\":[],\"files\":[],\"urls\":[],\"mailboxes\":[],\"evidenceCount\":0}");
        assertThat(exchange.getIn().getBody(String.class)).startsWith("{\"id\":\"" + id + "\"");
    }

    @Test
    void a_severity_that_routes_nowhere_or_a_negative_drop_is_refused_at_start() {
        assertThatThrownBy(() -> new SecureScoreRegressions(5, "critical", "https://p"))
                .hasMessageContaining("graph.secure-score.regression-severity=critical");
        assertThatThrownBy(() -> new SecureScoreRegressions(-1, "medium", "https://p"))
                .hasMessageContaining("graph.secure-score.max-drop");
    }
}
