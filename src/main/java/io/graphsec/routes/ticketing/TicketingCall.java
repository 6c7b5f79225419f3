package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.graph.GraphIds;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * One request to the ticketing system, sent through routes/5-call-ticketing.camel.yaml (which adds
 * the credential and owns the URL, TLS and timeouts): the path is made of fixed segments and values
 * percent-encoded here, the query of fixed names and encoded values. Failures are split into "try
 * again" ({@link TicketingUnavailableException}, with the system's Retry-After) and "this will not
 * work" ({@link TicketingRejectedException}), each naming the status and the system's own error
 * text, shortened.
 */
final class TicketingCall {

    static final String FLOW = "direct:graph-tickets-call";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String system;
    private final String baseUrl;
    private final CamelContext context;
    private volatile ProducerTemplate producer;

    TicketingCall(String system, String baseUrl, CamelContext context) {
        this.system = system;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.context = context;
    }

    /** Where a ticket's page is (the ticket links the Graph comment gives). */
    String baseUrl() {
        return baseUrl;
    }

    /** A path segment or query value: percent-encoded, so it can add no segment, parameter or placeholder. */
    static String encode(String value) {
        return GraphIds.percentEncoded(value);
    }

    /**
     * Sends; answers the parsed JSON body (an empty object for an empty body) of a 2xx answer.
     * {@code path}: fixed segments and {@link #encode encoded} values only; {@code query}: likewise, or null.
     */
    JsonNode send(String method, String path, String query, JsonNode body, Map<String, String> headers, String what) {
        Exchange answer = producer().send(FLOW, exchange -> {
            exchange.getIn().setHeader(Exchange.HTTP_METHOD, method);
            if (!path.isEmpty()) {
                exchange.getIn().setHeader(Exchange.HTTP_PATH, path);
            }
            if (query != null) {
                exchange.getIn().setHeader(Exchange.HTTP_QUERY, query);
            }
            if (body != null) {
                // Explicit: camel-http otherwise encodes a String body in the JVM's default charset, which a host may set otherwise.
                exchange.setProperty(Exchange.CHARSET_NAME, "UTF-8");
                exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
                exchange.getIn().setBody(body.toString());
            }
            headers.forEach(exchange.getIn()::setHeader);
        });
        Exception failure = answer.getException();
        if (failure instanceof HttpOperationFailedException h) {
            throw refusal(h, what);
        }
        if (failure != null) {
            throw new TicketingUnavailableException(system + " " + what + " failed: " + javaName(failure)
                    + (failure.getMessage() == null ? "" : " " + TicketScope.oneLine(failure.getMessage(), 200)), failure, null);
        }
        String text = answer.getMessage().getBody(String.class);
        try {
            return text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new TicketingRejectedException(system + " " + what + ": answer "
                    + answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE) + " is not JSON: " + TicketScope.oneLine(text, 300));
        }
    }

    private RuntimeException refusal(HttpOperationFailedException h, String what) {
        int status = h.getStatusCode();
        String reason = system + " answered " + status + " to " + what + ": "
                + TicketScope.oneLine(String.valueOf(h.getResponseBody()), 500);
        if (status >= 500 || status == 429 || status == 408) {
            Optional<String> retryAfter = h.getResponseHeaders() == null ? Optional.empty()
                    : h.getResponseHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Retry-After"))
                    .map(Map.Entry::getValue).findFirst();
            // Not the HTTP failure as cause: Camel would match it to Graph's own throttling clause.
            return new TicketingUnavailableException(reason, null, retryAfter.orElse(null));
        }
        return new TicketingRejectedException(reason);
    }

    /**
     * The failure's class as Java names it (ConnectException, not the HTTP client's subclass of it):
     * what an operator searches for, whichever client is underneath.
     */
    private static String javaName(Throwable failure) {
        Class<?> c = failure.getClass();
        while (c.getSuperclass() != null && !c.getName().startsWith("java.") && !c.getName().startsWith("javax.")) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }

    private ProducerTemplate producer() {
        ProducerTemplate p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = context.createProducerTemplate();
                }
                p = producer;
            }
        }
        return p;
    }
}
