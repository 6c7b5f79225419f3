package io.graphsec.routes;

import io.graphsec.routes.config.Props;
import io.graphsec.routes.feedback.FeedbackBinder;
import io.graphsec.routes.hunting.HuntingBinder;
import io.graphsec.routes.mail.MailBinder;
import io.graphsec.routes.securescore.SecureScoreBinder;
import io.graphsec.routes.ticketing.TicketingBinder;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Binds every bean the routes name, from the {@code graph.*} properties, before the YAML routes
 * start: one binder per concern, in the order an alert needs them. Named by GraphSecurityApplication;
 * a host embedding the routes runs it through {@link GraphSecurityBeans#bind}. Bean names start with
 * {@code graph} so they do not clash with a host's.
 */
public class GraphSecurityConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Props props = Props.of(context);
        if (props.flag("graph.simulator.enabled") || props.flag("graph.tickets.fake.enabled")) {
            // Only then is DemoBinder loaded at all: the plain jar has no simulator classes.
            DemoBinder.bind(context, props);
        }
        GraphAccessBinder.bind(context, props);
        HealthBinder.bind(context, props);
        StateBinder.bind(context, props);
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
    }
}
