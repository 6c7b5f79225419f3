package io.graphsec.routes.replay;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.processor.InterceptSendToEndpointCallback;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In the replay command's process: every send to an endpoint outside the routes (a queue, a folder,
 * a mail server, a webhook, a ticket system; hops between routes and reads from Graph are not
 * destinations) is counted for the replay its exchange belongs to, with the alert's id. In a dry run
 * the send is then skipped, the way Camel's interceptSendToEndpoint with skipSendToOriginalEndpoint
 * does it, for every route of the context: nothing leaves, and each Graph request but a read (GET)
 * is skipped too.
 */
final class SendTally {

    private static final Logger LOG = LoggerFactory.getLogger(SendTally.class);

    private SendTally() {
    }

    /** Before the routes start: from then on every send of the context is counted (and in a dry run, skipped).
     *  Hops between routes (direct:, and kamelet: into a Kamelet-made route such as the severity router) are not destinations. */
    static void install(CamelContext context, List<String> graphBaseUrls, boolean dryRun) {
        Processor count = SendTally::count;
        // Everything but the hops between routes and HTTP (handled below).
        context.getCamelContextExtension().registerEndpointCallback(new InterceptSendToEndpointCallback(context,
                count, null, "^(?!(direct|kamelet|bean|class|log|ref|language|https?):).*", dryRun, null));
        // HTTP: reads from Graph go out uncounted; webhooks, ticketing and Graph writes are destinations.
        Processor countUnlessGraphRead = exchange -> {
            boolean destination = !isGraphRead(exchange, graphBaseUrls);
            // What Camel's interceptSendToEndpoint(...).when(...) sets: skip only where this is true.
            exchange.setProperty(ExchangePropertyKey.INTERCEPT_SEND_TO_ENDPOINT_WHEN_MATCHED, destination);
            if (destination) {
                count(exchange);
            }
        };
        context.getCamelContextExtension().registerEndpointCallback(new InterceptSendToEndpointCallback(context,
                countUnlessGraphRead, null, "^https?:.*", dryRun, null));
    }

    static boolean isGraphRead(Exchange exchange, List<String> graphBaseUrls) {
        String method = exchange.getIn().getHeader(Exchange.HTTP_METHOD, "GET", String.class);
        String url = exchange.getIn().getHeader(Exchange.HTTP_URI, "", String.class);
        return "GET".equals(method) && graphBaseUrls.stream().anyMatch(base -> url.startsWith(base + "/"));
    }

    private static void count(Exchange exchange) {
        String endpoint = exchange.getProperty(Exchange.INTERCEPTED_ENDPOINT, "", String.class);
        ReplayRun run = exchange.getProperty(ReplayRun.PROPERTY, ReplayRun.class);
        if (run == null) {
            if (endpoint.startsWith("http")) {
                LOG.info("Dry run: not sending {} {}", exchange.getIn().getHeader(Exchange.HTTP_METHOD, "POST", String.class),
                        URISupport.sanitizeUri(exchange.getIn().getHeader(Exchange.HTTP_URI, endpoint, String.class)));
            }
            return;
        }
        run.sent(shown(endpoint), exchange.getIn().getHeader("graphAlertId", String.class));
    }

    /** jms://queue:x as the operator wrote it (jms:queue:x), credentials masked. */
    static String shown(String uri) {
        return URISupport.sanitizeUri(uri.replaceFirst("^([a-z0-9+.-]+)://(?!/)(?=[a-z]+:)", "$1:"));
    }
}
