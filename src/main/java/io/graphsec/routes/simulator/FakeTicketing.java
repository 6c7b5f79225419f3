package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for the ticketing systems, over HTTP on loopback, speaking the shapes the
 * ticket delivery uses: the ServiceNow Table API (incident records, work notes and states by
 * PATCH, search by sysparm_query=correlation_id=...), Jira REST v2 (issues, comments, transitions,
 * JQL search by label) and a generic webhook sink. Checks the Authorization header (basic or
 * bearer, 401 otherwise), records every request, and can fail the next requests on purpose.
 * Used by the tests and, with graph.tickets.fake.enabled=true, by the demo. This class is the front
 * (set-up, lifecycle, authorization, scripted faults, routing); {@link FakeServiceNow} and
 * {@link FakeJira} keep their records and answer for them, always under this object's lock.
 */
public final class FakeTicketing implements AutoCloseable {

    /** Where the generic webhook is taken, under {@link #baseUrl}. */
    public static final String WEBHOOK_PATH = "/webhook";

    private static final Logger LOG = LoggerFactory.getLogger(FakeTicketing.class);
    private static final Pattern SN_TABLE = Pattern.compile("^/api/now/table/([A-Za-z0-9_]+)(?:/([A-Za-z0-9]+))?$");
    private static final Pattern JIRA_ISSUE = Pattern.compile("^/rest/api/2/issue(?:/([A-Z][A-Z0-9]*-\\d+)(/comment|/transitions)?)?$");

    static final ObjectMapper MAPPER = new ObjectMapper();
    private final int requestedPort;
    private final FakeServiceNow serviceNow = new FakeServiceNow();
    private final FakeJira jira = new FakeJira(this::baseUrl);
    private final List<Request> requests = new ArrayList<>();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final List<String> acceptedAuthorizations = new ArrayList<>();
    private LoopbackServer server;

    public FakeTicketing(int port) {
        this.requestedPort = port;
    }

    /** One request as it arrived, and when, on the server's clock. */
    public record Request(String method, String path, String query, Map<String, String> headers, String body,
                          java.time.Instant at) {
        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private record Fault(int status, String body, Map<String, String> headers) {
    }

    // ---- set-up -------------------------------------------------------------------------------

    /** Accepts HTTP basic with this user and password. */
    public synchronized FakeTicketing acceptBasic(String user, String password) {
        acceptedAuthorizations.add("Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** Accepts this bearer token (ServiceNow OAuth, a Jira PAT, a webhook key). */
    public synchronized FakeTicketing acceptBearer(String token) {
        acceptedAuthorizations.add("Bearer " + token);
        return this;
    }

    /** The next {@code count} requests answer this status (503, 429, ...) with a short error body. */
    public void failNext(int count, int status) {
        failNext(count, status, Map.of());
    }

    /** The same, with these response headers (Retry-After: 2). */
    public void failNext(int count, int status, Map<String, String> headers) {
        for (int i = 0; i < count; i++) {
            faults.add(new Fault(status, "{\"error\":{\"message\":\"Scripted fault " + status + "\",\"detail\":null},\"status\":\"failure\"}",
                    headers));
        }
    }

    /** The next request answers this status and raw body (a 400 with the system's error text). */
    public void rejectNext(int status, String body) {
        faults.add(new Fault(status, body, Map.of()));
    }

    // ---- what happened ------------------------------------------------------------------------

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<ObjectNode> serviceNowIncidents() {
        return serviceNow.incidents();
    }

    public synchronized List<ObjectNode> jiraIssues() {
        return jira.issues();
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    public FakeTicketing start() throws IOException {
        server = LoopbackServer.http(requestedPort, 32, 4, "fake-ticketing", this::handle);
        LOG.info("Fake ticketing (ServiceNow, Jira, webhook) listening on {}", baseUrl());
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Where the generic webhook sink listens. */
    public String webhookUrl() {
        return baseUrl() + WEBHOOK_PATH;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    // ---- HTTP ---------------------------------------------------------------------------------

    private void handle(HttpExchange http) throws IOException {
        try (http) {
            String body = new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            http.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            String path = http.getRequestURI().getRawPath();
            String query = http.getRequestURI().getRawQuery();
            synchronized (this) {
                requests.add(new Request(http.getRequestMethod(), path, query, headers, body, java.time.Instant.now()));
            }
            Fault fault = faults.poll();
            if (fault != null) {
                fault.headers.forEach(http.getResponseHeaders()::set);
                send(http, fault.status, fault.body);
                return;
            }
            synchronized (this) {
                if (!acceptedAuthorizations.isEmpty() && !acceptedAuthorizations.contains(headers.get("authorization"))) {
                    send(http, 401, "{\"error\":{\"message\":\"User Not Authenticated\",\"detail\":\"Required to provide Auth information\"},\"status\":\"failure\"}");
                    return;
                }
                route(http, path, query, body);
            }
        } catch (RuntimeException e) {
            LOG.warn("fake ticketing failed on {} {}", http.getRequestMethod(), http.getRequestURI(), e);
            send(http, 500, "{\"error\":\"fake ticketing failed\"}");
        }
    }

    private void route(HttpExchange http, String path, String query, String body) throws IOException {
        String method = http.getRequestMethod();
        Matcher m;
        if ((m = SN_TABLE.matcher(path)).matches()) {
            serviceNow.table(http, method, m.group(2), query, body);
        } else if (path.equals("/rest/api/2/search") && method.equals("GET")) {
            jira.search(http, query);
        } else if ((m = JIRA_ISSUE.matcher(path)).matches()) {
            jira.issue(http, method, m.group(1), m.group(2), body);
        } else if (path.equals(WEBHOOK_PATH) && method.equals("POST")) {
            send(http, 202, "{\"accepted\":true}");
        } else {
            send(http, 404, "{\"error\":\"no such resource " + path.replaceAll("[^A-Za-z0-9/_.-]", "?") + "\"}");
        }
    }

    /** The body as a JSON object, null when it is none. */
    static ObjectNode jsonObject(String body) {
        try {
            JsonNode n = MAPPER.readTree(body);
            return n instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    static String param(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static void send(HttpExchange http, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        http.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        http.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = http.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
