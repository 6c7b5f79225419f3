package io.graphsec.routes.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.simulator.EntityStore;
import io.graphsec.routes.simulator.GraphSimulator;
import io.graphsec.routes.simulator.IncidentBook;
import io.graphsec.routes.simulator.LegacyAlertFactory;
import io.graphsec.routes.simulator.SecureScoreBook;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A Graph simulator on a random loopback port with one registered app, as the tests' tenant. */
public final class SimulatedTenant implements AutoCloseable {

    public static final String TENANT = "11111111-2222-3333-4444-555555555555";
    public static final String CLIENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    public static final String SECRET = "s3cr3t-Value~With.Special_chars";

    public final GraphSimulator simulator;
    public final Path trustStore;
    private final AlertFactory factory = new AlertFactory(1234, TENANT);
    private final LegacyAlertFactory legacyFactory = new LegacyAlertFactory(4321, TENANT);
    private int nextIncident = 100;

    public SimulatedTenant(Path dir, String... roles) throws IOException {
        simulator = new GraphSimulator(0)
                .registerClient(TENANT, CLIENT, SECRET, roles.length == 0 ? new String[] {"SecurityAlert.Read.All"} : roles)
                .start();
        trustStore = simulator.writeTrustStore(dir.resolve("simulator-truststore.p12"));
    }

    public EntityStore alerts() {
        return simulator.alerts(TENANT);
    }

    /** Adds {@code count} alerts created over the last minutes, severities cycling through every member. */
    public List<ObjectNode> addAlerts(int count) {
        int first = nextIncident;
        List<ObjectNode> added = secondsApart(count, (created, i) -> factory.newAlert(created,
                AlertFactory.SEVERITIES.get(i % AlertFactory.SEVERITIES.size()), String.valueOf(first + i / 4)));
        nextIncident += count;
        alerts().putAll(added);
        return added;
    }

    public EntityStore incidents() {
        return simulator.incidents(TENANT);
    }

    /** Resolves and merges this tenant's incidents (they exist as soon as their alerts do). */
    public IncidentBook incidentBook() {
        return simulator.incidentBook(TENANT);
    }

    /**
     * Adds one alert per severity given, all in one new incident, created over the last seconds;
     * returns them oldest first. Their incident is then in {@link #incidents()}.
     */
    public List<ObjectNode> addIncident(String... severities) {
        String incidentId = String.valueOf(nextIncident++);
        List<ObjectNode> added = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < severities.length; i++) {
            added.add(factory.newAlert(now.minusMillis(1000L * (severities.length - i)), severities[i], incidentId));
        }
        alerts().putAll(added);
        return added;
    }

    public ObjectNode newAlert(Instant created, String severity) {
        return factory.newAlert(created, severity, String.valueOf(nextIncident++));
    }

    /** This tenant's secure score: control profiles, daily records, control states. */
    public SecureScoreBook secureScores() {
        return simulator.secureScores(TENANT);
    }

    public EntityStore legacyAlerts() {
        return simulator.legacyAlerts(TENANT);
    }

    /**
     * Adds {@code count} legacy alerts created over the last minutes, severities cycling and the
     * providers IPC and MCAS taking turns; returns them oldest first.
     */
    public List<ObjectNode> addLegacyAlerts(int count) {
        List<ObjectNode> added = secondsApart(count, (created, i) -> legacyFactory.newAlert(created,
                LegacyAlertFactory.SEVERITIES.get(i % LegacyAlertFactory.SEVERITIES.size()),
                LegacyAlertFactory.PROVIDERS.get(i % 2)));
        legacyAlerts().putAll(added);
        return added;
    }

    /** {@code count} entities made one second apart up to now, oldest first; {@code make} gets the time and index. */
    private static List<ObjectNode> secondsApart(int count, java.util.function.BiFunction<Instant, Integer, ObjectNode> make) {
        List<ObjectNode> made = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            made.add(make.apply(now.minusMillis(1000L * (count - i)), i));
        }
        return made;
    }

    /** Scripts this tenant's runHuntingQuery answers: the rows of each query. */
    public SimulatedTenant huntingResults(Function<String, List<ObjectNode>> rows) {
        simulator.huntingResults(TENANT, rows);
        return this;
    }

    /** The properties that point the application at this simulator. */
    public Map<String, String> appProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("graph.tenant-id", TENANT);
        p.put("graph.client-id", CLIENT);
        p.put("graph.client-secret", SECRET);
        p.put("graph.base-url", simulator.baseUrl());
        p.put("graph.authority-host", simulator.baseUrl());
        p.put("graph.trust-store", trustStore.toString());
        p.put("graph.trust-store-password", GraphSimulator.trustStorePassword());
        return p;
    }

    @Override
    public void close() {
        simulator.close();
    }
}
