package io.graphsec.routes.support;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * For a test class whose every test runs the app against a fresh simulated tenant: the tenant (with
 * the roles of {@link #roles()}), a free broker port and the app's properties, ready before each
 * test's own set-up (which may change them), the tenant closed after it.
 */
public abstract class AgainstSimulatedTenant {

    @TempDir
    protected Path dir;
    protected SimulatedTenant tenant;
    protected int brokerPort;
    protected Map<String, String> props;

    /** The application roles the tenant's app registration holds; none: SimulatedTenant's default. */
    protected String[] roles() {
        return new String[0];
    }

    @BeforeEach
    void startTenant() throws Exception {
        tenant = new SimulatedTenant(dir, roles());
        brokerPort = RunningApp.freePort();
        props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
    }

    @AfterEach
    void closeTenant() {
        tenant.close();
    }
}
