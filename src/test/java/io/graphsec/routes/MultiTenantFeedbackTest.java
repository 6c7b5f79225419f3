package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.simulator.GraphSimulator;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SecondTenant;
import io.graphsec.routes.support.SimulatedTenant;
import io.graphsec.routes.support.WebhookCalls;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writing back to the Graph of the right tenant: the default tenant in one simulator, fabrikam in a
 * second one on another port (its own cloud's host). Both have an incident 100. Feedback naming
 * fabrikam, and the Graph comment and webhook feedback of fabrikam's tickets, reach fabrikam's
 * Graph with its token, and nothing of the default tenant's.
 */
class MultiTenantFeedbackTest extends AgainstSimulatedTenant {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FABRIKAM = SecondTenant.TENANT;
    private static final String FABRIKAM_CLIENT = SecondTenant.CLIENT;
    private static final String FABRIKAM_SECRET = SecondTenant.SECRET;
    private static final String WEBHOOK_KEY = "webhook-hmac-key-0123456789";
    private static final String[] ROLES = {"SecurityAlert.ReadWrite.All", "SecurityIncident.ReadWrite.All"};

    private GraphSimulator otherCloud;
    private ObjectNode ours;
    private ObjectNode theirs;

    @Override
    protected String[] roles() {
        return ROLES;
    }

    @BeforeEach
    void setUp() throws Exception {
        otherCloud = new GraphSimulator(0).registerClient(FABRIKAM, FABRIKAM_CLIENT, FABRIKAM_SECRET, ROLES).start();
        Path theirTrust = otherCloud.writeTrustStore(dir.resolve("other-cloud-truststore.p12"));
        Instant created = Instant.now().minusSeconds(30);
        ours = new AlertFactory(1234, SimulatedTenant.TENANT).newAlert(created, "high", "100");
        tenant.alerts().put(ours);
        theirs = new AlertFactory(77, FABRIKAM).newAlert(created, "high", "100");
        otherCloud.alerts(FABRIKAM).put(theirs);

        SecondTenant.configure(props);
        props.put("graph.tenant.fabrikam.base-url", otherCloud.baseUrl());
        props.put("graph.tenant.fabrikam.authority-host", otherCloud.baseUrl());
        props.put("graph.tenant.fabrikam.trust-store", theirTrust.toString());
        // Graph calls of every tenant share one TLS trust (public CAs in real clouds): here both simulators'.
        props.put("graph.trust-store", bothTrusted(tenant.trustStore, theirTrust).toString());
    }

    @AfterEach
    void closeOtherCloud() {
        otherCloud.close();
    }

    @Test
    void feedback_naming_a_tenant_is_written_to_that_tenants_graph_only_and_an_unknown_tenant_is_dead_lettered()
            throws Exception {
        props.put("graph.alerts.poll.cron", "0 0 0 1 1 ? 2099");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            queues.send("graph.feedback", JSON.createObjectNode().put("tenant", "fabrikam").put("incidentId", "100")
                    .put("status", "resolved").put("classification", "truePositive").put("determination", "malware")
                    .put("comment", "Contained by the MSSP").toString());
            queues.send("graph.feedback", JSON.createObjectNode().put("tenant", "fabrikam")
                    .put("alertId", theirs.get("id").asText()).put("status", "inProgress").toString());
            queues.send("graph.feedback", JSON.createObjectNode().put("tenant", "northwind").put("incidentId", "100")
                    .put("status", "resolved").toString());

            List<Received> dead = queues.collect("graph.feedback.dead-letter", 1);
            assertThat(dead).singleElement().satisfies(m -> assertThat(m.property("graphDeadLetterReason"))
                    .contains("'northwind'").contains("not a tenant of this deployment"));
            List<JsonNode> audit = new ArrayList<>();
            for (Received r : queues.collect("graph.feedback.audit", 3)) {
                audit.add(JSON.readTree(r.body()));
            }
            assertThat(audit).extracting(a -> a.path("tenant").asText("-") + " " + a.get("outcome").asText())
                    .containsExactlyInAnyOrder("fabrikam applied", "fabrikam applied", "- rejected");

            JsonNode theirIncident = otherCloud.incidents(FABRIKAM).get("100").orElseThrow();
            assertThat(theirIncident.get("status").asText()).isEqualTo("resolved");
            assertThat(theirIncident.get("classification").asText()).isEqualTo("truePositive");
            assertThat(otherCloud.alerts(FABRIKAM).get(theirs.get("id").asText()).orElseThrow().get("status").asText())
                    .isEqualTo("inProgress");
            assertThat(tenant.incidents().get("100").orElseThrow().get("status").asText())
                    .as("the default tenant's incident 100 is untouched").isEqualTo("active");
            assertThat(tenant.simulator.graphRequests("PATCH")).isZero();
            assertThat(tenant.simulator.graphRequests("POST comments")).isZero();
        }
    }

    @Test
    void a_ticket_of_a_tenant_in_another_cloud_is_commented_there_and_its_webhook_feedback_goes_back_there()
            throws Exception {
        try (FakeTicketing serviceNow = new FakeTicketing(0).acceptBasic("graph-security", "Sn0w-Pa55word").start()) {
            props.put("graph.tickets.system", "servicenow");
            props.put("graph.tickets.servicenow.url", serviceNow.baseUrl());
            props.put("graph.tickets.servicenow.user", "graph-security");
            props.put("graph.tickets.servicenow.password", "Sn0w-Pa55word");
            int httpPort = RunningApp.freePort();
            props.put("graph.webhook.enabled", "true");
            props.put("graph.webhook.hmac-secret", WEBHOOK_KEY);
            props.put("camel.server.port", String.valueOf(httpPort));
            try (RunningApp app = RunningApp.start(props)) {
                String theirId = theirs.get("id").asText();
                await().atMost(Duration.ofSeconds(30)).until(() -> serviceNow.serviceNowIncidents().size() == 2
                        && otherCloud.alerts(FABRIKAM).get(theirId).orElseThrow().path("comments").size() == 1
                        && tenant.alerts().get(ours.get("id").asText()).orElseThrow().path("comments").size() == 1);
                ObjectNode theirTicket = serviceNow.serviceNowIncidents().stream()
                        .filter(t -> theirId.equals(t.path("u_graph_alert_id").asText())).findFirst().orElseThrow();
                assertThat(theirTicket.get("correlation_id").asText()).isEqualTo("graph:" + FABRIKAM + ":fabrikam:100");
                assertThat(serviceNow.serviceNowIncidents()).extracting(t -> t.get("correlation_id").asText())
                        .contains("graph:" + SimulatedTenant.TENANT + ":100");
                assertThat(otherCloud.alerts(FABRIKAM).get(theirId).orElseThrow().path("comments").get(0)
                        .path("comment").asText()).contains(theirTicket.get("number").asText());

                // The analyst closes fabrikam's ticket: ServiceNow posts it with its correlation_id.
                ObjectNode closed = theirTicket.deepCopy().put("state", "6").put("close_code", "Resolved - false positive")
                        .put("sys_updated_by", "jdoe");
                String body = closed.toString();
                HttpResponse<String> answer = new WebhookCalls(httpPort, WEBHOOK_KEY).signed("servicenow", body);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(30)).until(() -> "resolved".equals(
                        otherCloud.incidents(FABRIKAM).get("100").orElseThrow().path("status").asText()));
                assertThat(otherCloud.incidents(FABRIKAM).get("100").orElseThrow().get("classification").asText())
                        .isEqualTo("falsePositive");
                assertThat(tenant.incidents().get("100").orElseThrow().get("status").asText()).isEqualTo("active");
                assertThat(tenant.simulator.graphRequests("PATCH")).isZero();
            }
        }
    }

    /** One PKCS#12 trust store holding the certificates of both. */
    private Path bothTrusted(Path a, Path b) throws Exception {
        char[] password = GraphSimulator.trustStorePassword().toCharArray();
        KeyStore both = KeyStore.getInstance("PKCS12");
        both.load(null, null);
        int n = 0;
        for (Path p : List.of(a, b)) {
            KeyStore one = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p)) {
                one.load(in, password);
            }
            for (String alias : java.util.Collections.list(one.aliases())) {
                both.setCertificateEntry("cert-" + n++, one.getCertificate(alias));
            }
        }
        Path file = dir.resolve("both-truststore.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            both.store(out, password);
        }
        return file;
    }
}
