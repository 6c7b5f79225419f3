package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.auth.TrustMaterial;
import io.graphsec.routes.config.ConfigFiles;
import io.graphsec.routes.config.ConfigurationException;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.state.StateStores;
import io.graphsec.routes.state.TicketCorrelations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

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
        if (system.equals("none")) {
            // The route exists (not started) and names the bean.
            context.getRegistry().bind("graphTicketDelivery", new TicketDelivery(system, null, null, null, null, null));
            return;
        }
        Props settings = Optional.ofNullable(context.getRegistry().lookupByNameAndType(SETTINGS, Props.class)).orElse(props);
        ConfigFiles.ConfigFile mappingFile = ConfigFiles.of(context, props).read("graph.tickets.mapping-file");
        JsonNode mapping = loadMapping(mappingFile.location(), mappingFile.text(), system);
        TicketingHttp http = http(settings, system);
        TicketingSystem tickets = switch (system) {
            case "servicenow" -> new ServiceNowTickets(http, mapping.path("servicenow"));
            case "jira" -> new JiraTickets(http, mapping.path("jira"));
            default -> null;
        };
        WebhookTickets webhook = system.equals("webhook") ? new WebhookTickets(http, mapping.path("webhook")) : null;
        TicketCorrelations store = StateStores.of(context).tickets(Path.of(props.required("graph.state.dir")));
        context.getRegistry().bind("graphTicketDelivery", new TicketDelivery(system, tickets, webhook, store, mapping,
                context.getRegistry().lookupByNameAndType("graphTenants", GraphTenants.class)));
    }

    /** The mapping file, checked now: a placeholder with a typo would otherwise surface on the first alert. */
    static JsonNode loadMapping(Path file, String system) {
        try {
            return loadMapping(file.toString(), Files.readString(file), system);
        } catch (IOException e) {
            throw new ConfigurationException("graph.tickets.mapping-file=" + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    static JsonNode loadMapping(String file, String text, String system) {
        JsonNode mapping;
        try {
            mapping = new ObjectMapper().valueToTree(new Load(LoadSettings.builder().build()).loadFromString(text));
        } catch (RuntimeException e) {
            throw new ConfigurationException("graph.tickets.mapping-file=" + file + " cannot be read as YAML: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        if (mapping == null || !mapping.path(system).isObject()) {
            problems.add("it has no '" + system + "' section");
        } else {
            problems.addAll(TicketTemplate.problems(mapping, "mapping"));
            List<String> required = switch (system) {
                case "webhook" -> List.of("body");
                case "jira" -> List.of("create", "comment", "resolve");
                default -> List.of("create", "note", "resolve");
            };
            required.stream().filter(k -> mapping.path(system).path(k).isMissingNode())
                    .forEach(k -> problems.add(system + "." + k + " is missing"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("graph.tickets.mapping-file=" + file + ": " + String.join("; ", problems));
        }
        return mapping;
    }

    private static TicketingHttp http(Props props, String system) {
        String prefix = "graph.tickets." + system + ".";
        String url = props.apply(prefix + "url").orElseThrow(() -> new IllegalStateException(
                Props.missing(prefix + "url") + ", which graph.tickets.system=" + system + " needs"));
        Optional<String> bearer = props.apply(prefix + "bearer-token");
        Optional<String> user = props.apply(prefix + "user");
        Optional<String> secret = props.apply(prefix + (system.equals("jira") ? "api-token" : "password"));
        String authorization;
        if (bearer.isPresent()) {
            authorization = TicketingHttp.bearer(bearer.get());
        } else if (user.isPresent() && secret.isPresent()) {
            authorization = TicketingHttp.basic(user.get(), secret.get());
        } else if (system.equals("webhook")) {
            authorization = null;
        } else {
            throw new IllegalStateException("graph.tickets.system=" + system + " needs a credential: " + prefix + "user and "
                    + prefix + (system.equals("jira") ? "api-token" : "password") + ", or " + prefix + "bearer-token");
        }
        // An on-premises ticketing system behind a private CA: its own trust store; verification stays on.
        javax.net.ssl.SSLContext tls = props.apply("graph.tickets.trust-store")
                .map(store -> new TrustMaterial(Path.of(store),
                        props.apply("graph.tickets.trust-store-password").orElse(""), "graph.tickets.trust-store")
                        .sslContext())
                .orElse(null);
        return new TicketingHttp(system.equals("servicenow") ? "ServiceNow" : system.equals("jira") ? "Jira" : "Webhook",
                url, authorization, props.duration("graph.tickets.connect-timeout"), props.duration("graph.tickets.timeout"), tls);
    }
}
