package io.graphsec.routes.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.TemplatedRouteBuilder;

/**
 * Routes made from a route template for collections or tenants known only from the configuration:
 * poll routes from the poll template (routes/1-poll.camel.yaml), a tenant's secure score snapshot
 * from its template. The templates are loaded with the routes, after the beans are bound, so the
 * routes are made once the context has started.
 */
public final class PollRoutes {

    /** One poll route: its id, the collection name (Quartz job), its cron, its poller and health beans. */
    public record Instance(String routeId, String collection, String cron, String poller, String health) {
    }

    /** One route of any template: the template's id, the route's id and the template's parameters. */
    public record Templated(String template, String routeId, Map<String, String> parameters) {
    }

    private final List<Templated> routes = new ArrayList<>();

    public void add(Instance i) {
        add(new Templated("graph-poll-collection", i.routeId(), Map.of("collection", i.collection(), "cron", i.cron(),
                "poller", i.poller(), "health", i.health(), "enabled", "true")));
    }

    public void add(Templated route) {
        routes.add(route);
    }

    /** Registers the routes to be made when {@code context} has started (nothing when there are none). */
    public void makeAtStart(CamelContext context) throws Exception {
        if (routes.isEmpty()) {
            return;
        }
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) throws Exception {
                for (Templated r : routes) {
                    TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(ctx, r.template())
                            .routeId(r.routeId())
                            .prefixId(r.routeId() + "-");
                    r.parameters().forEach(builder::parameter);
                    builder.add();
                }
            }
        });
    }
}
