package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What the delivery needs from a ticketing system. {@code context} is the template context
 * (alert, incident, headers, the note text, ...) the mapping file's templates are rendered with.
 */
interface TicketingSystem {

    /** ServiceNow, Jira: as the ticket number comment and the logs name it. */
    String name();

    /** The ticket opened earlier for this correlation key, if the system has one (the duplicate guard). */
    Optional<Ticket> find(String correlationKey, String correlationLabel);

    Ticket create(JsonNode context);

    void note(Ticket ticket, JsonNode context);

    void resolve(Ticket ticket, JsonNode context);

    /** False when the mapping has no reopen step: the caller adds a note instead. */
    boolean reopen(Ticket ticket, JsonNode context);

    /** A ticket as the correlation store keeps it. */
    record Ticket(String id, String number, String url, boolean resolved) {
    }
}
