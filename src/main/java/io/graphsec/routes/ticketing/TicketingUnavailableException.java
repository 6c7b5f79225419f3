package io.graphsec.routes.ticketing;

/**
 * The ticketing system could not answer now (5xx, 429, 408, connection refused, timeout): worth
 * retrying with back-off (graph.tickets.max-retries), then dead-lettered with this message.
 */
public class TicketingUnavailableException extends RuntimeException {
    public TicketingUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
