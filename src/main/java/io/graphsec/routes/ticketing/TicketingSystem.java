package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What the delivery needs from a ticketing system. {@code context} is the template context
 * (alert, incident, headers, the note text, ...) the ticket templates are rendered with
 * ({@link TicketScope}).
 */
interface TicketingSystem {

    /** ServiceNow, Jira: as the ticket number comment and the logs name it. */
    String name();

    /** The ticket opened earlier for this correlation key, if the system has one (the duplicate guard). */
    Optional<Ticket> find(String correlationKey, String correlationLabel);

    Ticket create(JsonNode context);

    void note(Ticket ticket, JsonNode context);

    void resolve(Ticket ticket, JsonNode context);

    /** False when reopening is switched off (graph.tickets.reopen): the caller adds a note instead. */
    boolean reopen(Ticket ticket, JsonNode context);

    /**
     * A ticket as the correlation store keeps it. Its id and number come from the ticketing system's
     * answers (or the store) and go into request paths, Graph comments and log lines, so only the
     * shapes ticketing systems use are admitted: a ServiceNow sys_id (32 hex) or number (INC0010001),
     * a Jira id (10001) or key (SOC-42).
     */
    record Ticket(String id, String number, String url, boolean resolved) {
        private static final java.util.regex.Pattern SHAPE = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");

        public Ticket {
            for (String[] v : new String[][] {{"ticket id", id}, {"ticket number", number}}) {
                if (v[1] == null || !SHAPE.matcher(v[1]).matches()) {
                    throw new TicketingRejectedException("the ticketing system answered a " + v[0] + " "
                            + (v[1] == null ? "none" : io.graphsec.routes.graph.GraphIds.quote(v[1]))
                            + " that is not one (letters, digits, _ and - only); not used");
                }
            }
        }
    }
}
