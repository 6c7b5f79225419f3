package io.graphsec.routes.graph;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.TemplatedRouteBuilder;

/**
 * Poll routes made from the poll template (routes/poll.camel.yaml) for collections or tenants known
 * only from the configuration. The template is loaded with the routes, after the beans are bound,
 * so the routes are made once the context has started.
 */
public final class PollRoutes {

    /** One poll route: its id, the collection name (Quartz job), its cron, its poller and health beans. */
    public record Instance(String routeId, String collection, String cron, String poller, String health) {
    }

    private final List<Instance> instances = new ArrayList<>();

    public void add(Instance instance) {
        instances.add(instance);
    }

    /** Registers the routes to be made when {@code context} has started (nothing when there are none). */
    public void makeAtStart(CamelContext context) throws Exception {
        if (instances.isEmpty()) {
            return;
        }
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                for (Instance i : instances) {
                    TemplatedRouteBuilder.builder(ctx, "graph-poll-collection")
                            .routeId(i.routeId())
                            .prefixId(i.routeId() + "-")
                            .parameter("collection", i.collection())
                            .parameter("cron", i.cron())
                            .parameter("poller", i.poller())
                            .parameter("health", i.health())
                            .parameter("enabled", "true")
                            .add();
                }
            }
        });
    }
}
