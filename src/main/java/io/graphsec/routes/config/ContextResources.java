package io.graphsec.routes.config;

import org.apache.camel.CamelContext;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceSupport;

/** What the binders hand to the CamelContext's lifecycle: resources to close, work to start early. */
public final class ContextResources {

    private ContextResources() {
    }

    /** Closes a resource when the CamelContext stops (services stop in reverse order of adding). */
    public static void closeOnStop(CamelContext context, AutoCloseable resource) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                resource.close();
            }
        }, true, true);
    }

    /**
     * Begins work the first poll waits for (the broker's journal, the first token) once binding is done
     * and Camel starts initialising the routes, which takes a second or more: the two overlap instead of
     * adding up (docs/performance.md, start-up). A host whose context is already initialised skips this.
     */
    public static void whileRoutesInitialise(CamelContext context, Runnable task) {
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextInitializing(CamelContext initialising) {
                task.run();
            }
        });
    }
}
