package io.graphsec.routes.feedback;

import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.config.ConfigFiles;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.state.StateStores;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds what routes/6-feedback.camel.yaml and the ticketing webhook name: the feedback's validation,
 * planning and audit, and the webhook's gatekeepers in the order the routes call them
 * (docs/security.md, "The feedback webhook").
 */
public final class FeedbackBinder {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackBinder.class);

    private FeedbackBinder() {
    }

    public static void bind(CamelContext context, Props props) {
        Registry registry = context.getRegistry();
        GraphTenants tenants = registry.lookupByNameAndType("graphTenants", GraphTenants.class);
        registry.bind("graphFeedbackValidator", new FeedbackValidator(
                name -> tenants.require(name, "tenant").settings().graphBaseUrl()));
        registry.bind("graphFeedbackPlanner", new FeedbackPlanner(props.required("graph.feedback.conflict-policy")));
        registry.bind("graphFeedbackAudit", new FeedbackAudit(Clock.systemUTC()));

        registry.bind("graphWebhookRateLimit", new WebhookRateLimit(props.integer("graph.webhook.rate.calls-per-period"),
                props.duration("graph.webhook.rate.period"), props.integer("graph.webhook.rate.max-sources")));
        registry.bind("graphWebhookAuthenticator", new WebhookAuthenticator(
                props.apply("graph.webhook.hmac-secret").orElse(null),
                props.apply("graph.webhook.bearer-token").orElse(null),
                props.duration("graph.webhook.signature-window"),
                props.integer("graph.webhook.replay-cache-size"), Clock.systemUTC()));
        ConfigFiles.ConfigFile mappingFile = ConfigFiles.of(context, props).read("graph.webhook.mapping-file");
        registry.bind("graphTicketFeedbackMapper", new TicketFeedbackMapper(mappingFile.location(), mappingFile.text(),
                () -> tenants.names().stream().filter(n -> !n.equals(GraphTenants.DEFAULT)).toList()));
        TicketOwnership ownership = new TicketOwnership(
                StateStores.of(context).tickets(Path.of(props.required("graph.state.dir"))),
                tenants::names, props.flag("graph.webhook.verify-ticket-owner"));
        registry.bind("graphTicketOwnership", ownership);
        if (props.flag("graph.webhook.enabled") && !ownership.verifies()) {
            LOG.warn("graph.webhook.verify-ticket-owner=false: the ticketing webhook acts on whatever alert, incident and"
                    + " tenant a signed ticket names, without checking this app opened that ticket for it; anyone who can"
                    + " edit those ticket fields can change any alert of any tenant. Keep it off only while another"
                    + " integration opens the tickets.");
        }
    }
}
