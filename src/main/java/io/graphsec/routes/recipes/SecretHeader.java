package io.graphsec.routes.recipes;

import java.util.List;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * An HTTP header holding a secret (e.g. {@code Authorization: Splunk <token>}) that the HTTP client
 * adds to every request of one endpoint, named by its {@code httpClientConfigurer} option. The secret
 * never becomes a message header, so no log of the exchange, dead letter, trace or error message can
 * carry it. Declared in a route file's {@code beans:} with the value from configuration.
 */
public final class SecretHeader implements HttpClientConfigurer {

    private String name;
    private String prefix = "";
    private String value;

    public void setName(String name) {
        this.name = name;
    }

    /** Written before the value, e.g. {@code "Splunk "} or {@code "Bearer "}. */
    public void setPrefix(String prefix) {
        this.prefix = prefix == null ? "" : prefix;
    }

    public void setValue(String value) {
        this.value = value;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        if (name == null || name.isBlank() || value == null || value.isBlank()) {
            throw new IllegalStateException("SecretHeader " + name + " has no value: set the key the route file names for it");
        }
        builder.setDefaultHeaders(List.of(new BasicHeader(name, prefix + value.trim())));
    }

    @Override
    public String toString() {
        return "SecretHeader[" + name + ": " + prefix + "***]";
    }
}
