package io.graphsec.routes.ticketing;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Sets graphDeadLetterReason on a ticket message about to be dead-lettered: the ticketing system's
 * status and error text, or Graph's when the ticket number comment was refused. Our exceptions
 * never carry a credential; Graph's answer is shortened and only its body is quoted.
 */
public final class TicketDeadLetterReason implements Processor {

    @Override
    public void process(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason;
        if (e instanceof HttpOperationFailedException h) {
            reason = "Graph answered " + h.getStatusCode() + " to the ticket comment: "
                    + TicketScope.oneLine(String.valueOf(h.getResponseBody()), 500);
        } else if (e instanceof TicketingUnavailableException) {
            reason = e.getMessage() + " (still failing after graph.tickets.max-retries)";
        } else if (e != null) {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : TicketScope.oneLine(e.getMessage(), 700);
        } else {
            reason = "unknown failure";
        }
        exchange.getMessage().setHeader("graphDeadLetterReason", reason);
    }
}
