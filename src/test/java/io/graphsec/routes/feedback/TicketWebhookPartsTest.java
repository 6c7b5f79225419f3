package io.graphsec.routes.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The shipped mapping file and the webhook key checks, without a server. */
class TicketWebhookPartsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
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
             "classification":"falsePositive","determination":"notMalicious","requestedBy":"jira:lead@contoso.com"}"""));
        Feedback f = new FeedbackValidator(tenant -> "https://graph.microsoft.com").parse(feedback);
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
        WebhookAuthenticator bearerOnly = new WebhookAuthenticator("", "k3y");
        bearerOnly.verify(call("{}", "Authorization", "Bearer k3y"));
        assertThatThrownBy(() -> bearerOnly.verify(call("{}", "Authorization", "Bearer k3y-not")))
                .isInstanceOf(WebhookUnauthorizedException.class).hasMessageNotContaining("k3y");

        WebhookAuthenticator hmac = new WebhookAuthenticator("secret", null);
        hmac.verify(call("{\"a\":1}", WebhookAuthenticator.SIGNATURE_HEADER, hmac.sign("{\"a\":1}")));
        assertThatThrownBy(() -> hmac.verify(call("{\"a\":2}", WebhookAuthenticator.SIGNATURE_HEADER, hmac.sign("{\"a\":1}"))))
                .isInstanceOf(WebhookUnauthorizedException.class);
        assertThatThrownBy(() -> hmac.verify(call("{}", "Authorization", "Bearer secret")))
                .as("the HMAC key is not a bearer key").isInstanceOf(WebhookUnauthorizedException.class);

        assertThatThrownBy(() -> new WebhookAuthenticator(null, " ").verify(call("{}", "Authorization", "Bearer ")))
                .hasMessageContaining("no key configured");
    }

    private static Exchange call(String body, String header, String value) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getIn().setBody(body);
        e.getIn().setHeader(header, value);
        return e;
    }
}
