package io.graphsec.routes.bench;

import io.graphsec.routes.support.RunningApp;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.auth.TrustMaterial;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * What a careful engineer would write by hand, with no Camel: java.net.http for the pages
 * (following {@code @odata.nextLink}, one bearer token fetched once), a Jackson streaming parse of
 * each page (one alert at a time is copied to its message body; no tree of the page), one
 * persistent JMS send per alert to its severity's queue, and one JMS transaction per page.
 * It reads the same window with the same query the routes send.
 */
final class Baseline {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Map<String, Integer> PRIORITY = Map.of("graph.alerts.high", 9, "graph.alerts.medium", 7,
            "graph.alerts.low", 4, "graph.alerts.informational", 2, "graph.alerts.triage", 5);

    private final Map<String, String> graph;
    private final int pageSize;
    private final HttpClient http;

    Baseline(Map<String, String> graphProperties, int pageSize) {
        this.graph = graphProperties;
        this.pageSize = pageSize;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .sslContext(new TrustMaterial(Path.of(graph.get("graph.trust-store")),
                        graph.get("graph.trust-store-password")).sslContext())
                .build();
    }

    /** Result of one run: alerts sent, pages read. */
    record Result(long alerts, int pages) {
    }

    Result run(String jmsUrl) throws Exception {
        return run(jmsUrl, Integer.MAX_VALUE);
    }

    /** Reads at most {@code maxPages} pages (a warm-up reads a few). */
    Result run(String jmsUrl, int maxPages) throws Exception {
        String token = token();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String filter = "lastUpdateDateTime ge " + now.minus(Duration.ofDays(1)).minus(Duration.ofMinutes(10))
                + " and lastUpdateDateTime lt " + now;
        String url = graph.get("graph.base-url") + "/v1.0/security/alerts_v2?$filter=" + encode(filter)
                + "&$top=" + pageSize + "&$count=true";
        long alerts = 0;
        int pages = 0;
        try (Connection connection = new ActiveMQConnectionFactory(jmsUrl)
                .createConnection(RunningApp.BROKER_USER, RunningApp.BROKER_PASSWORD)) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            Map<String, MessageProducer> producers = new HashMap<>();
            while (url != null && pages < maxPages) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .header("Prefer", "include-unknown-enum-members")
                        .timeout(Duration.ofSeconds(60))
                        .GET().build();
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                Page page;
                try (InputStream body = response.body()) {
                    if (response.statusCode() != 200) {
                        throw new IOException("Graph answered " + response.statusCode() + ": "
                                + new String(body.readAllBytes(), StandardCharsets.UTF_8));
                    }
                    page = sendPage(body, session, producers);
                }
                session.commit();
                alerts += page.alerts;
                pages++;
                url = page.nextLink;
            }
        }
        return new Result(alerts, pages);
    }

    private record Page(int alerts, String nextLink) {
    }

    /** Streams one page: each element of "value" becomes one message; @odata.nextLink is kept. */
    private Page sendPage(InputStream body, Session session, Map<String, MessageProducer> producers) throws Exception {
        int alerts = 0;
        String nextLink = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a Graph page must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("value") && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        sendAlert(p, session, producers);
                        alerts++;
                    }
                } else if (field.equals("@odata.nextLink")) {
                    nextLink = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }
        return new Page(alerts, nextLink);
    }

    /** Copies the alert object the parser is at into a message body, picking id and severity on the way. */
    private static void sendAlert(JsonParser p, Session session, Map<String, MessageProducer> producers) throws Exception {
        StringWriter text = new StringWriter(6000);
        String id = null;
        String severity = null;
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.copyCurrentEventExact(p);
            int depth = 1;
            String field = null;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (depth == 1 && t == JsonToken.FIELD_NAME) {
                    field = p.currentName();
                } else if (depth == 1 && t == JsonToken.VALUE_STRING) {
                    if ("id".equals(field)) {
                        id = p.getText();
                    } else if ("severity".equals(field)) {
                        severity = p.getText();
                    }
                }
                g.copyCurrentEventExact(p);
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                }
            }
        }
        String queue = BenchTenant.queueFor(severity);
        MessageProducer producer = producers.get(queue);
        if (producer == null) {
            producer = session.createProducer(session.createQueue(queue));
            producers.put(queue, producer);
        }
        TextMessage message = session.createTextMessage(text.toString());
        message.setStringProperty("graphAlertId", id);
        message.setStringProperty("graphSeverity", severity);
        producer.send(message, DeliveryMode.PERSISTENT, PRIORITY.get(queue), 0);
    }

    /** Client-credentials token from the simulator's Entra-like endpoint, fetched once per run. */
    private String token() throws Exception {
        String form = "grant_type=client_credentials&client_id=" + encode(graph.get("graph.client-id"))
                + "&client_secret=" + encode(graph.get("graph.client-secret"))
                + "&scope=" + encode("https://graph.microsoft.com/.default");
        HttpRequest request = HttpRequest.newBuilder(URI.create(graph.get("graph.authority-host") + "/"
                        + graph.get("graph.tenant-id") + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("token endpoint answered " + response.statusCode() + ": " + response.body());
        }
        return new ObjectMapper().readTree(response.body()).get("access_token").asText();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
