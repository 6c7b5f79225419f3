package io.graphsec.routes.simulator;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A simulator started for each test with one app (client "c", secret "s") of one tenant, its HTTPS
 * client and a token of that app; closed after the test.
 */
final class SimulatorExtension implements BeforeEachCallback, AfterEachCallback {

    private final String tenant;
    private final String[] roles;
    GraphSimulator sim;
    SimulatorHttp http;
    String token;
    private Path dir;

    SimulatorExtension(String tenant, String... roles) {
        this.tenant = tenant;
        this.roles = roles;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        sim = new GraphSimulator(0).registerClient(tenant, "c", "s", roles).start();
        dir = Files.createTempDirectory("simulator-test");
        http = new SimulatorHttp(sim, dir);
        token = http.token(tenant, "c", "s");
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        sim.close();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
