package io.graphsec.routes.ticketing;

import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.auth.TrustMaterial;
import io.graphsec.routes.config.ConfigFiles;
import io.graphsec.routes.config.ConfigurationException;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.graph.RetryAfterDelay;
import io.graphsec.routes.state.StateStores;
import io.graphsec.routes.state.TicketCorrelations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/**
 * Binds the ticket delivery (graphTicketDelivery) from the graph.tickets.* properties, and decides
 * whether routes/5-deliver-tickets.camel.yaml starts: with graph.tickets.system=none it does not, so
 * messages wait on the queue instead of being consumed by nobody's ticketing system.
 */
public final class TicketingBinder {

    /**
     * A bean of these settings, bound before this binder runs, is read instead of the properties for
     * the ticketing system's URL and credentials: the demo's fake ticketing system binds one.
     */
    public static final String SETTINGS = "graphTicketingSettings";

    private static final String ROUTE_ENABLED = "graph.tickets.route-enabled";
    /** The URL routes/5-call-ticketing.camel.yaml sends to: the chosen system's, set here. */
    private static final String URL = "graph.tickets.url";
    /** Never resolves (RFC 2606): the call flow exists, but with no system nothing may be sent. */
    private static final String NO_SYSTEM_URL = "http://no-ticketing-system.invalid";

    private TicketingBinder() {
    }

    /** The ticket flow's autoStartup: graph.tickets.route-enabled, or when it is empty, whether a system is set. */
    static boolean routeEnabled(Props props, String system) {
        String value = props.apply(ROUTE_ENABLED).orElse("").trim();
        if (value.isEmpty()) {
            return !system.equals("none");
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigurationException(ROUTE_ENABLED + "=" + value + " is not true, false or empty");
        }
        if (value.equals("true") && system.equals("none")) {
            throw new ConfigurationException(ROUTE_ENABLED + "=true needs a ticketing system: graph.tickets.system is none");
        }
        return value.equals("true");
    }

    public static void bind(CamelContext context, Props props) throws Exception {
        String system = props.required("graph.tickets.system").toLowerCase(Locale.ROOT);
        if (!List.of("servicenow", "jira", "webhook", "none").contains(system)) {
            throw new IllegalStateException("graph.tickets.system=" + system + " is not one of servicenow, jira, webhook, none");
        }
        context.getPropertiesComponent().addOverrideProperty(ROUTE_ENABLED, String.valueOf(routeEnabled(props, system)));
        context.getRegistry().bind("graphTicketDeadLetterReason", new TicketDeadLetterReason());
        // routes/9-errors: a throttled ticketing system's Retry-After, as Graph's, up to the longest back-off.
        context.getRegistry().bind("graphTicketsRetryAfter", new RetryAfterDelay(
                Duration.ofMillis(props.integer("graph.tickets.max-retry-delay-ms")), exchange -> { }));
        if (system.equals("none")) {
            bindCallFlow(context, props, NO_SYSTEM_URL, TicketingCredential.none(), new TrustMaterial(null, ""));
            // The routes exist (the delivery not started) and name the beans.
            context.getRegistry().bind("graphTicketDelivery", new TicketDelivery(system, null, null, null, null, null));
            return;
        }
        Props settings = Optional.ofNullable(context.getRegistry().lookupByNameAndType(SETTINGS, Props.class)).orElse(props);
        TicketTemplates templates = TicketTemplates.load(ConfigFiles.of(context, props),
                props.required(TicketTemplates.KEY), system);
        TicketingCall http = call(context, settings, system);
        boolean reopens = props.flag("graph.tickets.reopen");
        TicketingSystem tickets = switch (system) {
            case "servicenow" -> new ServiceNowTickets(http, templates,
                    props.apply("graph.tickets.servicenow.table").orElse("incident").trim(), reopens);
            case "jira" -> new JiraTickets(http, templates, props.apply("graph.tickets.jira.resolve-transition").orElse(""),
                    reopens ? props.apply("graph.tickets.jira.reopen-transition").orElse("") : "");
            default -> null;
        };
        WebhookTickets webhook = system.equals("webhook") ? new WebhookTickets(http, templates) : null;
        TicketCorrelations store = StateStores.of(context).tickets(Path.of(props.required("graph.state.dir")));
        context.getRegistry().bind("graphTicketDelivery", new TicketDelivery(system, tickets, webhook, store, templates,
                context.getRegistry().lookupByNameAndType("graphTenants", GraphTenants.class)));
    }

    /**
     * The call flow's URL, credential, trust and timeouts (routes/5-call-ticketing.camel.yaml), and
     * the delivery's way into it. The URL is the chosen system's, from configuration only.
     */
    private static TicketingCall call(CamelContext context, Props props, String system) {
        String prefix = "graph.tickets." + system + ".";
        String url = props.apply(prefix + "url").orElseThrow(() -> new IllegalStateException(
                Props.missing(prefix + "url") + ", which graph.tickets.system=" + system + " needs"));
        Optional<String> bearer = props.apply(prefix + "bearer-token");
        Optional<String> user = props.apply(prefix + "user");
        Optional<String> secret = props.apply(prefix + (system.equals("jira") ? "api-token" : "password"));
        TicketingCredential credential;
        if (bearer.isPresent()) {
            credential = TicketingCredential.bearer(bearer.get());
        } else if (user.isPresent() && secret.isPresent()) {
            credential = TicketingCredential.basic(user.get(), secret.get());
        } else if (system.equals("webhook")) {
            credential = TicketingCredential.none();
        } else {
            throw new IllegalStateException("graph.tickets.system=" + system + " needs a credential: " + prefix + "user and "
                    + prefix + (system.equals("jira") ? "api-token" : "password") + ", or " + prefix + "bearer-token");
        }
        // An on-premises ticketing system behind a private CA: its own trust store; verification stays on.
        TrustMaterial trust = new TrustMaterial(props.apply("graph.tickets.trust-store").map(Path::of).orElse(null),
                props.apply("graph.tickets.trust-store-password").orElse(""), "graph.tickets.trust-store");
        bindCallFlow(context, props, url, credential, trust);
        return new TicketingCall(system.equals("servicenow") ? "ServiceNow" : system.equals("jira") ? "Jira" : "Webhook",
                url, context);
    }

    private static void bindCallFlow(CamelContext context, Props props, String url, TicketingCredential credential,
                                     TrustMaterial trust) {
        Registry registry = context.getRegistry();
        registry.bind("graphTicketingCredential", credential);
        registry.bind("graphTicketsSslContext", trust.camelParameters());
        registry.bind("graphTicketsTimeouts", new TicketingTimeouts(props.duration("graph.tickets.connect-timeout"),
                props.duration("graph.tickets.timeout")));
        context.getPropertiesComponent().addOverrideProperty(URL, url);
    }
}
