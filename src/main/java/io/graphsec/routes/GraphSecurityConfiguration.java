package io.graphsec.routes;

import io.graphsec.routes.config.Props;
import io.graphsec.routes.config.TypeIndexedRegistry;
import io.graphsec.routes.feedback.FeedbackBinder;
import io.graphsec.routes.hunting.HuntingBinder;
import io.graphsec.routes.mail.MailBinder;
import io.graphsec.routes.replay.ReplayBinder;
import io.graphsec.routes.securescore.SecureScoreBinder;
import io.graphsec.routes.ticketing.TicketingBinder;
import java.nio.file.Path;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds every bean the routes name, from the {@code graph.*} properties, before the YAML routes
 * start: one binder per concern, in the order an alert needs them. Named by GraphSecurityApplication;
 * a host embedding the routes runs it through {@link GraphSecurityBeans#bind}. Bean names start with
 * {@code graph} so they do not clash with a host's.
 */
public class GraphSecurityConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GraphSecurityConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        // Before the first bean: every tenant adds beans, and Camel looks beans up by type per route step.
        TypeIndexedRegistry.install(context);
        // Camel keeps what it learned of a bean's class only once its bean component has started, which
        // it otherwise does after every route is made: each bean step of each tenant's poll route then
        // introspected its class again (a fifth of a 500-tenant start; docs/performance.md).
        ServiceHelper.startService(context.getComponent("bean"));
        Props props = Props.of(context);
        logDataDirs(props);
        if (props.flag("graph.simulator.enabled") || props.flag("graph.tickets.fake.enabled")) {
            // Only then is DemoBinder loaded at all: the plain jar has no simulator classes.
            DemoBinder.bind(context, props);
        }
        StateBinder.bind(context, props);
        GraphAccessBinder.bind(context, props);
        HealthBinder.bind(context, props);
        HuntingBinder.bind(context, props);
        RetryBinder.bind(context, props);
        PollsBinder.bind(context, props);
        TriageBinder.bind(context, props);
        TenantsBinder.bind(context, props);
        FeedbackBinder.bind(context, props);
        BrokerBinder.bind(context, props);
        TicketingBinder.bind(context, props);
        SecureScoreBinder.bind(context, props);
        MailBinder.bind(context, props);
        ReplayBinder.bind(context, props);
    }

    /** Where the app writes, said once: relative paths land in whatever folder it was started from. */
    private static void logDataDirs(Props props) {
        StringBuilder line = new StringBuilder("Data: state in ")
                .append(Path.of(props.required("graph.state.dir")).toAbsolutePath().normalize());
        if (props.flag("graph.broker.embedded.enabled")) {
            line.append(", embedded broker in ")
                    .append(Path.of(props.required("graph.broker.embedded.data-dir")).toAbsolutePath().normalize());
        }
        LOG.info(line.append(" (graph.state.dir, graph.broker.embedded.data-dir: a relative path is under the working"
                + " directory)").toString());
    }
}
