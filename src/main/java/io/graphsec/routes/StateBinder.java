package io.graphsec.routes;

import io.graphsec.routes.config.ContextResources;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.graph.RateBudgets;
import io.graphsec.routes.graph.SharedRateBudgets;
import io.graphsec.routes.state.StateStores;
import io.graphsec.routes.state.jdbc.JdbcStateStores;
import io.graphsec.routes.state.jdbc.QuartzCluster;
import io.graphsec.routes.state.jdbc.StateDatabase;
import java.nio.file.Path;
import org.apache.camel.CamelContext;

/**
 * Where the state lives (watermarks, delivered versions, ticket correlations, poll completions):
 * the files under graph.state.dir (one instance), or PostgreSQL shared by several instances
 * (graph.state.store=jdbc), which then also holds Quartz's clustered job store and each tenant's
 * Graph request budget. Bound before the Graph access, whose budgets it makes.
 */
final class StateBinder {

    private StateBinder() {
    }

    static void bind(CamelContext context, Props props) throws Exception {
        context.getRegistry().bind(StateStores.BEAN, stores(context, props));
    }

    /** Shared state, shared budgets: with the database the instances spend each tenant's Graph budget together. */
    private static void bindBudgets(CamelContext context, RateBudgets budgets) {
        context.getRegistry().bind(RateBudgets.BEAN, budgets);
    }

    /** The directory of the default tenant's state files (further tenants' under tenants/<name>). */
    static Path stateDir(Props props) {
        return Path.of(props.required("graph.state.dir"));
    }

    private static StateStores stores(CamelContext context, Props props) throws Exception {
        if (props.flag("graph.replay.one-shot")) {
            bindBudgets(context, RateBudgets.IN_MEMORY);
            return scratch(context);
        }
        String kind = props.required("graph.state.store");
        if (kind.equals("file")) {
            bindBudgets(context, RateBudgets.IN_MEMORY);
            return StateStores.files();
        }
        if (!kind.equals("jdbc")) {
            throw new IllegalStateException("graph.state.store=" + kind + " is not a state store: file (the default,"
                    + " one instance) or jdbc (PostgreSQL, several instances; set graph.state.jdbc.url)");
        }
        StateDatabase database = StateDatabase.open(props);
        ContextResources.closeOnStop(context, database);
        bindBudgets(context, new SharedRateBudgets(database.dataSource()));
        String group = props.required("graph.cluster.scheduler-name");
        QuartzCluster.configure(context, database.dataSource(),
                // A camel.* key: a host gets no default for it from addDefaults (it would configure the host's Camel).
                props.apply("camel.component.quartz.properties-file").orElse("classpath:graph-security-quartz.properties"),
                group, props.required("graph.cluster.instance-id"), props.duration("graph.cluster.checkin-interval"));
        return new JdbcStateStores(database.dataSource(), stateDir(props), group);
    }

    /**
     * The replay command's process runs beside the live instance: it must not open the live state
     * (opening a version store rewrites it, and the live instance appends to it), nor join its Quartz
     * cluster. Its pollers, hunts and tickets get files in a temporary folder, removed when it stops;
     * the replay keeps its own state itself (Replays).
     */
    private static StateStores scratch(CamelContext context) throws Exception {
        Path root = java.nio.file.Files.createTempDirectory("graph-one-shot-state-");
        ContextResources.closeOnStop(context, () -> org.apache.camel.util.FileUtil.removeDir(root.toFile()));
        StateStores files = StateStores.files();
        java.util.function.UnaryOperator<Path> in = dir -> root.resolve(
                dir.toAbsolutePath().normalize().toString().replaceAll("[^A-Za-z0-9._-]", "_"));
        return new StateStores() {
            @Override
            public io.graphsec.routes.state.Watermarks watermarks(Path dir) {
                return files.watermarks(in.apply(dir));
            }

            @Override
            public io.graphsec.routes.state.DeliveredVersions versions(Path dir, String resource, int maxEntries) {
                return files.versions(in.apply(dir), resource, maxEntries);
            }

            @Override
            public io.graphsec.routes.state.TicketCorrelations tickets(Path stateDir) {
                return files.tickets(in.apply(stateDir));
            }
        };
    }
}
