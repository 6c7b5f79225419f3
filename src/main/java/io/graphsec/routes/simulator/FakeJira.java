package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fake Jira REST v2 of {@link FakeTicketing}: issues, their comments and transitions in Jira's
 * default workflow, and JQL search by label. Called under the FakeTicketing's lock.
 */
final class FakeJira {

    /** Jira's default workflow: To Do (11), In Progress (21), Done (31), and Reopen (41) back to To Do. */
    private static final Map<String, String[]> TRANSITIONS = Map.of("11", new String[] {"To Do", "new"},
            "21", new String[] {"In Progress", "indeterminate"}, "31", new String[] {"Done", "done"},
            "41", new String[] {"Reopen", "new"});

    private final Map<String, ObjectNode> issues = new LinkedHashMap<>();
    private final AtomicInteger nextIssue = new AtomicInteger(1);
    private final Supplier<String> baseUrl;

    FakeJira(Supplier<String> baseUrl) {
        this.baseUrl = baseUrl;
    }

    List<ObjectNode> issues() {
        return issues.values().stream().map(ObjectNode::deepCopy).toList();
    }

    void issue(HttpExchange http, String method, String key, String sub, String body) throws IOException {
        if (key == null && method.equals("POST")) {
            ObjectNode req = FakeTicketing.jsonObject(body);
            JsonNode fields = req == null ? null : req.path("fields");
            if (fields == null || !fields.path("project").path("key").isTextual() || !fields.path("summary").isTextual()) {
                FakeTicketing.send(http, 400, "{\"errorMessages\":[],\"errors\":{\"project\":\"project is required\",\"summary\":\"You must specify a summary of the issue.\"}}");
                return;
            }
            String newKey = fields.path("project").path("key").asText() + "-" + nextIssue.getAndIncrement();
            ObjectNode issue = FakeTicketing.MAPPER.createObjectNode().put("id", String.valueOf(10000 + issues.size())).put("key", newKey);
            ObjectNode f = fields.deepCopy();
            f.set("status", status("11"));
            f.putObject("comment").putArray("comments");
            issue.set("fields", f);
            issues.put(newKey, issue);
            FakeTicketing.send(http, 201, FakeTicketing.MAPPER.createObjectNode().put("id", issue.path("id").asText()).put("key", newKey)
                    .put("self", baseUrl.get() + "/rest/api/2/issue/" + issue.path("id").asText()).toString());
            return;
        }
        ObjectNode issue = key == null ? null : issues.get(key);
        if (issue == null) {
            FakeTicketing.send(http, 404, "{\"errorMessages\":[\"Issue does not exist or you do not have permission to see it.\"],\"errors\":{}}");
            return;
        }
        if ("/comment".equals(sub) && method.equals("POST")) {
            ObjectNode req = FakeTicketing.jsonObject(body);
            if (req == null || !req.path("body").isTextual()) {
                FakeTicketing.send(http, 400, "{\"errorMessages\":[],\"errors\":{\"comment\":\"Comment body can not be empty!\"}}");
                return;
            }
            ObjectNode c = ((ObjectNode) issue.path("fields").path("comment")).withArray("comments").addObject();
            c.put("id", String.valueOf(issue.path("fields").path("comment").path("comments").size())).put("body", req.get("body").asText());
            FakeTicketing.send(http, 201, c.toString());
        } else if ("/transitions".equals(sub) && method.equals("GET")) {
            ObjectNode out = FakeTicketing.MAPPER.createObjectNode();
            ArrayNode list = out.putArray("transitions");
            TRANSITIONS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                ObjectNode t = list.addObject().put("id", e.getKey()).put("name", e.getValue()[0]);
                t.set("to", status(e.getKey()));
            });
            FakeTicketing.send(http, 200, out.toString());
        } else if ("/transitions".equals(sub) && method.equals("POST")) {
            ObjectNode req = FakeTicketing.jsonObject(body);
            String id = req == null ? "" : req.path("transition").path("id").asText();
            if (!TRANSITIONS.containsKey(id)) {
                FakeTicketing.send(http, 400, "{\"errorMessages\":[\"Transition id '" + id.replaceAll("[^0-9A-Za-z]", "?")
                        + "' is not valid for this issue.\"],\"errors\":{}}");
                return;
            }
            ((ObjectNode) issue.get("fields")).set("status", status(id));
            FakeTicketing.send(http, 204, "");
        } else if (sub == null && method.equals("GET")) {
            FakeTicketing.send(http, 200, issue.toString());
        } else {
            FakeTicketing.send(http, 405, "{\"errorMessages\":[\"Method not allowed\"],\"errors\":{}}");
        }
    }

    /** JQL as the delivery sends it: labels = "x". */
    void search(HttpExchange http, String query) throws IOException {
        String jql = FakeTicketing.param(query, "jql");
        Matcher m = Pattern.compile("^labels\\s*=\\s*\"([^\"]+)\"$").matcher(jql == null ? "" : jql.trim());
        if (!m.matches()) {
            FakeTicketing.send(http, 400, "{\"errorMessages\":[\"Error in the JQL Query: the fake understands only labels = \\\"x\\\".\"],\"errors\":{}}");
            return;
        }
        ObjectNode out = FakeTicketing.MAPPER.createObjectNode().put("startAt", 0).put("maxResults", 50);
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
        FakeTicketing.send(http, 200, out.toString());
    }

    private ObjectNode status(String transition) {
        String[] s = TRANSITIONS.get(transition);
        ObjectNode st = FakeTicketing.MAPPER.createObjectNode().put("name", s[0]);
        st.putObject("statusCategory").put("key", s[1]);
        return st;
    }
}
