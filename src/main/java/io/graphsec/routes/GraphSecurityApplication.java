package io.graphsec.routes;

import org.apache.camel.main.Main;

/** Standalone entry point: Camel Main with application.properties and the YAML routes in routes/. */
public final class GraphSecurityApplication {

    private GraphSecurityApplication() {
    }

    public static void main(String[] args) throws Exception {
        newMain().run(args);
    }

    /**
     * Camel Main with our configuration named rather than found: a package scan reads every entry of
     * the 60 MB runnable jar to find it, a second of the start (docs/performance.md).
     */
    public static Main newMain() {
        Main main = new Main(GraphSecurityApplication.class, GraphSecurityConfiguration.class);
        main.configure().setBasePackageScanEnabled(false);
        return main;
    }
}
