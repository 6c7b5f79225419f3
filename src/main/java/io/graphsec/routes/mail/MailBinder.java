package io.graphsec.routes.mail;

import io.graphsec.routes.config.Props;
import jakarta.jms.ConnectionFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.mail.DefaultAuthenticator;
import org.apache.camel.support.ExpressionAdapter;

/**
 * Binds the mail beans from the graph.mail.* properties and, unless graph.mail.endpoint is set,
 * derives it: the log preview without graph.mail.smtp.host, otherwise smtp:// or smtps:// built
 * from the SMTP settings. The SMTP password goes into an authenticator bean, never into the URI,
 * so no endpoint URI, route dump or error message can carry it.
 */
public final class MailBinder {

    static final String PREVIEW_ENDPOINT = "direct:graph-mail-preview";

    private MailBinder() {
    }

    public static void bind(CamelContext context, Props props) {
        Map<String, String> recipients = new LinkedHashMap<>();
        for (String route : AlertMailRenderer.ROUTES) {
            recipients.put(route, props.apply("graph.mail.to." + route).orElse(""));
        }
        AlertMailRenderer renderer = new AlertMailRenderer(recipients,
                props.required("graph.mail.from"));
        context.getRegistry().bind("graphAlertMailRenderer", renderer);
        // The severity router queues mail only for severities somebody receives mail for: queued for
        // nobody, each would be rendered and dropped (a sixth of the alerts by default, for nothing).
        // An expression for the ref language, which calls it directly for every alert.
        context.getRegistry().bind("graphMailHasRecipients", new ExpressionAdapter() {
            @Override
            public Object evaluate(Exchange exchange) {
                return renderer.hasRecipients(exchange.getIn().getHeader("graphRoute", String.class));
            }
        });
        context.getRegistry().bind("graphMailPreview", new MailPreview());

        String queue = props.required("graph.mail.digest.source");
        if (!queue.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalStateException("graph.mail.digest.source=" + queue
                    + " must be a queue name on the broker (e.g. graph.mail.digest), not an endpoint URI");
        }
        context.getRegistry().bind("graphMailDigest", new MailDigest(
                () -> context.getRegistry().lookupByNameAndType("graphJmsConnectionFactory", ConnectionFactory.class),
                renderer, queue, positive("graph.mail.digest.max-alerts", props.required("graph.mail.digest.max-alerts"))));

        // Camel's timer takes milliseconds (or 1h30m), not the ISO-8601 durations every other key here uses.
        String period = props.required("graph.mail.digest.period");
        try {
            context.getPropertiesComponent().addOverrideProperty("graph.mail.digest.period",
                    String.valueOf(Duration.parse(period).toMillis()));
        } catch (RuntimeException e) {
            throw new IllegalStateException("graph.mail.digest.period=" + period
                    + " is not an ISO-8601 duration such as PT1H", e);
        }

        Optional<String> user = props.apply("graph.mail.smtp.user");
        if (user.isPresent()) {
            context.getRegistry().bind("graphMailAuthenticator",
                    new DefaultAuthenticator(user.get(), props.apply("graph.mail.smtp.password").orElse("")));
        }
        if (props.apply("graph.mail.endpoint").isEmpty()) {
            context.getPropertiesComponent().addOverrideProperty("graph.mail.endpoint", smtpEndpoint(props, user.isPresent()));
        }
    }

    static String smtpEndpoint(Props props, boolean authenticated) {
        Optional<String> host = props.apply("graph.mail.smtp.host");
        if (host.isEmpty()) {
            return PREVIEW_ENDPOINT;
        }
        if (!host.get().matches("[A-Za-z0-9.:\\[\\]-]+")) {
            throw new IllegalStateException("graph.mail.smtp.host=" + host.get() + " is not a host name or address");
        }
        String security = props.required("graph.mail.smtp.security");
        String scheme;
        String options;
        int defaultPort;
        switch (security) {
            case "none" -> {
                scheme = "smtp";
                options = "";
                defaultPort = 25;
            }
            case "starttls" -> {
                scheme = "smtp";
                options = "&mail.smtp.starttls.enable=true&mail.smtp.starttls.required=true"
                        + "&mail.smtp.ssl.checkserveridentity=true";
                defaultPort = 587;
            }
            case "ssl" -> {
                scheme = "smtps";
                options = "&mail.smtps.ssl.checkserveridentity=true";
                defaultPort = 465;
            }
            default -> throw new IllegalStateException("graph.mail.smtp.security=" + security
                    + " is not one of none, starttls, ssl");
        }
        // Without a port, the one of the chosen security's convention.
        int port = positive("graph.mail.smtp.port", props.apply("graph.mail.smtp.port").orElse(String.valueOf(defaultPort)));
        return scheme + "://" + host.get() + ":" + port + "?connectionTimeout=30000" + options
                + (authenticated ? "&authenticator=#graphMailAuthenticator" : "");
    }

    private static int positive(String key, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(key + "=" + v + " is not a positive whole number");
    }
}
