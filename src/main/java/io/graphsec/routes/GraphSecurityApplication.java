package io.graphsec.routes;

import org.apache.camel.main.Main;

/** Standalone entry point: Camel Main with application.properties and the YAML routes in routes/. */
public final class GraphSecurityApplication {

    private GraphSecurityApplication() {
    }

    public static void main(String[] args) throws Exception {
        new Main(GraphSecurityApplication.class).run(args);
    }
}
