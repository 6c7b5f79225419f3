package io.graphsec.routes;

import io.graphsec.routes.config.Props;
import io.graphsec.routes.enrich.PriorityRaise;
import java.util.Arrays;
import org.apache.camel.CamelContext;

/**
 * Microsoft's own triage signals in routing: the step that raises an alert or incident to the high
 * route by its incident's priority score or a chosen system tag (graphPriorityRaise).
 */
final class TriageBinder {

    private TriageBinder() {
    }

    static void bind(CamelContext context, Props props) {
        context.getRegistry().bind("graphPriorityRaise", new PriorityRaise(props.flag("graph.priority.enabled"),
                props.integer("graph.priority.raise-score"),
                Arrays.asList(props.apply("graph.priority.raise-tags").orElse("").split(","))));
    }
}
