package io.graphsec.routes.graph;

import java.util.function.BiConsumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Just before a Graph call is retried (throttled, unavailable, cut short): counts the retry by its
 * cause. The retry's permit of the request budget is taken by the call itself: it goes through
 * routes/1-call-graph.camel.yaml again, as every attempt does.
 */
public final class RetryCount implements Processor {

    private final BiConsumer<Exchange, String> retried;

    /** {@code retried} counts a retry of the exchange's poll by its cause (a status code, connection or unknown). */
    public RetryCount(BiConsumer<Exchange, String> retried) {
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
    }
}
