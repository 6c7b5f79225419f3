package io.graphsec.routes.state.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.state.TicketCorrelations;
import java.util.Optional;

/** One row per correlation unit, its record as JSON text; each put is its own committed upsert. */
final class JdbcTicketCorrelations implements TicketCorrelations {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Sql sql;
    private final String scope;

    JdbcTicketCorrelations(Sql sql, String scope) {
        this.sql = sql;
        this.scope = scope;
    }

    @Override
    public Optional<ObjectNode> get(String unit) {
        Optional<String> json = sql.read("read the ticket correlation of " + unit + " from",
                "SELECT record FROM graph_ticket_correlation WHERE scope = ? AND unit = ?",
                rs -> rs.getString(1), scope, unit);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode node = mapper.readTree(json.get());
            return node instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the ticket correlation of " + unit + " in graph_ticket_correlation is not"
                    + " valid JSON; fix or delete the row (deleting makes the next message search the ticketing system"
                    + " for its ticket)", e);
        }
    }

    @Override
    public void put(String unit, ObjectNode record) {
        String json;
        try {
            json = mapper.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw Sql.failed("write the ticket correlation of " + unit + " to", e);
        }
        sql.write("write the ticket correlation of " + unit + " to",
                "INSERT INTO graph_ticket_correlation (scope, unit, record) VALUES (?, ?, ?)"
                        + " ON CONFLICT (scope, unit) DO UPDATE SET record = EXCLUDED.record", scope, unit, json);
    }
}
