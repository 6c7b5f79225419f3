package io.graphsec.routes.simulator;

import static io.graphsec.routes.simulator.GraphResponses.masked;
import static io.graphsec.routes.simulator.GraphResponses.preferenceApplied;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * /security/{alerts_v2|incidents|alerts|secureScores|secureScoreControlProfiles}[/{id}[/comments|/alerts]]:
 * the role check, then a list ({@link CollectionPages}), a GET, a PATCH with Graph's rules per
 * collection (legacy alerts' vendorInformation, a control profile's new state entry, an incident
 * resolving its alerts) or a POST of a comment.
 */
final class EntityEndpoint {

    private final GraphResponses out;
    private final GraphGate gate;
    private final SecureScoreLimits secureScore;
    private final CollectionPages pages;
    private final Function<String, TenantData> tenants;

    EntityEndpoint(GraphResponses out, GraphGate gate, SecureScoreLimits secureScore, CollectionPages pages,
                   Function<String, TenantData> tenants) {
        this.out = out;
        this.gate = gate;
        this.secureScore = secureScore;
        this.pages = pages;
        this.tenants = tenants;
    }

    void graph(HttpExchange http, SimulatedCollection collection, String encodedId, String subPath)
            throws IOException {
        JsonNode claims = gate.authenticated(http, subPath);
        if (claims == null) {
            return;
        }
        boolean write = !"GET".equals(http.getRequestMethod());
        if (!gate.hasRole(http, claims, write ? collection.writeRoles : collection.readRoles)) {
            return;
        }
        if (!collection.secureScore()) {
            answer(http, collection, claims, encodedId, subPath);
            return;
        }
        secureScore.within(http, claims, () -> answer(http, collection, claims, encodedId, subPath));
    }

    private void answer(HttpExchange http, SimulatedCollection collection, JsonNode claims, String encodedId,
                        String subPath) throws IOException {
        boolean comments = "/comments".equals(subPath);
        String tenant = claims.path("tid").asText();
        String method = http.getRequestMethod();
        boolean unknownMembers = GraphResponses.preferUnknownMembers(http);
        TenantData data = tenants.apply(tenant);
        EntityStore store = data.store(collection);
        if (encodedId == null) {
            if (!"GET".equals(method)) {
                out.graphError(http, 405, "BadRequest", "The HTTP method '" + method + "' is not supported on the collection.");
                return;
            }
            pages.list(http, collection, data, unknownMembers);
            return;
        }
        if (!"GET".equals(method) && collection.writable.isEmpty()) {
            out.graphError(http, 405, "BadRequest", "The HTTP method '" + method + "' is not supported on " + collection.path + ".");
            return;
        }
        String id = URLDecoder.decode(encodedId, StandardCharsets.UTF_8);
        if ("/alerts".equals(subPath)) {
            if (collection != SimulatedCollection.INCIDENTS) {
                out.graphError(http, 400, "BadRequest", "Resource not found for the segment 'alerts'.");
            } else if (!"GET".equals(method)) {
                out.graphError(http, 405, "BadRequest", "The HTTP method '" + method + "' is not supported on alerts.");
            } else {
                pages.incidentAlerts(http, data, id, unknownMembers);
            }
            return;
        }
        if (comments) {
            if (!collection.hasCommentsEndpoint || !"POST".equals(method)) {
                out.graphError(http, 405, "BadRequest", "The HTTP method '" + method + "' is not supported on comments.");
                return;
            }
            addComment(http, collection, store, id, claims.path("appid").asText());
            return;
        }
        switch (method) {
            case "GET" -> get(http, collection, data, id, unknownMembers);
            case "PATCH" -> patch(http, collection, data, id, unknownMembers, claims.path("appid").asText());
            default -> out.graphError(http, 405, "BadRequest", "The HTTP method '" + method + "' is not supported here.");
        }
    }

    private void get(HttpExchange http, SimulatedCollection collection, TenantData tenant, String id, boolean unknownMembers)
            throws IOException {
        Map<String, String> q = GraphResponses.parseForm(http.getRequestURI().getRawQuery());
        Boolean expand = pages.expandAlerts(http, collection, q);
        if (expand == null) {
            return;
        }
        EntityStore store = tenant.store(collection);
        // Alerts before incidents: the order in which an alert's change reaches its incident.
        Optional<ObjectNode> entity = expand
                ? tenant.alerts.read(() -> store.get(id).map(i -> CollectionPages.withAlerts(i, tenant, unknownMembers)))
                : store.get(id);
        if (entity.isEmpty()) {
            out.notFound(http, collection, id);
            return;
        }
        GraphResponses.send(http, 200, preferenceApplied(unknownMembers),
                out.entityBody(collection, masked(collection, entity.get(), unknownMembers)));
    }

