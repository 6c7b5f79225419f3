package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import io.graphsec.routes.feedback.WebhookAuthenticator;
import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.simulator.GraphSimulator;
import io.graphsec.routes.support.LoopbackSmtp;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SecondTenant;
import io.graphsec.routes.support.SimulatedTenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole scenario at DEBUG in the app's own JVM with the shipped logging configuration: polling,
 * a token renewal after a revocation, tickets opened in ServiceNow (basic auth), mail through an
 * SMTP server that wants a login, feedback that succeeds and fails, webhook calls with right and
 * wrong keys. Then everything written (the log, every message and its properties on every queue,
 * the health and metrics output) is searched for the client secret, every access token issued,
 * the webhook keys, the ticketing password and its basic header, and the SMTP password.
 */
class SecretsNeverLeakTest {

    private static final String HMAC_KEY = "hmac-key-Zq8v1XbT0";
    private static final String BEARER_KEY = "bearer-key-Kp3Wm9Ls2";
    private static final String SERVICENOW_PASSWORD = "sn-pass-Hq7Rz2Vw";
    private static final String SMTP_PASSWORD = "smtp-pass-Lm4Tc8Qx";
    private static final String TRUST_STORE_PASSWORD = "trust-pass-Vn5Jd1Rs";

    @TempDir
    Path dir;

