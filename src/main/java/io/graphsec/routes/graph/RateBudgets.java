package io.graphsec.routes.graph;

import java.time.Duration;
import org.apache.camel.CamelContext;

/**
 * Makes the request budgets of the deployment: each in this JVM when one instance runs (file state),
 * or kept in the database the instances share (graph.state.store=jdbc), so that all of them together
 * spend one budget per tenant and app. The state binder binds the one that fits.
 */
@FunctionalInterface
public interface RateBudgets {

    /** The registry name of the deployment's budget maker. */
    String BEAN = "graphRateBudgets";

    /** Budgets counted in this JVM only. */
    RateBudgets IN_MEMORY = (key, requestsPerPeriod, period, maxWait) ->
            GraphRateBudget.inMemory(requestsPerPeriod, period, maxWait);

    /**
     * The budget named {@code key} (a Graph budget's owner: the tenant and app it is spent on), of
     * {@code requestsPerPeriod} permits each {@code period}, a caller waiting at most {@code maxWait}.
     */
    GraphRateBudget budget(String key, int requestsPerPeriod, Duration period, Duration maxWait);

    /** The budget maker bound in {@code context}, or in-memory budgets when none is (a host that binds only some beans). */
    static RateBudgets of(CamelContext context) {
        RateBudgets bound = context.getRegistry().lookupByNameAndType(BEAN, RateBudgets.class);
        return bound != null ? bound : IN_MEMORY;
    }
}
