package io.graphsec.routes.simulator;

import static io.graphsec.routes.simulator.GraphResponses.masked;
import static io.graphsec.routes.simulator.GraphResponses.preferenceApplied;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * GET on a collection (alerts_v2, incidents with {@code $expand=alerts}, an incident's /alerts,
 * legacy alerts with federation's 206, secure score): $filter, $top, $skip and $count as Graph
 * checks them, pages with absolute @odata.nextLink.
 */
final class CollectionPages {

    private final GraphResponses out;
    private final AtomicBoolean omitNextLink = new AtomicBoolean();
    private final int defaultTop = 100;
    volatile int maxTop = 2000;
    volatile boolean failExpand;
    volatile String failingLegacyProvider;
    /**
     * Legacy /security/alerts as Microsoft retired it: null, served; 0, every page empty (it "stops
     * returning data"); a status, every list answered with it and a Graph error.
     */
    volatile Integer legacyRetired;

    CollectionPages(GraphResponses out) {
        this.out = out;
    }

    /** The next list page that has more after it is sent without its @odata.nextLink. */
    void omitNextLinkOnce() {
        omitNextLink.set(true);
    }

    void list(HttpExchange http, SimulatedCollection collection, TenantData tenant, boolean unknownMembers)
            throws IOException {
        ListQuery q = listQuery(http, collection, collection);
        if (q == null) {
            return;
        }
        EntityStore store = tenant.store(collection);
        String path = collection.path;
        Integer retired = collection == SimulatedCollection.LEGACY_ALERTS ? legacyRetired : null;
        if (retired != null && retired > 0) {
            out.graphError(http, retired, retired == 410 ? "Gone" : retired == 404 ? "NotFound" : "BadRequest",
                    "The legacy security alerts API (/security/alerts) is retired; use /security/alerts_v2.");
            return;
        }
        if (retired != null) {
            q = q.withFilter(q.filterText + "\u0000retired", q.filter.and(a -> false));
        }
        String failing = collection == SimulatedCollection.LEGACY_ALERTS ? failingLegacyProvider : null;
        if (failing != null) {
            // The federation leaves out what the failed provider would have contributed.
            q = q.withFilter(q.filterText + "\u0000without provider " + failing,
                    q.filter.and(a -> !failing.equals(a.path("vendorInformation").path("provider").asText())));
        }
        ListQuery query = q;
        Supplier<byte[]> render = () -> store.query(query.filterText, query.filter,
                matches -> page(path, path, collection, query, matches, tenant, unknownMembers));
        // Alerts before incidents: the order in which an alert's change reaches its incident.
        byte[] body = q.expand ? tenant.alerts.read(render) : render.get();
        if (failing != null) {
            Map<String, String> headers = new LinkedHashMap<>(preferenceApplied(unknownMembers));
            headers.put("Warning", "199 - \"Microsoft/" + failing + "/504/10000\"");
            GraphResponses.send(http, 206, headers, body);
            return;
        }
        GraphResponses.send(http, 200, preferenceApplied(unknownMembers), body);
    }

    /** GET /security/incidents/{id}/alerts: the incident's alerts, filtered and paged like alerts_v2. */
    void incidentAlerts(HttpExchange http, TenantData tenant, String id, boolean unknownMembers) throws IOException {
        ListQuery q = listQuery(http, SimulatedCollection.ALERTS_V2, SimulatedCollection.INCIDENTS);
        if (q == null) {
            return;
        }
        if (tenant.incidents.get(id).isEmpty()) {
            out.notFound(http, SimulatedCollection.INCIDENTS, id);
            return;
        }
        String path = "incidents/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/alerts";
        String context = "incidents('" + id + "')/alerts";
        byte[] body = page(context, path, SimulatedCollection.ALERTS_V2, q,
                tenant.book.alertsOf(id).stream().filter(q.filter::matches).toList(), tenant, unknownMembers);
        GraphResponses.send(http, 200, preferenceApplied(unknownMembers), body);
    }

    /** $filter, $top, $skip, $count (and $expand on incidents) as Graph checks them, or null after answering 400/500. */
    private ListQuery listQuery(HttpExchange http, SimulatedCollection items, SimulatedCollection resource)
            throws IOException {
        Map<String, String> q = GraphResponses.parseForm(http.getRequestURI().getRawQuery());
        for (String option : q.keySet()) {
            boolean expandable = option.equals("$expand") && items == SimulatedCollection.INCIDENTS;
            if (option.startsWith("$") && !expandable && !Set.of("$filter", "$top", "$skip", "$count").contains(option)) {
                out.graphError(http, 400, "BadRequest", "Query option '" + option + "' is not supported on " + items.path + ".");
                return null;
            }
        }
        Boolean expand = expandAlerts(http, resource, q);
        if (expand == null) {
            return null;
        }
        int limit = resource.topLimit > 0 ? resource.topLimit : maxTop;
        int top;
        int skip;
        try {
            int pageSize = resource.defaultPageSize > 0 ? resource.defaultPageSize : defaultTop;
            top = q.containsKey("$top") ? Integer.parseInt(q.get("$top")) : Math.min(pageSize, limit);
            skip = q.containsKey("$skip") ? Integer.parseInt(q.get("$skip")) : 0;
        } catch (NumberFormatException e) {
            out.graphError(http, 400, "BadRequest", "Invalid value for $top or $skip: must be a non-negative integer.");
            return null;
        }
        if (top < 1 || top > limit || skip < 0) {
            // ASP.NET OData's own wording, which Graph passes through.
            out.graphError(http, 400, "BadRequest", "The limit of '" + limit + "' for Top query has been exceeded."
                    + " The value from the incoming request is '" + top + "'.");
            return null;
        }
        if (resource.skipLimit > 0 && skip > resource.skipLimit) {
            out.graphError(http, 400, "BadRequest", "The limit of '" + resource.skipLimit + "' for Skip query has been exceeded."
                    + " The value from the incoming request is '" + skip + "'.");
            return null;
        }
        String filterText = q.getOrDefault("$filter", "");
        ODataFilter filter;
        try {
            filter = filterText.isBlank() ? ODataFilter.all() : ODataFilter.parse(filterText, items.filterable);
        } catch (IllegalArgumentException e) {
            out.graphError(http, 400, "BadRequest", "Invalid filter clause: " + e.getMessage());
            return null;
        }
        return new ListQuery(q, top, skip, filterText, filter, "true".equalsIgnoreCase(q.get("$count")), expand);
    }

    private record ListQuery(Map<String, String> query, int top, int skip, String filterText, ODataFilter filter,
                             boolean count, boolean expand) {
        ListQuery withFilter(String text, ODataFilter f) {
            return new ListQuery(query, top, skip, text, f, count, expand);
        }
    }

    /**
     * Whether the request asks for an incident's alerts inline; null after answering: 400 for anything
     * but {@code $expand=alerts} on incidents, 500 while {@link #failExpand} is on.
     */
    Boolean expandAlerts(HttpExchange http, SimulatedCollection collection, Map<String, String> query)
            throws IOException {
        String expand = query.get("$expand");
        if (expand == null || collection != SimulatedCollection.INCIDENTS) {
            return false;
        }
        if (!expand.equals("alerts")) {
            out.graphError(http, 400, "BadRequest", "Could not find a property named '" + expand
                    + "' on type 'microsoft.graph.security.incident'.");
            return null;
        }
        if (failExpand) {
            out.graphError(http, 500, "InternalServerError", "An internal server error occurred while expanding 'alerts'.");
            return null;
        }
        return true;
    }

    /** One page of {@code matches}, streamed while their store cannot change. */
    private byte[] page(String context, String path, SimulatedCollection collection, ListQuery q, List<ObjectNode> matches,
                        TenantData tenant, boolean unknownMembers) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        try (JsonGenerator g = out.mapper.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("@odata.context", out.baseUrl() + "/v1.0/$metadata#security/" + context);
            if (q.count) {
                g.writeNumberField("@odata.count", matches.size());
            }
            g.writeArrayFieldStart("value");
            int end = Math.min(matches.size(), q.skip + q.top);
            for (int i = q.skip; i < end; i++) {
                ObjectNode item = q.expand ? withAlerts(matches.get(i), tenant, unknownMembers) : matches.get(i);
                out.mapper.writeTree(g, masked(collection, item, unknownMembers));
            }
            g.writeEndArray();
            if (end < matches.size() && !omitNextLink.compareAndSet(true, false)) {
                g.writeStringField("@odata.nextLink", nextLink(path, q.query, q.top, end));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A copy of the incident with its alerts inline, as {@code $expand=alerts} gives it. */
    static ObjectNode withAlerts(ObjectNode incident, TenantData tenant, boolean unknownMembers) {
        ObjectNode copy = incident.deepCopy();
        var alerts = copy.putArray("alerts");
        tenant.book.alertsOf(incident.path("id").asText())
                .forEach(a -> alerts.add(masked(SimulatedCollection.ALERTS_V2, a, unknownMembers)));
        return copy;
    }

    private String nextLink(String path, Map<String, String> query, int top, int skip) {
        Map<String, String> next = new LinkedHashMap<>(query);
        next.put("$top", String.valueOf(top));
        next.put("$skip", String.valueOf(skip));
        StringBuilder sb = new StringBuilder(out.baseUrl()).append("/v1.0/security/").append(path).append('?');
        next.forEach((k, v) -> sb.append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")).append('&'));
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }
}
