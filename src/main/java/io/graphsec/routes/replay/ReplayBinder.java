package io.graphsec.routes.replay;

import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.config.Props;
import java.nio.file.Path;
import org.apache.camel.CamelContext;

/**
 * The replay bean (graphReplays, called by the replay command and by a host), the counting of
 * where replayed alerts went, and in a dry run the interception that keeps anything from leaving.
 */
public final class ReplayBinder {

    private ReplayBinder() {
    }

    public static void bind(CamelContext context, Props props) throws Exception {
        GraphTenants tenants = context.getRegistry().lookupByNameAndType("graphTenants", GraphTenants.class);
        context.getRegistry().bind(Replays.BEAN, new Replays(context, Path.of(props.required("graph.state.dir")),
                props.duration("graph.replay.max-range"), Long.parseLong(props.required("graph.replay.max-alerts")),
                props.integer("graph.dedup.max-entries"), System.getProperty("user.name", "unknown"),
                props.flag("graph.replay.one-shot")));

        if (props.flag("graph.replay.one-shot")) {
            SendTally.install(context, tenants.graphBaseUrls(), props.flag("graph.replay.dry-run"));
        } else if (props.flag("graph.replay.dry-run")) {
            throw new IllegalStateException("graph.replay.dry-run=true is for the replay command only (replay --dry-run);"
                    + " a running service would send nothing");
        }
    }
}
