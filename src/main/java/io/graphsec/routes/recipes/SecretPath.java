package io.graphsec.routes.recipes;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * The secret part of a webhook address (Slack's /services/T…/B…/…, a Teams workflow's ?…&sig=…),
 * set as the request target by the HTTP client of one endpoint, named by its
 * {@code httpClientConfigurer} option. The endpoint's URI is the public base only, so the secret is
 * in no endpoint URI, route dump, error message or retry log line. Declared in a route file's
 * {@code beans:} with the value from configuration.
 */
public final class SecretPath implements HttpClientConfigurer {

    private String value;

    /** The path and query of the address, starting with '/'. */
    public void setValue(String value) {
        this.value = value;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        String target = value == null ? "" : value.trim();
        if (!target.startsWith("/") || target.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalStateException("a SecretPath must start with '/' and hold no space or control"
                    + " character: set the key the route file names for it to the path and query of the address");
        }
        builder.addRequestInterceptorFirst((request, entity, context) -> request.setPath(target));
    }

    @Override
    public String toString() {
        return "SecretPath[***]";
    }
}
