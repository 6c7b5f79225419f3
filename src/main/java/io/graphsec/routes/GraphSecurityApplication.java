package io.graphsec.routes;

import io.graphsec.routes.config.ConfigFolder;
import io.graphsec.routes.config.ConfigurationException;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standalone entry point: Camel Main on the routes, mapping files, hunts and application.properties the
 * jar carries, each overridden by the configuration folder's own ({@link ConfigFolder}).
 */
public final class GraphSecurityApplication {

    private static final Logger LOG = LoggerFactory.getLogger(GraphSecurityApplication.class);

    private GraphSecurityApplication() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("replay")) {
            // A one-shot run over a range (docs/replay.md); the process ends with its verdict.
            int code = 1;
            try {
                code = ReplayCommand.run(java.util.Arrays.asList(args).subList(1, args.length), java.util.Map.of(),
                        System.out);
            } catch (Exception | LinkageError e) {
                ConfigurationException problem = ConfigurationException.in(e);
                LOG.error(problem != null ? problem.getMessage() : "The replay failed", problem != null ? null : e);
            }
            System.exit(code);
        }
        try {
            newMain().run(args);
        } catch (Exception | LinkageError e) {
            // The broker, the simulator or a scheduler may already run threads that would keep the JVM
            // alive after a failed start: end it, non-zero. A configuration problem is the operator's to
            // fix and its message says how: one line, no stack trace.
            ConfigurationException problem = ConfigurationException.in(e);
            if (problem != null) {
                LOG.error(problem.getMessage());
            } else {
                LOG.error("The application could not start", e);
            }
            System.exit(1);
        }
    }

    /**
     * Camel Main with our configuration named rather than found: a package scan reads every entry of
     * the 60 MB runnable jar to find it, a second of the start (docs/performance.md).
     */
    public static Main newMain() {
        Main main = new Main(GraphSecurityApplication.class, GraphSecurityConfiguration.class);
        main.configure().setBasePackageScanEnabled(false);
        ConfigFolder folder = ConfigFolder.locate();
        folder.applyTo(main);
        LOG.info(folder.describe());
        return main;
    }
}
