package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Used by the tests and, with graph.tickets.fake.enabled=true, by the demo.
 */
public final class FakeTicketing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeTicketing.class);
    private static final Pattern SN_TABLE = Pattern.compile("^/api/now/table/([A-Za-z0-9_]+)(?:/([A-Za-z0-9]+))?$");
    private static final Pattern JIRA_ISSUE = Pattern.compile("^/rest/api/2/issue(?:/([A-Z][A-Z0-9]*-\\d+)(/comment|/transitions)?)?$");
    /** Jira's default workflow: To Do (11), In Progress (21), Done (31), and Reopen (41) back to To Do. */
    private static final Map<String, String[]> TRANSITIONS = Map.of("11", new String[] {"To Do", "new"},
            "21", new String[] {"In Progress", "indeterminate"}, "31", new String[] {"Done", "done"},
            "41", new String[] {"Reopen", "new"});

    private final ObjectMapper mapper = new ObjectMapper();
    private final int requestedPort;
    private final Map<String, ObjectNode> incidents = new LinkedHashMap<>();
    private final Map<String, ObjectNode> issues = new LinkedHashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nextNumber = new AtomicInteger(10001);
    private final AtomicInteger nextIssue = new AtomicInteger(1);
    private final List<String> acceptedAuthorizations = new ArrayList<>();
    private HttpServer server;
    private ExecutorService executor;

    public FakeTicketing(int port) {
        this.requestedPort = port;
    }

    /** One request as it arrived. */
    public record Request(String method, String path, String query, Map<String, String> headers, String body) {
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

    private record Fault(int status, String body) {
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
        for (int i = 0; i < count; i++) {
            faults.add(new Fault(status, "{\"error\":{\"message\":\"Scripted fault " + status + "\",\"detail\":null},\"status\":\"failure\"}"));
        }
    }

    /** The next request answers this status and raw body (a 400 with the system's error text). */
    public void rejectNext(int status, String body) {
        faults.add(new Fault(status, body));
    }

    // ---- what happened ------------------------------------------------------------------------

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<ObjectNode> serviceNowIncidents() {
        return incidents.values().stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized List<ObjectNode> jiraIssues() {
        return issues.values().stream().map(ObjectNode::deepCopy).toList();
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    public FakeTicketing start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", requestedPort), 32);
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-ticketing");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("Fake ticketing (ServiceNow, Jira, webhook) listening on {}", baseUrl());
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Where the generic webhook sink listens. */
    public String webhookUrl() {
        return baseUrl() + "/webhook";
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
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
                requests.add(new Request(http.getRequestMethod(), path, query, headers, body));
            }
            Fault fault = faults.poll();
            if (fault != null) {
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
            serviceNow(http, method, m.group(2), query, body);
        } else if (path.equals("/rest/api/2/search") && method.equals("GET")) {
            jiraSearch(http, query);
        } else if ((m = JIRA_ISSUE.matcher(path)).matches()) {
            jira(http, method, m.group(1), m.group(2), body);
        } else if (path.equals("/webhook") && method.equals("POST")) {
            send(http, 202, "{\"accepted\":true}");
        } else {
            send(http, 404, "{\"error\":\"no such resource " + path.replaceAll("[^A-Za-z0-9/_.-]", "?") + "\"}");
        }
    }

    private void serviceNow(HttpExchange http, String method, String sysId, String query, String body) throws IOException {
        if (sysId == null && method.equals("POST")) {
            ObjectNode fields = jsonObject(body);
            if (fields == null || !fields.path("short_description").isTextual()) {
                send(http, 400, "{\"error\":{\"message\":\"Missing short_description\",\"detail\":null},\"status\":\"failure\"}");
                return;
            }
            ObjectNode record = fields.deepCopy();
            String id = java.util.UUID.randomUUID().toString().replace("-", "");
            record.put("sys_id", id).put("number", "INC00" + nextNumber.getAndIncrement()).put("state", "1");
            record.putArray("work_notes_list");
            record.remove("work_notes");
            incidents.put(id, record);
            send(http, 201, mapper.createObjectNode().set("result", record).toString());
        } else if (sysId == null && method.equals("GET")) {
            String q = param(query, "sysparm_query");
            ArrayNode result = mapper.createArrayNode();
            String wanted = q != null && q.startsWith("correlation_id=") ? q.substring("correlation_id=".length()) : null;
            incidents.values().stream().filter(r -> wanted == null || wanted.equals(r.path("correlation_id").asText()))
                    .forEach(r -> result.addObject().put("sys_id", r.path("sys_id").asText())
                            .put("number", r.path("number").asText()).put("state", r.path("state").asText()));
            send(http, 200, mapper.createObjectNode().set("result", result).toString());
        } else if (sysId != null && (method.equals("PATCH") || method.equals("PUT"))) {
            ObjectNode record = incidents.get(sysId);
            ObjectNode fields = jsonObject(body);
            if (record == null || fields == null) {
                send(http, record == null ? 404 : 400, "{\"error\":{\"message\":\"No Record found\"},\"status\":\"failure\"}");
                return;
            }
            fields.fields().forEachRemaining(f -> {
                if (f.getKey().equals("work_notes")) {
                    record.withArray("work_notes_list").add(f.getValue().asText());
                } else {
                    record.set(f.getKey(), f.getValue());
                }
            });
            send(http, 200, mapper.createObjectNode().set("result", record).toString());
        } else if (sysId != null && method.equals("GET") && incidents.containsKey(sysId)) {
            send(http, 200, mapper.createObjectNode().set("result", incidents.get(sysId)).toString());
        } else {
            send(http, 405, "{\"error\":{\"message\":\"Method not supported\"},\"status\":\"failure\"}");
        }
    }

    private void jira(HttpExchange http, String method, String key, String sub, String body) throws IOException {
        if (key == null && method.equals("POST")) {
            ObjectNode req = jsonObject(body);
            JsonNode fields = req == null ? null : req.path("fields");
            if (fields == null || !fields.path("project").path("key").isTextual() || !fields.path("summary").isTextual()) {
                send(http, 400, "{\"errorMessages\":[],\"errors\":{\"project\":\"project is required\",\"summary\":\"You must specify a summary of the issue.\"}}");
                return;
            }
            String newKey = fields.path("project").path("key").asText() + "-" + nextIssue.getAndIncrement();
            ObjectNode issue = mapper.createObjectNode().put("id", String.valueOf(10000 + issues.size())).put("key", newKey);
            ObjectNode f = fields.deepCopy();
            f.set("status", status("11"));
            f.putObject("comment").putArray("comments");
            issue.set("fields", f);
            issues.put(newKey, issue);
            send(http, 201, mapper.createObjectNode().put("id", issue.path("id").asText()).put("key", newKey)
                    .put("self", baseUrl() + "/rest/api/2/issue/" + issue.path("id").asText()).toString());
            return;
        }
        ObjectNode issue = key == null ? null : issues.get(key);
        if (issue == null) {
            send(http, 404, "{\"errorMessages\":[\"Issue does not exist or you do not have permission to see it.\"],\"errors\":{}}");
            return;
        }
        if ("/comment".equals(sub) && method.equals("POST")) {
            ObjectNode req = jsonObject(body);
            if (req == null || !req.path("body").isTextual()) {
                send(http, 400, "{\"errorMessages\":[],\"errors\":{\"comment\":\"Comment body can not be empty!\"}}");
                return;
            }
            ObjectNode c = ((ObjectNode) issue.path("fields").path("comment")).withArray("comments").addObject();
            c.put("id", String.valueOf(issue.path("fields").path("comment").path("comments").size())).put("body", req.get("body").asText());
            send(http, 201, c.toString());
        } else if ("/transitions".equals(sub) && method.equals("GET")) {
            ObjectNode out = mapper.createObjectNode();
            ArrayNode list = out.putArray("transitions");
            TRANSITIONS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                ObjectNode t = list.addObject().put("id", e.getKey()).put("name", e.getValue()[0]);
                t.set("to", status(e.getKey()));
            });
            send(http, 200, out.toString());
        } else if ("/transitions".equals(sub) && method.equals("POST")) {
            ObjectNode req = jsonObject(body);
            String id = req == null ? "" : req.path("transition").path("id").asText();
            if (!TRANSITIONS.containsKey(id)) {
                send(http, 400, "{\"errorMessages\":[\"Transition id '" + id.replaceAll("[^0-9A-Za-z]", "?")
                        + "' is not valid for this issue.\"],\"errors\":{}}");
                return;
            }
            ((ObjectNode) issue.get("fields")).set("status", status(id));
            send(http, 204, "");
        } else if (sub == null && method.equals("GET")) {
            send(http, 200, issue.toString());
        } else {
            send(http, 405, "{\"errorMessages\":[\"Method not allowed\"],\"errors\":{}}");
        }
    }

    /** JQL as the delivery sends it: labels = "x". */
    private void jiraSearch(HttpExchange http, String query) throws IOException {
        String jql = param(query, "jql");
        Matcher m = Pattern.compile("^labels\\s*=\\s*\"([^\"]+)\"$").matcher(jql == null ? "" : jql.trim());
        if (!m.matches()) {
            send(http, 400, "{\"errorMessages\":[\"Error in the JQL Query: the fake understands only labels = \\\"x\\\".\"],\"errors\":{}}");
            return;
        }
        ObjectNode out = mapper.createObjectNode().put("startAt", 0).put("maxResults", 50);
        ArrayNode found = out.putArray("issues");
        for (ObjectNode issue : issues.values()) {
            for (JsonNode l : issue.path("fields").path("labels")) {
                if (l.asText().equals(m.group(1))) {
                    ObjectNode hit = found.addObject().put("id", issue.path("id").asText()).put("key", issue.path("key").asText());
                    hit.putObject("fields").set("status", issue.path("fields").path("status"));
                }
            }
        }
        out.put("total", found.size());
        send(http, 200, out.toString());
    }

    private ObjectNode status(String transition) {
        String[] s = TRANSITIONS.get(transition);
        ObjectNode st = mapper.createObjectNode().put("name", s[0]);
        st.putObject("statusCategory").put("key", s[1]);
        return st;
    }

    private ObjectNode jsonObject(String body) {
        try {
            JsonNode n = mapper.readTree(body);
            return n instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String param(String query, String name) {
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

    private static void send(HttpExchange http, int status, String body) throws IOException {
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
