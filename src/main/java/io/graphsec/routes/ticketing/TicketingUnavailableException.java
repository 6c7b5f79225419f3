package io.graphsec.routes.ticketing;

import io.graphsec.routes.graph.RetryAfterDelay;
import java.util.Optional;

/**
 * The ticketing system could not answer now (5xx, 429, 408, connection refused, timeout): worth
 * retrying with back-off (graph.tickets.max-retries), waiting as long as the system's Retry-After
 * asks when it sent one, then dead-lettered with this message.
 */
public class TicketingUnavailableException extends RuntimeException implements RetryAfterDelay.Throttled {

    private final String retryAfter;

    public TicketingUnavailableException(String message, Throwable cause) {
        this(message, cause, null);
    }

    TicketingUnavailableException(String message, Throwable cause, String retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    @Override
    public Optional<String> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
