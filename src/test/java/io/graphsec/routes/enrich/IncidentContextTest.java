package io.graphsec.routes.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class IncidentContextTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    private final IncidentContext context = new IncidentContext("https://graph.example", true, Duration.ofMinutes(10), 100, clock);

    private Exchange alertOf(String incidentId) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeader("graphIncidentId", incidentId);
        return e;
    }

    @Test
    void a_merged_incident_is_followed_to_the_one_it_was_merged_into() throws Exception {
        context.learn(JSON.readTree("{\"id\":\"7\",\"status\":\"redirected\",\"redirectIncidentId\":\"9\",\"severity\":\"low\"}"));
        Exchange alert = alertOf("7");
        assertThat(context.needsLookup(alert)).as("the target is not known yet").isTrue();
        assertThat(alert.getProperty("graphReadUrl")).isEqualTo("https://graph.example/v1.0/security/incidents/9");

        context.learn(JSON.readTree("{\"id\":\"9\",\"status\":\"active\",\"severity\":\"high\",\"displayName\":\"Ransomware\","
                + "\"incidentWebUrl\":\"https://security.microsoft.com/incidents/9\"}"));
        assertThat(context.needsLookup(alert)).isFalse();
        context.apply(alert);
        assertThat(alert.getIn().getHeader("graphIncidentId")).isEqualTo("9");
        assertThat(alert.getIn().getHeader("graphIncidentMergedFrom")).isEqualTo("7");
        assertThat(alert.getIn().getHeader("graphIncidentDisplayName")).isEqualTo("Ransomware");
        assertThat(alert.getIn().getHeader("graphIncidentSeverity")).isEqualTo("high");
    }

    @Test
    void a_hostile_incident_id_or_link_is_never_requested_nor_passed_on() throws Exception {
        assertThat(context.needsLookup(alertOf("../../users"))).isFalse();
        context.learn(JSON.readTree("{\"id\":\"5\",\"status\":\"active\",\"incidentWebUrl\":\"https://x\\r\\nBcc: evil\"}"));
        Exchange alert = alertOf("5");
        context.apply(alert);
        assertThat(alert.getIn().getHeader("graphIncidentWebUrl")).isNull();
    }

    @Test
    void a_redirect_loop_ends() throws Exception {
        context.learn(JSON.readTree("{\"id\":\"1\",\"status\":\"redirected\",\"redirectIncidentId\":\"2\"}"));
        context.learn(JSON.readTree("{\"id\":\"2\",\"status\":\"redirected\",\"redirectIncidentId\":\"1\"}"));
        Exchange alert = alertOf("1");
        assertThat(context.needsLookup(alert)).isFalse();
        context.apply(alert);
        assertThat(alert.getIn().getHeader("graphIncidentDisplayName")).isNull();
    }
}
