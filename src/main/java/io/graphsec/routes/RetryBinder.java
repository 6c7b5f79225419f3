package io.graphsec.routes;

import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.graph.GraphRateBudget;
import io.graphsec.routes.graph.PollRetryLimit;
import io.graphsec.routes.graph.RetryAfterDelay;
import io.graphsec.routes.graph.RetryCount;
import io.graphsec.routes.health.PollMetrics;
import io.graphsec.routes.hunting.HuntRunner;
import io.graphsec.routes.hunting.HuntingRetryHooks;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * The two hooks of routes/9-errors.camel.yaml around a Graph call's retry: graphRetryAfter (when a
 * call failed: honours Retry-After, counts a throttled poll, ends a poll's retries that would hold its
 * scheduler worker too long) and graphBeforeRetry (just before the
 * retry: a count by cause; the retry takes its permit of the tenant's budget in the call flow, as
 * every attempt does). A hunting call's retry also takes a permit of hunting's own quota and counts
 * its 429s, so this binds after {@code HuntingBinder}, once.
 */
final class RetryBinder {

    private RetryBinder() {
    }

    static void bind(CamelContext context, Props props) {
        Registry registry = context.getRegistry();
        PollMetrics metrics = registry.lookupByNameAndType("graphPollMetrics", PollMetrics.class);
        HuntRunner hunts = registry.lookupByNameAndType("graphHuntRunner", HuntRunner.class);
        GraphRateBudget huntingBudget = registry.lookupByNameAndType("graphHuntingBudget", GraphRateBudget.class);
        registry.bind("graphBeforeRetry", HuntingRetryHooks.beforeRetry(new RetryCount(metrics::retried), huntingBudget));
        GraphTenants tenants = registry.lookupByNameAndType("graphTenants", GraphTenants.class);
        RetryAfterDelay retryAfter = new RetryAfterDelay(props.duration("graph.http.max-retry-after"), metrics::throttled,
                tenants.pauses(), props.duration("graph.poll.max-throttle-wait"));
        PollRetryLimit pollLimit = new PollRetryLimit(tenants.pauses(), props.duration("graph.poll.max-throttle-wait"),
                Clock.systemUTC());
        registry.bind("graphRetryAfter", HuntingRetryHooks.onFailure(exchange -> {
            retryAfter.process(exchange);
            pollLimit.process(exchange);
        }, hunts));
    }
}
