package io.graphsec.routes.config;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.apache.camel.CamelContext;

/**
 * The {@code graph.*} properties as the binders read them: a blank value counts as unset, and a key
 * application.properties gives a value is read as required, so that its default lives there only
 * (a host embedding the routes gets those defaults from GraphSecurityBeans.addDefaults). A missing
 * or unreadable value stops the start with a message naming the key and where to set it.
 */
public final class Props implements Function<String, Optional<String>> {

    private final Function<String, Optional<String>> source;

    public Props(Function<String, Optional<String>> source) {
        this.source = source;
    }

    /** The context's properties (application.properties, -D, environment, a host's own). */
    public static Props of(CamelContext context) {
        return new Props(key -> context.getPropertiesComponent().resolveProperty(key));
    }

    /** The value of a key that may be unset (credentials, optional overrides); blank counts as unset. */
    @Override
    public Optional<String> apply(String key) {
        return source.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The value of a key application.properties sets; its absence is a broken configuration. */
    public String required(String key) {
        return apply(key).orElseThrow(() -> new ConfigurationException(missing(key)));
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(required(key));
    }

    public int integer(String key) {
        String v = required(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(key + "=" + v + " is not a whole number", e);
        }
    }

    public Duration duration(String key) {
        String v = required(key);
        try {
            return Duration.parse(v);
        } catch (RuntimeException e) {
            throw new IllegalStateException(key + "=" + v + " is not an ISO-8601 duration such as PT10M", e);
        }
    }

    /**
     * The properties seen from a further tenant: {@code graph.tenant.<name>.<key>} over {@code graph.<key>}.
     */
    public Props forTenant(String name) {
        String prefix = "graph.tenant." + name + ".";
        return new Props(key -> key.startsWith("graph.")
                ? apply(prefix + key.substring("graph.".length())).or(() -> apply(key)) : apply(key));
    }

    /** The message for a key without a value: which key, and the three places to set it. */
    public static String missing(String key) {
        return key + " is missing (set it in application.properties, -D" + key + " or " + GraphSettings.envName(key) + ")";
    }
}
