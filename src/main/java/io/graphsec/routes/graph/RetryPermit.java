package io.graphsec.routes.graph;

import io.graphsec.routes.health.PollMetrics;
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
    private final PollMetrics metrics;

    public RetryPermit(GraphRateBudget budget, PollMetrics metrics) {
        this.budget = budget;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e == null) {
            e = exchange.getException();
        }
        metrics.retried(exchange, e instanceof HttpOperationFailedException h ? String.valueOf(h.getStatusCode())
                : e == null ? "unknown" : "connection");
        budget.acquire();
    }
}
