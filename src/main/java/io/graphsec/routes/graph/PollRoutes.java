package io.graphsec.routes.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.kamelet.Kamelet;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Routes made from a route template for collections or tenants known only from the configuration:
 * poll routes from the poll template (routes/1-poll.camel.yaml), a tenant's secure score snapshot
 * from its template. The templates are loaded with the routes, after the beans are bound, so the
 * routes are made as the context initializes; a tenant added while the application runs gets its
 * routes made and started at once.
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

    public void addAll(PollRoutes others) {
        routes.addAll(others.routes);
    }

    /** The ids of the routes to be made. */
    public List<String> routeIds() {
        return routes.stream().map(Templated::routeId).toList();
    }

    /**
     * Registers the routes to be made as {@code context} initializes (nothing when there are none):
     * after the routes and templates are loaded, before any route is made. Later would be too late once
     * a Kamelet uses a template (the alerts source uses the poll template): Camel then makes that
     * template's further routes as Kamelet routes only, which a plain templated route is not.
     */
    public void makeAtStart(CamelContext context) throws Exception {
        if (routes.isEmpty()) {
            return;
        }
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextInitializing(CamelContext ctx) {
                try {
                    makeNow(ctx);
                } catch (Exception e) {
                    throw RuntimeCamelException.wrapRuntimeException(e);
                }
            }
        });
    }

    /** Makes the routes in {@code context} now: in a started context, each starts once made. */
    public void makeNow(CamelContext context) throws Exception {
        ModelCamelContext model = (ModelCamelContext) context;
        for (String template : routes.stream().map(Templated::template).distinct().toList()) {
            model.addRouteTemplateDefinitionConverter(template, PollRoutes::plainUnlessKamelet);
        }
        for (Templated r : routes) {
            TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(context, r.template())
                    .routeId(r.routeId())
                    .prefixId(r.routeId() + "-");
            r.parameters().forEach(builder::parameter);
            builder.add();
        }
    }

    /**
     * Once a Kamelet has used a template (the alerts source uses the poll template), Camel converts
     * every later route of that template as a Kamelet route, which fails on a route made without the
     * Kamelet's parameters: a tenant added while the application runs. Routes made here stay plain
     * routes of the template, with the polls' error handling; a Kamelet's routes convert as before.
     */
    private static RouteDefinition plainUnlessKamelet(RouteTemplateDefinition template, Map<String, Object> parameters)
            throws Exception {
        return parameters.containsKey(Kamelet.NO_ERROR_HANDLER) ? Kamelet.templateToRoute(template, parameters)
                : RouteTemplateDefinition.Converter.DEFAULT_CONVERTER.apply(template, parameters);
    }
}
