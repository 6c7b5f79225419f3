package io.graphsec.routes.templates;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Message;

/**
 * What a template sees of an alert message: plain strings, numbers, booleans, maps and lists only,
 * so that mustache.java finds nothing to call (a lambda's output would be compiled as a template)
 * and no method of a Jackson or Camel object is reachable from a tag.
 */
final class AlertScope {

    static final String ALERT = "alert";
    static final String ALERT_JSON = "alertJson";

    private AlertScope() {
    }

    static Map<String, Object> of(Message message, ObjectMapper json) {
        Map<String, Object> scope = new HashMap<>();
        // Our headers only (graphAlertId, graphSeverity, graphPortalUrl, ...): JMS*, Camel* and a
        // producer's own properties stay out of the templates.
        message.getHeaders().forEach((name, value) -> {
            if (name.startsWith("graph") && value != null) {
                scope.put(name, value.toString());
            }
        });
        JsonNode body = bodyOf(message, json);
        scope.put(ALERT, json.convertValue(body, Map.class));
        try {
            scope.put(ALERT_JSON, json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the alert cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        return scope;
    }

    private static JsonNode bodyOf(Message message, ObjectMapper json) {
        Object body = message.getBody();
        JsonNode tree;
        try {
            tree = body instanceof JsonNode node ? node : json.readTree(message.getBody(String.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the alert body is not JSON", e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("the alert body is not a JSON object");
        }
        return tree;
    }
}
