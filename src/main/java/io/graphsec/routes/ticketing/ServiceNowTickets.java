package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The ServiceNow Table API: a record per ticket, work notes and state changes by PATCH. */
final class ServiceNowTickets implements TicketingSystem {

    // New, In Progress, On Hold are open; Resolved (6), Closed (7), Canceled (8) are not.
    private static final Set<String> DONE_STATES = Set.of("6", "7", "8");

    private final TicketingHttp http;
    private final JsonNode mapping;
    private final String table;

    ServiceNowTickets(TicketingHttp http, JsonNode mapping) {
        this.http = http;
        this.mapping = mapping;
        this.table = mapping.path("table").asText("incident");
    }

    @Override
    public String name() {
        return "ServiceNow";
    }

    @Override
    public Optional<Ticket> find(String correlationKey, String correlationLabel) {
        // ^ joins conditions in an encoded query (^OR, ^NQ): a key that could hold one would find another ticket.
        if (!correlationKey.matches("[A-Za-z0-9_.:=-]{1,300}")) {
            throw new TicketingRejectedException("correlation key " + io.graphsec.routes.graph.GraphIds.quote(correlationKey)
                    + " holds a character a ServiceNow query could read as an operator; not searched");
        }
        String query = URLEncoder.encode("correlation_id=" + correlationKey, StandardCharsets.UTF_8);
        JsonNode res = http.send("GET", "/api/now/table/" + table + "?sysparm_query=" + query
                + "&sysparm_fields=sys_id,number,state&sysparm_limit=1", null, Map.of(), "search for " + correlationKey);
        JsonNode first = res.path("result").path(0);
        return first.isObject() ? Optional.of(ticket(first)) : Optional.empty();
    }

    @Override
    public Ticket create(JsonNode context) {
        ObjectNode body = (ObjectNode) TicketTemplate.render(mapping.path("create"), context, "servicenow.create");
        // The duplicate search after a crash depends on it, whatever the mapping says.
        body.put("correlation_id", context.path("correlationKey").asText());
        JsonNode res = http.send("POST", "/api/now/table/" + table, body, Map.of(), "create");
        JsonNode result = res.path("result");
        if (!result.path("sys_id").isTextual()) {
            throw new TicketingRejectedException("ServiceNow create answered without result.sys_id: "
                    + TicketTemplate.shorten(res.toString(), 300));
        }
        return ticket(result);
    }

    @Override
    public void note(Ticket ticket, JsonNode context) {
        patch(ticket, "note", context);
    }

    @Override
    public void resolve(Ticket ticket, JsonNode context) {
        patch(ticket, "resolve", context);
    }

    @Override
    public boolean reopen(Ticket ticket, JsonNode context) {
        if (!mapping.path("reopen").isObject()) {
            return false;
        }
        patch(ticket, "reopen", context);
        return true;
    }

    private void patch(Ticket ticket, String step, JsonNode context) {
        JsonNode body = TicketTemplate.render(mapping.path(step), context, "servicenow." + step);
        http.send("PATCH", "/api/now/table/" + table + "/" + ticket.id(), body, Map.of(), step + " " + ticket.number());
    }

    private Ticket ticket(JsonNode record) {
        String sysId = record.path("sys_id").asText();
        return new Ticket(sysId, record.path("number").asText(sysId),
                http.baseUrl() + "/" + table + ".do?sys_id=" + sysId, DONE_STATES.contains(record.path("state").asText()));
    }
}
