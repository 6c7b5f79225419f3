package io.graphsec.routes.support;

import io.graphsec.routes.GraphSecurityApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The real application (Camel Main, application.properties, routes/*.camel.yaml) started in this
 * JVM against a data directory of the test's, with properties overridden the way -D options would.
 */
public final class RunningApp implements AutoCloseable {

    /** The embedded broker's user and password in tests; {@link Queues} signs in with them. */
    public static final String BROKER_USER = "graph";
    public static final String BROKER_PASSWORD = "test-broker-password";

    private final Main main;

    private RunningApp(Main main) {
        this.main = main;
    }

    /** Properties for a fresh app: its own state and broker directories, a free broker port, a fast poll. */
    public static Map<String, String> defaults(Path dataDir, int brokerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("graph.state.dir", dataDir.resolve("state").toString());
        p.put("graph.broker.embedded.data-dir", dataDir.resolve("broker").toString());
        p.put("graph.broker.embedded.port", String.valueOf(brokerPort));
        p.put("graph.broker.embedded.password", BROKER_PASSWORD);
        p.put("graph.alerts.poll.cron", "0/1 * * * * ?");
        p.put("graph.alerts.lag", "PT10M");
        p.put("graph.alerts.initial-lookback", "P1D");
        p.put("graph.http.retry-delay-ms", "200");
        // Tests of the alerts flow count and script Graph calls; tests of incidents switch them on.
        p.put("graph.incidents.enabled", "false");
        // One more Graph call at start would take the faults those tests script for the poll; StartupCheckTest has it.
        p.put("graph.startup.check-security-api", "false");
        // Tests exercise behaviour, not Graph's pace; GraphFaultsTest checks the budget itself.
        p.put("graph.rate.requests-per-period", "1000");
        p.put("graph.rate.period", "PT1S");
        try {
            p.put("camel.management.port", String.valueOf(freePort()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p;
    }

    /** {@link #defaults} plus what points the app at a simulated tenant, in a map the test may change. */
    public static Map<String, String> against(SimulatedTenant tenant, Path dataDir, int brokerPort) {
        Map<String, String> p = new LinkedHashMap<>(defaults(dataDir, brokerPort));
        p.putAll(tenant.appProperties());
        return p;
    }

    /**
     * For a test that reads the ticket and mail work queues itself: routing to them stays as
     * configured, while the app's own ticket and mail flows consume queues nobody writes to.
     */
    public static Map<String, String> workQueuesLeftForTheTest(Map<String, String> p) {
        p.put("graph.mail.source", "jms:queue:test.mail.unread");
        p.put("graph.mail.digest.source", "test.mail.digest.unread");
        p.put("graph.mail.digest.queue", "jms:queue:graph.mail.digest");
        p.put("graph.tickets.system", "webhook");
        p.put("graph.tickets.webhook.url", "https://127.0.0.1:9/unused");
        p.put("graph.tickets.source", "jms:queue:test.tickets.unread");
        // Mail is queued only for severities somebody receives it for: here every one has a recipient.
        for (String route : List.of("high", "medium", "low", "informational", "triage")) {
            p.putIfAbsent("graph.mail.to." + route, "soc@example.org");
        }
        return p;
    }

    /**
     * For a test whose tickets go to a fake ServiceNow (accepting basic graph / sn-pass) and whose
     * alerts get their incidents (polled every second): the properties that say so.
     */
    public static Map<String, String> incidentsTicketedIn(Map<String, String> p, String serviceNowUrl) {
        p.put("graph.incidents.enabled", "true");
        p.put("graph.incidents.poll.cron", "0/1 * * * * ?");
        p.put("graph.tickets.system", "servicenow");
        p.put("graph.tickets.servicenow.url", serviceNowUrl);
        p.put("graph.tickets.servicenow.user", "graph");
        p.put("graph.tickets.servicenow.password", "sn-pass");
        return p;
    }

    public static RunningApp start(Map<String, String> properties) throws Exception {
        Main main = GraphSecurityApplication.newMain();
        properties.forEach(main::addOverrideProperty);
        main.start();
        return new RunningApp(main);
    }

    /** The credentials tests give a broker they run themselves, the ones {@link Queues} signs in with. */
    public static io.graphsec.routes.broker.BrokerCredentials brokerCredentials() {
        return new io.graphsec.routes.broker.BrokerCredentials(BROKER_USER, BROKER_PASSWORD);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
