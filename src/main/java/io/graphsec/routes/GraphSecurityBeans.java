package io.graphsec.routes;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;

/**
 * What a host application embedding the routes calls, in this order, before loading
 * routes/*.camel.yaml: {@link #addDefaults} then {@link #bind}. Camel Main (the standalone app) has
 * our application.properties already and binds through {@link GraphSecurityConfiguration}.
 */
public final class GraphSecurityBeans {

    private GraphSecurityBeans() {
    }

    /**
     * For a host application, once its own properties are in place: each {@code graph.*} key of our
     * application.properties (in the jar, as graph-security/application.properties) that the host
     * does not set becomes a property of lowest priority. Only those: Camel Spring Boot asks the
     * Spring environment after Camel's own properties, so a default added for a key Spring has would
     * hide the host's value. The {@code camel.*} keys are left out: they would configure the host's Camel.
     * The binders read every key as required, so this is where a host's defaults come from.
     */
    public static void addDefaults(CamelContext context) throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context,
                "classpath:graph-security/application.properties")) {
            defaults.load(in);
        }
        defaults.stringPropertyNames().stream()
                .filter(key -> key.startsWith("graph.") && context.getPropertiesComponent().resolveProperty(key).isEmpty())
                .forEach(key -> context.getPropertiesComponent().addInitialProperty(key, defaults.getProperty(key)));
    }

    /** Binds every bean the routes refer to (the binders of {@link GraphSecurityConfiguration}, in order). */
    public static void bind(CamelContext context) throws Exception {
        new GraphSecurityConfiguration().configure(context);
    }
}
