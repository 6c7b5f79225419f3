package io.graphsec.routes.ticketing;

/**
 * The ticketing system refused the request (a 4xx other than 408/429), or the message or the
 * ticket templates cannot make a valid request: retrying would fail the same way, so the message goes
 * to the dead-letter destination with this message as its reason.
 */
public class TicketingRejectedException extends RuntimeException {
    public TicketingRejectedException(String message) {
        super(message);
    }
}
