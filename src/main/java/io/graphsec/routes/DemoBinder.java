package io.graphsec.routes;

import io.graphsec.routes.config.ContextResources;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.simulator.DemoTimeline;
import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.simulator.GraphSimulator;
import io.graphsec.routes.ticketing.TicketingBinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;

/**
 * The demo's equipment, in this process: the Graph simulator with its timeline of alerts
 * (graph.simulator.enabled) and a fake ticketing system (graph.tickets.fake.enabled). The only
 * product class that names the simulator package, which the plain jar an ESB embeds leaves out:
 * {@link GraphSecurityConfiguration} calls it only when one of the two is switched on, so no other
 * wiring loads a simulator class.
 */
final class DemoBinder {

    private DemoBinder() {
    }

    static void bind(CamelContext context, Props props) throws Exception {
        // A one-shot run (replay) beside the running demo uses that demo's simulator and fake ticketing on
        // their configured ports: starting its own would find the ports taken, and a fresh state would
        // wipe the running demo's state and broker folders.
        boolean besideRunningDemo = props.flag("graph.replay.one-shot");
        if (props.flag("graph.simulator.enabled") && !besideRunningDemo) {
            startSimulator(context, props);
        }
        String system = props.required("graph.tickets.system").toLowerCase(Locale.ROOT);
        if (props.flag("graph.tickets.fake.enabled") && List.of("servicenow", "jira", "webhook").contains(system)) {
            if (besideRunningDemo) {
                bindFakeTicketingSettings(context, props, system, "http://127.0.0.1:" + props.integer("graph.tickets.fake.port"), null);
            } else {
                startFakeTicketing(context, props, system);
            }
        }
    }

    private static void startSimulator(CamelContext context, Props props) throws Exception {
        if (props.flag("graph.simulator.fresh-state")) {
            // The simulated tenant and the fake ServiceNow live in memory and begin anew on every run; state
            // kept from an earlier run would note tickets this ServiceNow never opened (404, dead-lettered).
            for (String key : List.of("graph.state.dir", "graph.broker.embedded.data-dir")) {
                Path dir = Path.of(props.required(key));
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.walk(dir)) {
                        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(f);
                        }
                    }
                }
            }
        }
        String tenant = props.required("graph.tenant-id");
        GraphSimulator simulator = new GraphSimulator(props.integer("graph.simulator.port"))
                .registerClient(tenant, props.required("graph.client-id"), props.required("graph.client-secret"),
                        "SecurityAlert.ReadWrite.All", "SecurityIncident.ReadWrite.All", "SecurityEvents.ReadWrite.All")
                .start();
        simulator.writeTrustStore(Path.of(props.required("graph.trust-store")));
        DemoTimeline timeline = new DemoTimeline(simulator.alerts(tenant), tenant,
                props.integer("graph.simulator.initial-alerts"), props.duration("graph.simulator.tick"));
        ContextResources.closeOnStop(context, () -> {
            timeline.close();
            simulator.close();
        });
        timeline.start();
    }

    /**
     * Starts the fake ticketing server and binds the settings pointing at it: the demo's credentials
     * unless others are configured, which the fake then accepts.
     */
    private static void startFakeTicketing(CamelContext context, Props props, String system) throws Exception {
        FakeTicketing fake = new FakeTicketing(props.integer("graph.tickets.fake.port")).start();
        // Bound so the demo's and the tests' requests and tickets can be looked at.
        context.getRegistry().bind("graphFakeTicketing", fake);
        ContextResources.closeOnStop(context, fake::close);
        bindFakeTicketingSettings(context, props, system, fake.baseUrl(), fake);
    }

    /** The settings pointing at the fake at {@code baseUrl}; {@code fake} (when it runs here) is told the credentials to accept. */
    private static void bindFakeTicketingSettings(CamelContext context, Props props, String system, String baseUrl,
                                                  FakeTicketing fake) {
        String prefix = "graph.tickets." + system + ".";
        Map<String, String> demo = Map.of(
                prefix + "url", system.equals("webhook") ? baseUrl + FakeTicketing.WEBHOOK_PATH : baseUrl,
                prefix + "user", system.equals("jira") ? "soc-bot@example.com" : "graph-security",
                prefix + "password", "demo-ticket-password",
                prefix + "api-token", "demo-jira-api-token");
        Props settings = new Props(key -> key.equals(prefix + "url") ? Optional.of(demo.get(key))
                : props.apply(key).or(() -> props.apply(prefix + "bearer-token").isPresent()
                        ? Optional.empty() : Optional.ofNullable(demo.get(key))));
        if (fake == null) {
            context.getRegistry().bind(TicketingBinder.SETTINGS, settings);
            return;
        }
        settings.apply(prefix + "bearer-token").ifPresent(fake::acceptBearer);
        if (settings.apply(prefix + "bearer-token").isEmpty() && !system.equals("webhook")) {
            fake.acceptBasic(settings.required(prefix + "user"),
                    settings.required(prefix + (system.equals("jira") ? "api-token" : "password")));
        }
        context.getRegistry().bind(TicketingBinder.SETTINGS, settings);
    }
}
