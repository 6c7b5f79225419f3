package io.graphsec.routes.hunting;

import io.graphsec.routes.graph.GraphRateBudget;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Hunting calls are retried by the shared handling of routes/9-errors.camel.yaml (Retry-After, token
 * renewal, the shared budget). Around its two hooks, these add what only a hunting call needs:
 * a permit of the hunting budget before each retry (a retry is a call to the hunting quota too),
 * and a count of its 429s. Any other exchange passes straight to the shared hook.
 */
public final class HuntingRetryHooks {

    private HuntingRetryHooks() {
    }

    /** Over graphRetryAfter (runs when a call failed). */
    public static Processor onFailure(Processor shared, HuntRunner runner) {
        return exchange -> {
            if (isHunting(exchange) && status(exchange) == 429) {
                runner.throttled(exchange);
            }
            shared.process(exchange);
        };
    }

    /** Over graphBeforeRetry (runs just before the retry). */
    public static Processor beforeRetry(Processor shared, GraphRateBudget huntingBudget) {
        return exchange -> {
            if (isHunting(exchange)) {
                huntingBudget.acquire();
            }
            shared.process(exchange);
        };
    }

    private static boolean isHunting(Exchange exchange) {
        return exchange.getProperty(HuntRunner.RUN) != null;
    }

    private static int status(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e == null) {
            e = exchange.getException();
        }
        return e instanceof HttpOperationFailedException h ? h.getStatusCode() : -1;
    }
}
