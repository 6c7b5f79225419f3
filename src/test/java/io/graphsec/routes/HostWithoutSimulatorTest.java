package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.simulator.GraphSimulator;
import io.graphsec.routes.support.HostWithoutArtemisServer;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain jar a host embeds leaves the Graph simulator and the fake ticketing out (they are demo and
 * test equipment). A host on such a classpath binds our beans and starts our routes, ticketing included,
 * without anything even asking for a simulator class; only the demo switches need them.
 */
class HostWithoutSimulatorTest {

    private static final String SIMULATOR_PACKAGE = "io.graphsec.routes.simulator.";

    @TempDir
    Path dir;
    private SimulatedTenant tenant;
    private FakeTicketing serviceNow;

    @BeforeEach
    void startEquipment() throws Exception {
        // The equipment runs in the test's own class loader, as the host's real Graph and ServiceNow would run elsewhere.
        tenant = new SimulatedTenant(dir, "SecurityAlert.ReadWrite.All");
        serviceNow = new FakeTicketing(0).acceptBasic("graph-security", "host-ticket-password").start();
    }

    @AfterEach
    void stopEquipment() {
        serviceNow.close();
        tenant.close();
    }

    @Test
    void a_host_without_the_simulator_classes_binds_and_starts_the_flows_without_asking_for_one() throws Exception {
        HidingLoader hostLoader = new HidingLoader();
        assertThatThrownBy(() -> hostLoader.loadClass(GraphSimulator.class.getName()))
                .isInstanceOf(ClassNotFoundException.class);
        hostLoader.asked.clear();

        Map<String, String> props = hostProperties();
        props.put("graph.tickets.system", "servicenow");
        props.put("graph.tickets.servicenow.url", serviceNow.baseUrl());
        props.put("graph.tickets.servicenow.user", "graph-security");
        props.put("graph.tickets.servicenow.password", "host-ticket-password");

        assertThat(embed(hostLoader, props)).contains("graph-host-alerts-source", "graph-alerts-route",
                "graph-tickets-deliver", "graph-feedback");
        assertThat(hostLoader.asked).as("simulator classes the product asked for").isEmpty();
    }

    @Test
    void only_the_demo_switches_need_the_simulator_classes() throws Exception {
        for (Map.Entry<String, String> demo : Map.of(
                "graph.simulator.enabled", GraphSimulator.class.getName(),
                "graph.tickets.fake.enabled", FakeTicketing.class.getName()).entrySet()) {
            HidingLoader hostLoader = new HidingLoader();
            Map<String, String> props = hostProperties();
            props.put("graph.tickets.system", "servicenow");
            props.put("graph.simulator.port", String.valueOf(RunningApp.freePort()));
            props.put(demo.getKey(), "true");

            assertThatThrownBy(() -> embed(hostLoader, props)).as(demo.getKey())
                    .rootCause().isInstanceOf(ClassNotFoundException.class).hasMessage(demo.getValue());
        }
    }

    private Map<String, String> hostProperties() throws Exception {
        Map<String, String> props = RunningApp.against(tenant, dir, RunningApp.freePort());
        // The host polls with its own instance of the alerts source.
        props.put("graph.alerts.poll.enabled", "false");
        return props;
    }

    /** The host's routes that started, the host run in the given class loader. */
    @SuppressWarnings("unchecked")
    private static List<String> embed(ClassLoader hostLoader, Map<String, String> props) throws Exception {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(hostLoader);
        try {
            // A broker that is not up: the host's JMS consumers keep trying in the background, which is enough here.
            return (List<String>) hostLoader.loadClass(HostWithoutArtemisServer.class.getName())
                    .getMethod("embed", Map.class, String.class)
                    .invoke(null, props, "tcp://127.0.0.1:" + RunningApp.freePort());
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /**
     * The test's class path, the simulator package hidden, as the plain jar leaves it out; notes every
     * simulator class asked for. Not closed: threads it loaded may outlive the host for a while.
     */
    private static final class HidingLoader extends URLClassLoader {

        final Set<String> asked = new ConcurrentSkipListSet<>();

        HidingLoader() throws Exception {
            super(classPath(), ClassLoader.getPlatformClassLoader());
        }

        private static URL[] classPath() throws Exception {
            List<URL> urls = new ArrayList<>();
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            for (String entry : classPath.split(File.pathSeparator)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
            return urls.toArray(URL[]::new);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.startsWith(SIMULATOR_PACKAGE)) {
                asked.add(name);
                throw new ClassNotFoundException(name);
            }
            return super.findClass(name);
        }

        @Override
        public URL findResource(String name) {
            return name.startsWith(SIMULATOR_PACKAGE.replace('.', '/')) ? null : super.findResource(name);
        }
    }
}
