package io.graphsec.routes.bench;

import java.util.List;
import java.util.Map;

/**
 * The tenants mode's Graph: T simulated tenants of N alerts each, in this JVM
 * ({@link TenantsSimulator}) or in a process of its own ({@link ForkedSimulator}).
 */
interface SimulatedTenants extends AutoCloseable {

    /** The graph.* properties that point the application at all T tenants (the default one and graph.tenants). */
    Map<String, String> appProperties();

    /** Requests the simulator has answered so far, all tenants together. */
    BenchTenant.Requests requests();

    /** Every Graph call so far: when each arrived, per tenant. */
    Calls calls();

    /** For {@code during} from now, tenant {@code tenant}'s every Graph call answers 429 with this Retry-After. */
    void throttle(int tenant, int retryAfterSeconds, java.time.Duration during);

    @Override
    void close();

    /**
     * @param perTenant when (epoch millis) each Graph call arrived, in order, by tenant index
     * @param throttled calls answered 429
     */
    record Calls(List<List<Long>> perTenant, long throttled) {
    }
}
