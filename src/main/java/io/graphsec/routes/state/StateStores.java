package io.graphsec.routes.state;

import java.nio.file.Path;
import org.apache.camel.CamelContext;

/**
 * Where the routes keep their state. Callers name a directory under {@code graph.state.dir} as the
 * file stores always did; the PostgreSQL stores ({@code graph.state.store=jdbc}) turn that directory
 * into a scope, so a tenant's state stays its own in the shared tables too.
 */
public interface StateStores {

    /** The registry name of the deployment's stores. */
    String BEAN = "graphStateStores";

    Watermarks watermarks(Path dir);

    DeliveredVersions versions(Path dir, String resource, int maxEntries);

    TicketCorrelations tickets(Path stateDir);

    /** When each poll last completed on any instance sharing these stores. */
    default PollCompletions pollCompletions() {
        return PollCompletions.LOCAL;
    }

    /** The files under each directory: the single-instance default. */
    static StateStores files() {
        return new StateStores() {
            @Override
            public Watermarks watermarks(Path dir) {
                return new WatermarkStore(dir);
            }

            @Override
            public DeliveredVersions versions(Path dir, String resource, int maxEntries) {
                return new AlertVersionStore(dir, resource, maxEntries);
            }

            @Override
            public TicketCorrelations tickets(Path stateDir) {
                return new TicketCorrelationStore(stateDir);
            }
        };
    }

    /** The stores bound in {@code context}, or the files when none are (a host that binds only some beans). */
    static StateStores of(CamelContext context) {
        StateStores bound = context.getRegistry().lookupByNameAndType(BEAN, StateStores.class);
        return bound != null ? bound : files();
    }
}
