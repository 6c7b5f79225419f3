package io.graphsec.routes.feedback;

/**
 * A webhook verdict for an alert or incident whose ticket, as the correlation store has it, is not
 * the ticket the call names; answered 403, audited, never queued. The parts are escaped text.
 */
public class TicketNotOwnedException extends RuntimeException {

    private final String requestedBy;
    private final String ticket;
    private final String entity;

    public TicketNotOwnedException(String message, String requestedBy, String ticket, String entity) {
        super(message);
        this.requestedBy = requestedBy;
        this.ticket = ticket;
        this.entity = entity;
    }

    public String requestedBy() {
        return requestedBy;
    }

    public String ticket() {
        return ticket;
    }

    public String entity() {
        return entity;
    }
}
