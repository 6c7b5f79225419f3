package io.graphsec.routes.ticketing;

import java.time.Duration;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The ticketing request's timeouts (graph.tickets.connect-timeout, graph.tickets.timeout) for
 * routes/5-call-ticketing.camel.yaml (graphTicketsTimeouts): camel-http takes timeouts only per
 * component, which Graph's calls configure. No automatic retry and no redirect: routes/9-errors
 * owns the retries, and a redirect would carry the credential elsewhere.
 */
public final class TicketingTimeouts implements HttpClientConfigurer {

    private final Duration connect;
    private final Duration response;

    TicketingTimeouts(Duration connect, Duration response) {
        this.connect = connect;
        this.response = response;
    }

    @Override
    @SuppressWarnings("deprecation")
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries().disableRedirectHandling()
                .setDefaultRequestConfig(RequestConfig.custom()
                        // Still honoured per request by HttpClient 5; the connection manager is camel-http's, shared.
                        .setConnectTimeout(Timeout.of(connect))
                        .setConnectionRequestTimeout(Timeout.of(connect))
                        .setResponseTimeout(Timeout.of(response))
                        .build());
    }
}
