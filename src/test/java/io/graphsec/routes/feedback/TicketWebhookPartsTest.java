package io.graphsec.routes.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.state.TicketCorrelationStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped mapping file and the webhook key checks, without a server. */
class TicketWebhookPartsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);
    private final TicketFeedbackMapper mapper = new TicketFeedbackMapper(Path.of("routes/ticket-feedback-mapping.yaml"), java.util.List.of("fabrikam"));

    @Test
    void a_jira_issue_resolved_as_false_positive_becomes_feedback_that_validates() throws Exception {
        String issue = """
            {"webhookEvent":"jira:issue_updated","user":{"emailAddress":"lead@contoso.com"},
             "issue":{"key":"SOC-7","fields":{"customfield_10100":"da637551227677560813_-961444813",
               "status":{"name":"Done"},"resolution":{"name":"False Positive"},
               "assignee":{"emailAddress":"ann@contoso.com"}}},
             "comment":{"body":"Pen test, agreed with the red team"}}""";
        String feedback = mapper.fromJira(issue);
        assertThat(JSON.readTree(feedback)).isEqualTo(JSON.readTree("""
            {"alertId":"da637551227677560813_-961444813","assignedTo":"ann@contoso.com",
             "comment":"Pen test, agreed with the red team","status":"resolved",
             "classification":"falsePositive","determination":"notMalicious","requestedBy":"jira:lead@contoso.com",
             "ticket":{"system":"jira","id":"SOC-7"}}"""));
        Feedback f = new FeedbackValidator(tenant -> "https://graph.microsoft.com")
                .parse(new TicketOwnership(null, List.of("default"), false).admit(feedback));
        assertThat(f.entityUrl()).isEqualTo("https://graph.microsoft.com/v1.0/security/alerts_v2/da637551227677560813_-961444813");
    }

    @Test
    void a_servicenow_ticket_for_an_incident_maps_new_to_active() throws Exception {
        String ticket = "{\"u_graph_incident_id\":\"2972395\",\"state\":\"1\",\"sys_updated_by\":\"jdoe\"}";
        assertThat(JSON.readTree(mapper.fromServiceNow(ticket)).get("status").asText()).isEqualTo("active");
    }

    @Test
    void a_ticket_we_opened_for_an_incident_gives_its_verdict_to_the_incident() throws Exception {
        String ticket = "{\"u_graph_incident_id\":\"2972395\",\"u_graph_alert_id\":\"da6375_1\",\"state\":\"6\","
                + "\"close_code\":\"Resolved - false positive\"}";
        var feedback = JSON.readTree(mapper.fromServiceNow(ticket));
        assertThat(feedback.get("incidentId").asText()).isEqualTo("2972395");
        assertThat(feedback.has("alertId")).isFalse();
        assertThat(feedback.get("classification").asText()).isEqualTo("falsePositive");
    }

    @Test
    void the_tenant_is_read_back_from_the_tickets_correlation_and_the_default_tenants_tickets_name_none() throws Exception {
        String fabrikam = "{\"u_graph_incident_id\":\"100\",\"state\":\"6\","
                + "\"correlation_id\":\"graph:99999999-8888-7777-6666-555555555555:fabrikam:100\"}";
        assertThat(JSON.readTree(mapper.fromServiceNow(fabrikam)).get("tenant").asText()).isEqualTo("fabrikam");
        String ours = "{\"u_graph_incident_id\":\"100\",\"state\":\"6\","
                + "\"correlation_id\":\"graph:11111111-2222-3333-4444-555555555555:100\"}";
        assertThat(JSON.readTree(mapper.fromServiceNow(ours)).has("tenant")).isFalse();

        String issue = """
            {"issue":{"fields":{"customfield_10101":"100","status":{"name":"Done"},
               "labels":["graph-security","graph-fabrikam-incident-100"]}}}""";
        assertThat(JSON.readTree(mapper.fromJira(issue)).get("tenant").asText()).isEqualTo("fabrikam");
        String defaultIssue = issue.replace("graph-fabrikam-incident-100", "graph-incident-100");
        assertThat(JSON.readTree(mapper.fromJira(defaultIssue)).has("tenant")).isFalse();
    }

    @Test
    void feedback_naming_a_tenant_the_deployment_does_not_serve_is_refused_naming_it() {
        FeedbackValidator validator = new FeedbackValidator(tenant -> {
            if (!tenant.equals("default") && !tenant.equals("fabrikam")) {
                throw new IllegalArgumentException("tenant '" + tenant + "' is not a tenant of this deployment");
            }
            return tenant.equals("fabrikam") ? "https://graph.microsoft.us" : "https://graph.microsoft.com";
        });
        assertThat(validator.parse("{\"tenant\":\"fabrikam\",\"incidentId\":\"100\",\"status\":\"resolved\"}").entityUrl())
                .isEqualTo("https://graph.microsoft.us/v1.0/security/incidents/100");
        assertThat(validator.parse("{\"incidentId\":\"100\",\"status\":\"resolved\"}").tenant()).isEqualTo("default");
        assertThatThrownBy(() -> validator.parse("{\"tenant\":\"contoso\",\"incidentId\":\"100\",\"status\":\"resolved\"}"))
                .isInstanceOf(InvalidFeedbackException.class).hasMessageContaining("'contoso'");
    }

    @Test
    void a_payload_without_a_graph_id_is_refused_naming_the_fields_looked_at() {
        assertThatThrownBy(() -> mapper.fromServiceNow("{\"state\":\"7\"}"))
                .isInstanceOf(InvalidFeedbackException.class)
                .hasMessageContaining("u_graph_alert_id / u_graph_incident_id");
    }

    @Test
    void bearer_and_signature_are_checked_and_a_webhook_without_keys_admits_nobody() {
        WebhookAuthenticator bearerOnly = authenticator("", "k3y", clock);
        bearerOnly.verify(call("{}", Map.of("Authorization", "Bearer k3y")));
        assertThatThrownBy(() -> bearerOnly.verify(call("{}", Map.of("Authorization", "Bearer k3y-not"))))
                .isInstanceOf(WebhookUnauthorizedException.class).hasMessageNotContaining("k3y");

        WebhookAuthenticator hmac = authenticator("secret", null, clock);
        hmac.verify(call("{\"a\":1}", hmac.signedHeaders("{\"a\":1}")));
        assertThatThrownBy(() -> hmac.verify(call("{\"a\":2}", hmac.signedHeaders("{\"a\":1}"))))
                .isInstanceOf(WebhookUnauthorizedException.class);
        assertThatThrownBy(() -> hmac.verify(call("{}", Map.of("Authorization", "Bearer secret"))))
                .as("the HMAC key is not a bearer key").isInstanceOf(WebhookUnauthorizedException.class);

        assertThatThrownBy(() -> authenticator(null, " ", clock).verify(call("{}", Map.of("Authorization", "Bearer "))))
                .hasMessageContaining("no key configured");
    }

    @Test
    void a_signature_covers_its_timestamp_and_is_accepted_once_within_the_window() {
        WebhookAuthenticator hmac = authenticator("secret", null, clock);
        long now = clock.instant().getEpochSecond();
        String body = "{\"a\":1}";
        assertThat(hmac.sign(now, body)).as("the scheme: HMAC-SHA256 of <timestamp>.<body>")
                .isEqualTo("sha256=" + java.util.HexFormat.of().formatHex(hmacSha256("secret", now + "." + body)));
        Map<String, String> signed = hmac.signedHeaders(body);
        hmac.verify(call(body, signed));
        assertThatThrownBy(() -> hmac.verify(call(body, signed))).isInstanceOf(WebhookUnauthorizedException.class)
                .hasMessageContaining("already accepted");
        assertThatThrownBy(() -> hmac.verify(call(body, Map.of(WebhookAuthenticator.TIMESTAMP_HEADER, String.valueOf(now + 1),
                WebhookAuthenticator.SIGNATURE_HEADER, hmac.sign(now, body))))).as("a timestamp moved away from its signature")
                .isInstanceOf(WebhookUnauthorizedException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> hmac.verify(call(body, Map.of(WebhookAuthenticator.SIGNATURE_HEADER, hmac.sign(now, body)))))
                .hasMessageContaining(WebhookAuthenticator.TIMESTAMP_HEADER);
        assertThatThrownBy(() -> hmac.verify(call(body, Map.of(WebhookAuthenticator.TIMESTAMP_HEADER, String.valueOf(now - 301),
                WebhookAuthenticator.SIGNATURE_HEADER, hmac.sign(now - 301, body))))).hasMessageContaining("outside");
        hmac.verify(call(body, Map.of(WebhookAuthenticator.TIMESTAMP_HEADER, String.valueOf(now - 299),
                WebhookAuthenticator.SIGNATURE_HEADER, hmac.sign(now - 299, body))));

        WebhookAuthenticator small = new WebhookAuthenticator("secret", null, Duration.ofMinutes(5), 1, clock);
        small.verify(call(body, small.signedHeaders(body)));
        assertThatThrownBy(() -> small.verify(call("{}", small.signedHeaders("{}")))).as("a full replay memory refuses")
                .isInstanceOf(WebhookThrottledException.class);
    }

    @Test
    void a_ticket_is_admitted_only_for_the_entity_it_was_opened_for_and_in_that_entitys_tenant(@TempDir Path state)
            throws Exception {
        TicketCorrelationStore store = new TicketCorrelationStore(state);
        store.put("fabrikam:incident:100", JSON.createObjectNode().put("unit", "fabrikam:incident:100")
                .put("system", "servicenow").put("ticketId", "a1b2").put("number", "INC0010002"));
        store.put("alert:da1", JSON.createObjectNode().put("unit", "alert:da1").put("system", "jira")
                .put("ticketId", "SOC-1").put("number", "SOC-1"));
        TicketOwnership ownership = new TicketOwnership(store, List.of("default", "fabrikam"), true);

        String ours = "{\"u_graph_incident_id\":\"100\",\"state\":\"6\",\"sys_id\":\"a1b2\",\"number\":\"INC0010002\","
                + "\"correlation_id\":\"graph:11111111-2222-3333-4444-555555555555:100\"}";
        assertThat(JSON.readTree(ownership.admit(mapper.fromServiceNow(ours))))
                .as("the record's tenant, not the correlation_id's").isEqualTo(JSON.readTree(
                        "{\"incidentId\":\"100\",\"status\":\"resolved\",\"tenant\":\"fabrikam\",\"requestedBy\":\"servicenow:webhook\"}"));
        assertThat(JSON.readTree(ownership.admit(mapper.fromJira(
                "{\"issue\":{\"key\":\"SOC-1\",\"fields\":{\"customfield_10100\":\"da1\",\"status\":{\"name\":\"Done\"}}}}")))
                .has("tenant")).isFalse();

        assertThatThrownBy(() -> ownership.admit(mapper.fromServiceNow(ours.replace("a1b2", "ffff"))))
                .isInstanceOf(TicketNotOwnedException.class)
                .hasMessage("servicenow ticket 'ffff' 'INC0010002' is not the ticket this app opened for it"
                        + " (graph.webhook.verify-ticket-owner): incident:100");
        assertThatThrownBy(() -> ownership.admit(mapper.fromServiceNow(ours.replace("\"100\"", "\"101\""))))
                .isInstanceOf(TicketNotOwnedException.class);
        assertThatThrownBy(() -> ownership.admit(mapper.fromServiceNow("{\"u_graph_incident_id\":\"100\",\"state\":\"6\"}")))
                .isInstanceOf(TicketNotOwnedException.class).hasMessageContaining("names no ticket");
        assertThatThrownBy(() -> ownership.admit(mapper.fromJira(
                "{\"issue\":{\"key\":\"SOC-1\\n\u202eX\",\"fields\":{\"customfield_10100\":\"da1\"}}}")))
                .as("ticket text is escaped in the reason").isInstanceOf(TicketNotOwnedException.class)
                .hasMessageContaining("'SOC-1\\u000a\\u202eX'");
        assertThatThrownBy(() -> ownership.admit(mapper.fromServiceNow(
                "{\"u_graph_alert_id\":\"da1\",\"state\":\"6\",\"sys_id\":\"SOC-1\"}")))
                .as("another system's ticket of the same id").isInstanceOf(TicketNotOwnedException.class);
    }

    private static Exchange call(String body, Map<String, String> headers) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getIn().setBody(body);
        headers.forEach(e.getIn()::setHeader);
        return e;
    }

    private static WebhookAuthenticator authenticator(String hmac, String bearer, Clock clock) {
        return new WebhookAuthenticator(hmac, bearer, Duration.ofMinutes(5), 1000, clock);
    }

    private static byte[] hmacSha256(String key, String text) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