    /** PATCH with Graph's rules: only writable properties, valid enum members; 200 + entity, legacy 204. */
    private void patch(HttpExchange http, SimulatedCollection collection, TenantData tenant, String id,
                       boolean unknownMembers, String app) throws IOException {
        EntityStore store = tenant.store(collection);
        JsonNode body = out.jsonObjectBody(http);
        if (body == null) {
            return;
        }
        var current = store.get(id);
        if (current.isEmpty()) {
            out.notFound(http, collection, id);
            return;
        }
        for (var it = body.fields(); it.hasNext(); ) {
            var field = it.next();
            List<String> members = collection.writable.get(field.getKey());
            if (members == null) {
                out.graphError(http, 400, "BadRequest", "Property '" + field.getKey() + "' is read-only or does not exist on "
                        + collection.path + ".");
                return;
            }
            if (!members.isEmpty() && !members.contains(field.getValue().asText())) {
                out.graphError(http, 400, "BadRequest", "Invalid value '" + field.getValue().asText() + "' for property '"
                        + field.getKey() + "'.");
                return;
            }
        }
        if (collection.legacyPatchSemantics && !legacyPatchAllowed(http, body, current.get())) {
            return;
        }
        if (collection == SimulatedCollection.SECURE_SCORE_CONTROL_PROFILES) {
            // A profile is not changed in place: the PATCH becomes a new controlStateUpdates entry.
            ObjectNode profile = tenant.scores.setState(id, body.path("state").asText(tenant.scores.state(id)),
                    body.path("assignedTo").isTextual() ? body.get("assignedTo").asText() : null,
                    body.path("comment").asText(""), app);
            legacyAnswer(http, collection, profile, unknownMembers);
            return;
        }
        if (collection == SimulatedCollection.INCIDENTS && "resolved".equals(body.path("status").asText())) {
            // Resolving an incident resolves its alerts; they are stamped first so the incident's stamp is the latest.
            tenant.book.resolveAlerts(id);
        }
        ObjectNode updated = store.update(id, collection.stampField, e -> {
            body.fields().forEachRemaining(f -> {
                if (f.getKey().equals("comments") && collection.legacyPatchSemantics) {
                    f.getValue().forEach(c -> e.withArray("comments").add(c.asText()));
                } else if (!f.getKey().equals("vendorInformation")) {
                    e.set(f.getKey(), f.getValue());
                }
            });
            if ("resolved".equals(body.path("status").asText()) && !collection.legacyPatchSemantics) {
                e.put("resolvedDateTime", GraphTime.format(Instant.now(out.clock)));
            }
        }).orElseThrow();
        legacyAnswer(http, collection, updated, unknownMembers);
    }

    /** The legacy API's extra rules: the entity's own vendorInformation, and only the two closing comments. */
    private boolean legacyPatchAllowed(HttpExchange http, JsonNode body, ObjectNode current) throws IOException {
        JsonNode vendor = body.path("vendorInformation");
        JsonNode have = current.path("vendorInformation");
        if (!vendor.path("provider").isTextual() || !vendor.path("vendor").isTextual()) {
            out.graphError(http, 400, "BadRequest", "The request body must contain vendorInformation with provider and vendor.");
            return false;
        }
        if (!vendor.path("provider").asText().equals(have.path("provider").asText())
                || !vendor.path("vendor").asText().equals(have.path("vendor").asText())) {
            out.graphError(http, 400, "BadRequest", "vendorInformation does not match the alert's provider and vendor.");
            return false;
        }
        for (JsonNode c : body.path("comments")) {
            if (!Set.of("Closed in IPC", "Closed in MCAS").contains(c.asText())) {
                out.graphError(http, 400, "BadRequest", "Only 'Closed in IPC' and 'Closed in MCAS' can be set as comments.");
                return false;
            }
        }
        return true;
    }

    /** 204 for the legacy-style PATCHes unless {@code Prefer: return=representation}, else 200 with the entity. */
    private void legacyAnswer(HttpExchange http, SimulatedCollection collection, ObjectNode updated, boolean unknownMembers)
            throws IOException {
        if (collection.legacyPatchSemantics) {
            List<String> prefer = http.getRequestHeaders().get("Prefer");
            if (prefer == null || prefer.stream().noneMatch(p -> p.contains("return=representation"))) {
                GraphResponses.send(http, 204, Map.of(), new byte[0]);
                return;
            }
        }
        GraphResponses.send(http, 200, preferenceApplied(unknownMembers),
                out.entityBody(collection, masked(collection, updated, unknownMembers)));
    }

    /** POST .../comments appends and answers 200 with the whole comment collection, as Graph does. */
    private void addComment(HttpExchange http, SimulatedCollection collection, EntityStore store, String id, String app)
            throws IOException {
        JsonNode body = out.jsonObjectBody(http);
        if (body == null) {
            return;
        }
        if (!body.path("comment").isTextual() || body.path("comment").asText().isBlank()) {
            out.graphError(http, 400, "BadRequest", "The request body must contain a non-empty 'comment'.");
            return;
        }
        var updated = store.update(id, collection.stampField, e -> e.withArray("comments").addObject()
                .put("comment", body.get("comment").asText())
                .put("createdByDisplayName", "Automation (" + app + ")")
                .put("createdDateTime", GraphTime.format(Instant.now(out.clock))));
        if (updated.isEmpty()) {
            out.notFound(http, collection, id);
            return;
        }
        ObjectNode result = out.mapper.createObjectNode()
                .put("@odata.context", out.baseUrl() + "/v1.0/$metadata#security/" + collection.path + "('" + id + "')/comments");
        result.set("value", updated.get().path("comments"));
        GraphResponses.send(http, 200, Map.of(), out.mapper.writeValueAsBytes(result));
    }
}
