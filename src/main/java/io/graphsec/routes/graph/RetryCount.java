package io.graphsec.routes.graph;

import java.util.function.BiConsumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Just before a Graph call is retried (throttled, unavailable, cut short): counts the retry by
 * cause and takes a permit from the shared request budget, so retries count against Graph's
 * per-minute limit like first attempts do.
 */
public final class RetryPermit implements Processor {

    private final GraphRateBudget budget;
    private final BiConsumer<Exchange, String> retried;

    /** {@code retried} counts a retry of the exchange's poll by its cause (a status code, connection or unknown). */
    public RetryPermit(GraphRateBudget budget, BiConsumer<Exchange, String> retried) {
        this.budget = budget;
        this.retried = retried;
    }

    @Override
    public void process(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e == null) {
            e = exchange.getException();
        }
        retried.accept(exchange, e instanceof HttpOperationFailedException h ? String.valueOf(h.getStatusCode())
                : e == null ? "unknown" : "connection");
        budget.acquire();
    }
}
