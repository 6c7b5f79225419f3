package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ServiceNow Table API: a record per ticket (servicenow-create.json.mustache), work notes and
 * state changes by PATCH (servicenow-note, -resolve, -reopen).
 */
final class ServiceNowTickets implements TicketingSystem {

    // New, In Progress, On Hold are open; Resolved (6), Closed (7), Canceled (8) are not.
    private static final Set<String> DONE_STATES = Set.of("6", "7", "8");

    private final TicketingCall http;
    private final TicketTemplates templates;
    private final String table;
    private final boolean reopens;

    /** {@code table}: graph.tickets.servicenow.table; {@code reopens}: graph.tickets.reopen. */
    ServiceNowTickets(TicketingCall http, TicketTemplates templates, String table, boolean reopens) {
        if (!table.matches("[a-z][a-z0-9_]{0,79}")) {
            throw new IllegalStateException("graph.tickets.servicenow.table=" + table + " is not a ServiceNow table name"
                    + " (lower-case letters, digits and _)");
        }
        this.http = http;
        this.templates = templates;
        this.table = table;
        this.reopens = reopens;
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
        JsonNode res = http.send("GET", "/api/now/table/" + table,
                "sysparm_query=" + TicketingCall.encode("correlation_id=" + correlationKey)
                        + "&sysparm_fields=sys_id,number,state&sysparm_limit=1",
                null, Map.of(), "search for " + correlationKey);
        JsonNode first = res.path("result").path(0);
        return first.isObject() ? Optional.of(ticket(first)) : Optional.empty();
    }

    @Override
    public Ticket create(JsonNode context) {
        JsonNode rendered = templates.body("servicenow-create.json.mustache", context);
        if (!(rendered instanceof ObjectNode body)) {
            throw new TicketingRejectedException("template servicenow-create.json.mustache did not render a JSON object");
        }
        // The duplicate search after a crash depends on it, whatever the template says.
        body.put("correlation_id", context.path("correlationKey").asText());
        JsonNode res = http.send("POST", "/api/now/table/" + table, null, body, Map.of(), "create");
        JsonNode result = res.path("result");
        if (!result.path("sys_id").isTextual()) {
            throw new TicketingRejectedException("ServiceNow create answered without result.sys_id: "
                    + TicketScope.oneLine(res.toString(), 300));
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
        if (!reopens) {
            return false;
        }
        patch(ticket, "reopen", context);
        return true;
    }

    private void patch(Ticket ticket, String step, JsonNode context) {
        JsonNode body = templates.body("servicenow-" + step + ".json.mustache", context);
        http.send("PATCH", "/api/now/table/" + table + "/" + TicketingCall.encode(ticket.id()), null, body, Map.of(),
                step + " " + ticket.number());
    }

    private Ticket ticket(JsonNode record) {
        String sysId = record.path("sys_id").asText();
        return new Ticket(sysId, record.path("number").asText(sysId),
                http.baseUrl() + "/" + table + ".do?sys_id=" + sysId, DONE_STATES.contains(record.path("state").asText()));
    }
}