    @Test
    void no_secret_reaches_a_log_line_a_message_or_a_message_property() throws Exception {
        GreenMail smtp = LoopbackSmtp.on(RunningApp.freePort());
        smtp.start();
        smtp.getUserManager().setAuthRequired(true);
        smtp.setUser("relay@example.org", "relay", SMTP_PASSWORD);
        try (SimulatedTenant tenant = new SimulatedTenant(dir, "SecurityAlert.ReadWrite.All");
             FakeTicketing tickets = new FakeTicketing(0).acceptBasic("graph", SERVICENOW_PASSWORD).start()) {
            tenant.addAlerts(12);
            int brokerPort = RunningApp.freePort();
            int httpPort = RunningApp.freePort();
            Map<String, String> props = new HashMap<>(RunningApp.defaults(dir.resolve("app"), brokerPort));
            props.putAll(tenant.appProperties());
            // The simulator's trust store, under a password of the test's own (its default is a plain word).
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(tenant.trustStore)) {
                trust.load(in, GraphSimulator.trustStorePassword().toCharArray());
            }
            Path trustStore = dir.resolve("trust-store.p12");
            try (var out = Files.newOutputStream(trustStore)) {
                trust.store(out, TRUST_STORE_PASSWORD.toCharArray());
            }
            props.put("graph.trust-store", trustStore.toString());
            props.put("graph.trust-store-password", TRUST_STORE_PASSWORD);
            // A second tenant with its own app registration: its secret is searched for too.
            tenant.simulator.registerClient(SecondTenant.TENANT, SecondTenant.CLIENT, SecondTenant.SECRET, "SecurityAlert.Read.All");
            SecondTenant.configure(props);
            props.put("graph.webhook.enabled", "true");
            props.put("graph.webhook.hmac-secret", HMAC_KEY);
            props.put("graph.webhook.bearer-token", BEARER_KEY);
            props.put("camel.server.port", String.valueOf(httpPort));
            props.put("graph.log.level", "DEBUG");
            props.put("graph.tickets.system", "servicenow");
            props.put("graph.tickets.servicenow.url", tickets.baseUrl());
            props.put("graph.tickets.servicenow.user", "graph");
            props.put("graph.tickets.servicenow.password", SERVICENOW_PASSWORD);
            props.put("graph.mail.smtp.host", "127.0.0.1");
            props.put("graph.mail.smtp.port", String.valueOf(smtp.getSmtp().getPort()));
            props.put("graph.mail.smtp.security", "none");
            props.put("graph.mail.smtp.user", "relay");
            props.put("graph.mail.smtp.password", SMTP_PASSWORD);
            props.put("graph.mail.to.high", "oncall@example.org");
            int managementPort = Integer.parseInt(props.get("camel.management.port"));
            Path log = Files.createDirectories(Path.of("target")).resolve("secrets-test-app.log");

            // Error paths: the first ticketing calls answer 500 and 401, whose handling must not echo the credentials.
            tickets.failNext(1, 500);
            tickets.rejectNext(401, "{\"error\":{\"message\":\"User Not Authenticated\"},\"status\":\"failure\"}");
            Process app = startInOwnJvm(props, log);
            List<Received> everything = new ArrayList<>();
            StringBuilder observed = new StringBuilder();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("alerts_v2 poll:"));
                tenant.simulator.revokeTokens();
                tenant.addAlerts(2);
                HttpClient http = HttpClient.newHttpClient();
                URI hook = URI.create("http://127.0.0.1:" + httpPort + "/graph-security/feedback/servicenow");
                // A ticket the app opened, closed by the analyst: ServiceNow posts its fields.
                await().atMost(Duration.ofSeconds(60)).until(() -> !tickets.serviceNowIncidents().isEmpty());
                String ticket = tickets.serviceNowIncidents().get(0).deepCopy().put("state", "7")
                        .put("close_code", "Resolved - false positive").toString();
                int[] codes = {
                    post(http, hook, ticket, "Authorization", "Bearer " + BEARER_KEY),
                    post(http, hook, ticket, "Authorization", "Bearer " + BEARER_KEY + "x"),
                    post(http, hook, ticket, WebhookAuthenticator.sender(HMAC_KEY).signedHeaders(ticket)),
                    post(http, hook, ticket, Map.of(WebhookAuthenticator.TIMESTAMP_HEADER, String.valueOf(Instant.now().getEpochSecond()),
                            WebhookAuthenticator.SIGNATURE_HEADER, "sha256=00")),
                };
                assertThat(codes).containsExactly(202, 401, 202, 401);
                try (Queues queues = new Queues(brokerPort)) {
                    queues.send("graph.feedback", "{\"alertId\":\"unknown-alert\",\"status\":\"resolved\"}");
                    await().atMost(Duration.ofSeconds(30)).until(() -> {
                        everything.addAll(queues.drain("graph.feedback.audit"));
                        return everything.size() >= 3;
                    });
                    await().atMost(Duration.ofSeconds(30)).until(() -> tenant.simulator.tokenRequests() >= 2);
                    await().atMost(Duration.ofSeconds(30)).until(() -> !tickets.serviceNowIncidents().isEmpty()
                            && smtp.getReceivedMessages().length > 0);
                    for (String path : List.of("/observe/health?exposureLevel=full&stackTrace=true", "/observe/metrics")) {
                        observed.append(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                                .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
                    }
                    for (String q : List.of("graph.alerts.high", "graph.alerts.medium", "graph.alerts.low",
                            "graph.alerts.informational", "graph.alerts.triage", "graph.feedback.dead-letter",
                            "graph.alerts.dead-letter", "graph.tickets.dead-letter", "graph.mail.dead-letter")) {
                        everything.addAll(queues.drain(q));
                    }
                    // A refused token request: the app registration's secret was rotated and the token revoked.
                    int tokenCalls = tenant.simulator.tokenRequests();
                    tenant.simulator.registerClient(SimulatedTenant.TENANT, SimulatedTenant.CLIENT, "rotated-secret-Wq2",
                            "SecurityAlert.ReadWrite.All");
                    tenant.simulator.revokeTokens();
                    await().atMost(Duration.ofSeconds(60)).until(() -> tenant.simulator.tokenRequests() > tokenCalls
                            && Files.readString(log).contains("7000215"));
                }
            } finally {
                app.destroy();
                app.waitFor(20, TimeUnit.SECONDS);
                smtp.stop();
            }

