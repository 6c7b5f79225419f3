package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fake ServiceNow Table API of {@link FakeTicketing}: incident records created by POST, found by
 * sysparm_query=correlation_id=..., changed by PATCH or PUT (work_notes appended to work_notes_list).
 * Called under the FakeTicketing's lock.
 */
final class FakeServiceNow {

    private final Map<String, ObjectNode> incidents = new LinkedHashMap<>();
    private final AtomicInteger nextNumber = new AtomicInteger(10001);

    List<ObjectNode> incidents() {
        return incidents.values().stream().map(ObjectNode::deepCopy).toList();
    }

    void table(HttpExchange http, String method, String sysId, String query, String body) throws IOException {
        if (sysId == null && method.equals("POST")) {
            ObjectNode fields = FakeTicketing.jsonObject(body);
            if (fields == null || !fields.path("short_description").isTextual()) {
                FakeTicketing.send(http, 400, "{\"error\":{\"message\":\"Missing short_description\",\"detail\":null},\"status\":\"failure\"}");
                return;
            }
            ObjectNode record = fields.deepCopy();
            String id = java.util.UUID.randomUUID().toString().replace("-", "");
            record.put("sys_id", id).put("number", "INC00" + nextNumber.getAndIncrement()).put("state", "1");
            record.putArray("work_notes_list");
            record.remove("work_notes");
            incidents.put(id, record);
            FakeTicketing.send(http, 201, FakeTicketing.MAPPER.createObjectNode().set("result", record).toString());
        } else if (sysId == null && method.equals("GET")) {
            String q = FakeTicketing.param(query, "sysparm_query");
            ArrayNode result = FakeTicketing.MAPPER.createArrayNode();
            String wanted = q != null && q.startsWith("correlation_id=") ? q.substring("correlation_id=".length()) : null;
            incidents.values().stream().filter(r -> wanted == null || wanted.equals(r.path("correlation_id").asText()))
                    .forEach(r -> result.addObject().put("sys_id", r.path("sys_id").asText())
                            .put("number", r.path("number").asText()).put("state", r.path("state").asText()));
            FakeTicketing.send(http, 200, FakeTicketing.MAPPER.createObjectNode().set("result", result).toString());
        } else if (sysId != null && (method.equals("PATCH") || method.equals("PUT"))) {
            ObjectNode record = incidents.get(sysId);
            ObjectNode fields = FakeTicketing.jsonObject(body);
            if (record == null || fields == null) {
                FakeTicketing.send(http, record == null ? 404 : 400, "{\"error\":{\"message\":\"No Record found\"},\"status\":\"failure\"}");
                return;
            }
            fields.fields().forEachRemaining(f -> {
                if (f.getKey().equals("work_notes")) {
                    record.withArray("work_notes_list").add(f.getValue().asText());
                } else {
                    record.set(f.getKey(), f.getValue());
                }
            });
            FakeTicketing.send(http, 200, FakeTicketing.MAPPER.createObjectNode().set("result", record).toString());
        } else if (sysId != null && method.equals("GET") && incidents.containsKey(sysId)) {
            FakeTicketing.send(http, 200, FakeTicketing.MAPPER.createObjectNode().set("result", incidents.get(sysId)).toString());
        } else {
            FakeTicketing.send(http, 405, "{\"error\":{\"message\":\"Method not supported\"},\"status\":\"failure\"}");
        }
    }
}
