package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * How the simulator reads requests and answers them: Graph's and Entra's error bodies, entity
 * bodies, the enum members a client did not opt into, as every simulated resource shares them.
 */
final class GraphResponses {

    // Graph has no nesting limit of its own; a test can hand it alerts nested deeper than Jackson's default 1000.
    final ObjectMapper mapper = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder()
                    .maxNestingDepth(100_000).build()).build());
    final Clock clock;
    private final Supplier<String> baseUrl;

    GraphResponses(Clock clock, Supplier<String> baseUrl) {
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    String baseUrl() {
        return baseUrl.get();
    }

    void graphError(HttpExchange http, int status, String code, String message) throws IOException {
        graphError(http, status, code, message, Map.of());
    }

    void graphError(HttpExchange http, int status, String code, String message, Map<String, String> headers)
            throws IOException {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code).put("message", message);
        error.putObject("innerError")
                .put("date", GraphTime.format(Instant.now(clock)).substring(0, 19))
                .put("request-id", UUID.randomUUID().toString())
                .put("client-request-id", UUID.randomUUID().toString());
        send(http, status, headers, mapper.writeValueAsBytes(body));
    }

    void oauthError(HttpExchange http, int status, String error, String description) throws IOException {
        ObjectNode body = mapper.createObjectNode().put("error", error).put("error_description", description);
        body.putArray("error_codes").add(Integer.parseInt(description.replaceAll("^AADSTS(\\d+).*", "$1")));
        body.put("timestamp", GraphTime.format(Instant.now(clock))).put("trace_id", UUID.randomUUID().toString())
                .put("correlation_id", UUID.randomUUID().toString());
        send(http, status, Map.of(), mapper.writeValueAsBytes(body));
    }

    void notFound(HttpExchange http, SimulatedCollection collection, String id) throws IOException {
        graphError(http, 404, "NotFound", "The " + collection.path + " entity '" + id + "' was not found.");
    }

    byte[] entityBody(SimulatedCollection collection, ObjectNode entity) throws IOException {
        ObjectNode body = mapper.createObjectNode()
                .put("@odata.context", baseUrl() + "/v1.0/$metadata#security/" + collection.path + "/$entity");
        body.setAll(entity);
        return mapper.writeValueAsBytes(body);
    }

    /** The request's JSON object, or null after answering 400 as Graph does. */
    JsonNode jsonObjectBody(HttpExchange http) throws IOException {
        JsonNode body;
        try {
            body = mapper.readTree(http.getRequestBody().readAllBytes());
        } catch (IOException e) {
            graphError(http, 400, "BadRequest", "The request body is not valid JSON.");
            return null;
        }
        if (body == null || !body.isObject()) {
            graphError(http, 400, "BadRequest", "The request body must be a JSON object.");
            return null;
        }
        return body;
    }

    static void send(HttpExchange http, int status, Map<String, String> headers, byte[] body) throws IOException {
        http.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        headers.forEach((k, v) -> http.getResponseHeaders().set(k, v));
        http.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = http.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static Map<String, String> parseForm(String raw) {
        Map<String, String> form = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return form;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(k, v);
        }
        return form;
    }

    static boolean preferUnknownMembers(HttpExchange http) {
        List<String> prefer = http.getRequestHeaders().get("Prefer");
        return prefer != null && prefer.stream().anyMatch(p -> p.toLowerCase().contains("include-unknown-enum-members"));
    }

    static Map<String, String> preferenceApplied(boolean unknownMembers) {
        return unknownMembers ? Map.of("Preference-Applied", "include-unknown-enum-members") : Map.of();
    }

    /**
     * Members declared after unknownFutureValue are sent only to clients that opt in; others get
     * unknownFutureValue, as Graph does.
     */
    static ObjectNode masked(SimulatedCollection collection, ObjectNode entity, boolean unknownMembers) {
        if (unknownMembers) {
            return entity;
        }
        ObjectNode copy = entity;
        for (var e : collection.evolvable.entrySet()) {
            if (e.getValue().contains(entity.path(e.getKey()).asText())) {
                copy = copy == entity ? entity.deepCopy() : copy;
                copy.put(e.getKey(), "unknownFutureValue");
            }
        }
        return copy;
    }
}