            List<String> secrets = new ArrayList<>(List.of(SimulatedTenant.SECRET, HMAC_KEY, BEARER_KEY, SERVICENOW_PASSWORD,
                    SMTP_PASSWORD, java.util.Base64.getEncoder().encodeToString(("graph:" + SERVICENOW_PASSWORD).getBytes())));
            secrets.addAll(tenant.simulator.issuedTokens());
            assertThat(tenant.simulator.issuedTokens()).hasSizeGreaterThanOrEqualTo(2);
            String logText = Files.readString(log);
            assertThat(logText.lines().count()).as("the scenario ran at DEBUG").isGreaterThan(500);
            assertThat(everything).hasSizeGreaterThan(14);
            assertThat(observed.toString()).contains("graph_poll_fetched_total").contains("graph-poll-alerts_v2");
            // What left the app, where no secret belongs: every Graph request but the token request's form (which
            // carries the client secret) and each request's Authorization header (which carries the token); every
            // ticketing request but its Authorization header; every mail as received; every ticket record; every
            // file the app wrote (state, broker journal) but the broker's own password file.
            StringBuilder sent = new StringBuilder();
            for (var r : tenant.simulator.requestsSeen()) {
                Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                headers.putAll(r.headers());
                headers.remove("Authorization");
                sent.append(r.method()).append(' ').append(r.rawPath()).append('?').append(r.rawQuery()).append('\n')
                        .append(headers).append('\n').append(r.rawPath().endsWith("/oauth2/v2.0/token") ? "" : r.body()).append('\n');
            }
            assertThat(tenant.simulator.requestsSeen()).as("Graph saw the scenario").hasSizeGreaterThan(10);
            for (FakeTicketing.Request r : tickets.requests()) {
                Map<String, String> headers = new HashMap<>(r.headers());
                headers.remove("authorization");
                sent.append(r.method()).append(' ').append(r.path()).append('?').append(r.query()).append('\n')
                        .append(headers).append('\n').append(r.body()).append('\n');
            }
            assertThat(tickets.requests()).as("ticketing saw the scenario, its 500 and 401 too").hasSizeGreaterThan(3);
            for (var mail : smtp.getReceivedMessages()) {
                sent.append(com.icegreen.greenmail.util.GreenMailUtil.getWholeMessage(mail)).append('\n');
            }
            tickets.serviceNowIncidents().forEach(t -> sent.append(t).append('\n'));
            List<String> files = new ArrayList<>();
            try (var walk = Files.walk(dir.resolve("app"))) {
                for (Path f : walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("broker.password"))
                        .toList()) {
                    // One char per byte, so a secret is found in whatever encoding the file holds it (below).
                    files.add(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
                }
            }
            assertThat(files).as("state and broker files were written").hasSizeGreaterThan(5);
            secrets.addAll(List.of(TRUST_STORE_PASSWORD, RunningApp.BROKER_PASSWORD, SecondTenant.SECRET));
            assertThat(tenant.simulator.requestsSeen()).as("the second tenant took a token")
                    .anyMatch(r -> r.rawPath().equals("/" + SecondTenant.TENANT + "/oauth2/v2.0/token"));
            for (String secret : List.copyOf(secrets)) {
                secrets.add(java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8));
                secrets.add(java.util.Base64.getEncoder().encodeToString(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                secrets.add(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(secret).replace("\"", ""));
            }
            for (String secret : secrets) {
                String shown = secret.substring(0, Math.min(6, secret.length())) + "…";
                assertThat(sent.toString()).as("what left the app contains " + shown).doesNotContain(secret);
                for (java.nio.charset.Charset cs : List.of(java.nio.charset.StandardCharsets.UTF_8,
                        java.nio.charset.StandardCharsets.UTF_16LE, java.nio.charset.StandardCharsets.UTF_16BE)) {
                    String asBytes = new String(secret.getBytes(cs), java.nio.charset.StandardCharsets.ISO_8859_1);
                    assertThat(files).as("a written file contains " + shown + " in " + cs)
                            .allSatisfy(f -> assertThat(f.contains(asBytes)).isFalse());
                }
                assertThat(logText).as("log contains " + shown).doesNotContain(secret);
                assertThat(observed.toString()).as("health or metrics contain " + shown).doesNotContain(secret);
                for (Received m : everything) {
                    assertThat(m.body()).as("a message body contains " + shown).doesNotContain(secret);
                    assertThat(m.properties().toString()).as("a message property contains " + shown).doesNotContain(secret);
                }
            }
        }
    }

    private static int post(HttpClient http, URI uri, String body, String header, String value) throws Exception {
        return post(http, uri, body, Map.of(header, value));
    }

    private static int post(HttpClient http, URI uri, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static Process startInOwnJvm(Map<String, String> props, Path log) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(GraphSecurityApplication.class.getName());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
