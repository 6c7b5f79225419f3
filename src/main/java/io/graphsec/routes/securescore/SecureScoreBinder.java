package io.graphsec.routes.securescore;

import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.graph.PollRoutes;
import io.graphsec.routes.state.StateStores;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * Binds the daily secure score snapshot's beans (routes/7-secure-score.camel.yaml) from the
 * graph.secure-score.* properties. They are bound even when the flow is switched off, since the
 * route (not started) still names them; the settings are checked either way.
 */
public final class SecureScoreBinder {

    private SecureScoreBinder() {
    }

    public static void bind(CamelContext context, Props props) {
        Registry registry = context.getRegistry();
        GraphTenants tenants = registry.lookupByNameAndType("graphTenants", GraphTenants.class);
        String maxDrop = props.required("graph.secure-score.max-drop");
        double drop;
        try {
            drop = Double.parseDouble(maxDrop);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("graph.secure-score.max-drop=" + maxDrop + " is not a number of points", e);
        }
        registry.bind("graphSecureScoreReader", new SecureScoreReader(e -> tenants.of(e).settings().graphBaseUrl()));
        registry.bind("graphSecureScoreSnapshot", new SecureScoreSnapshot());
        registry.bind("graphSecureScoreRegressions", new SecureScoreRegressions(drop,
                props.required("graph.secure-score.regression-severity"), props.required("graph.portal-url")));
        registry.bind("graphSecureScoreLastDay", new SecureScoreLastDay(
                StateStores.of(context).watermarks(Path.of(props.required("graph.state.dir")))));
    }

    /**
     * The snapshot of a further tenant of the deployment, when its {@code graph.tenant.<name>.secure-score.enabled}
     * (else the default tenant's switch) is on: its own last-day state under {@code stateDir} and its
     * own route {@code graph-secure-score-snapshot-<name>} from the snapshot template, on its own cron.
     * The shared beans are those of {@link #bind}. The name of the bean it bound, if any.
     */
    public static Optional<String> bindTenant(CamelContext context, PollRoutes routes, String name,
                                              Props own, Path stateDir) {
        if (!own.flag("graph.secure-score.enabled")) {
            return Optional.empty();
        }
        String lastDay = "graphSecureScoreLastDay-" + name;
        context.getRegistry().bind(lastDay, new SecureScoreLastDay(StateStores.of(context).watermarks(stateDir)));
        routes.add(new PollRoutes.Templated("graph-secure-score-snapshot-template", "graph-secure-score-snapshot-" + name,
                Map.of("tenant", name, "job", "secure-score-snapshot-" + name, "lastDay", lastDay, "enabled", "true",
                        "cron", own.required("graph.secure-score.cron"))));
        return Optional.of(lastDay);
    }
}
