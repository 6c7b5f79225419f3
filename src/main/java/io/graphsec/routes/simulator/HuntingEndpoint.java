package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * POST /security/runHuntingQuery: the tenant's scripted rows with a schema inferred from them,
 * after the per-minute hunting quota and the scripted result-size limit.
 */
final class HuntingEndpoint {

    static final String PATH = "/v1.0/security/runHuntingQuery";
    private static final String ROLE = "ThreatHunting.Read.All";

    private final GraphResponses out;
    private final GraphGate gate;
    private final Function<String, TenantData> tenants;
    volatile int callsPerMinute = 45;

    HuntingEndpoint(GraphResponses out, GraphGate gate, Function<String, TenantData> tenants) {
        this.out = out;
        this.gate = gate;
        this.tenants = tenants;
    }

    void hunting(HttpExchange http) throws IOException {
        JsonNode claims = gate.authenticated(http, "/runHuntingQuery");
        if (claims == null || !gate.hasRole(http, claims, Set.of(ROLE))) {
            return;
        }
        if (!"POST".equals(http.getRequestMethod())) {
            out.graphError(http, 405, "BadRequest", "The HTTP method '" + http.getRequestMethod()
                    + "' is not supported on runHuntingQuery.");
            return;
        }
        String key = "hunting:" + claims.path("tid").asText() + "/" + claims.path("appid").asText();
        if (gate.throttled(http, key, callsPerMinute, "Hunting query quota exceeded: more than " + callsPerMinute
                + " calls per minute for this tenant. Please retry again later.")) {
            return;
        }
        JsonNode body = out.jsonObjectBody(http);
        if (body == null) {
            return;
        }
        // The docs' examples use Query/Timespan, the CSDL query/timespan; Graph takes both.
        JsonNode query = body.has("query") ? body.get("query") : body.path("Query");
        JsonNode timespan = body.has("timespan") ? body.get("timespan") : body.path("Timespan");
        if (!query.isTextual() || query.asText().isBlank()) {
            out.graphError(http, 400, "BadRequest", "The request body must contain a non-empty 'query'.");
            return;
        }
        HuntingRequest request;
        try {
            request = HuntingRequest.of(query.asText(), timespan.isTextual() ? timespan.asText() : null,
                    Instant.now(out.clock));
        } catch (IllegalArgumentException e) {
            out.graphError(http, 400, "BadRequest", "Invalid timespan: " + e.getMessage());
            return;
        }
        TenantData tenant = tenants.apply(claims.path("tid").asText());
        tenant.huntingSeen.add(request);
        if (tenant.huntingSeen.size() > 1000) {
            tenant.huntingSeen.poll(); // a demo may run for days
        }
        Duration max = tenant.huntingMaxSpan;
        if (max != null && request.span().compareTo(max) > 0) {
            out.graphError(http, 400, "BadRequest", "Query execution has exceeded the allowed result size."
                    + " Optimize your query by limiting the number of results and try again.");
            return;
        }
        List<ObjectNode> rows = tenant.hunting.apply(request);
        ObjectNode result = out.mapper.createObjectNode()
                .put("@odata.context", out.baseUrl() + "/v1.0/$metadata#microsoft.graph.security.huntingQueryResults");
        var schema = result.putArray("schema");
        Map<String, String> columns = new LinkedHashMap<>();
        rows.forEach(r -> r.fields().forEachRemaining(f -> columns.merge(f.getKey(), columnType(f.getValue()),
                (a, b) -> a.equals("Object") || a.equals(b) ? a : b.equals("Object") ? b : "String")));
        columns.forEach((name, type) -> schema.addObject().put("name", name).put("type", type));
        result.putArray("results").addAll(rows);
        GraphResponses.send(http, 200, Map.of(), out.mapper.writeValueAsBytes(result));
    }

    /** The Kusto type a hunting column of this value would have. */
    private static String columnType(JsonNode v) {
        if (v.isTextual()) {
            return GraphTime.later(v.asText(), "") ? "DateTime" : "String";
        }
        if (v.isBoolean()) {
            return "Boolean";
        }
        if (v.isIntegralNumber()) {
            return "Int64";
        }
        if (v.isNumber()) {
            return "Double";
        }
        return v.isNull() ? "String" : "Object";
    }
}
