package io.graphsec.routes.support;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A new, empty database on the machine's PostgreSQL (127.0.0.1:5432, trust authentication) for one
 * test, dropped afterwards. When PostgreSQL does not answer, tests using it are skipped, saying why, or
 * fail where {@link #REQUIRED} is true (.ci/run sets it, and starts PostgreSQL first).
 */
public final class FreshDatabase implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5432;
    public static final String USER = "postgres";

    /**
     * Set to true (environment, or the system property graph.test.require-postgresql) where PostgreSQL must be
     * there, as in CI: its tests then fail instead of being skipped, and a missing service cannot pass green.
     */
    public static final String REQUIRED = "GRAPH_TEST_REQUIRE_POSTGRESQL";

    public final String name;

    private FreshDatabase(String name) {
        this.name = name;
    }

    public static FreshDatabase create() throws SQLException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2000);
        } catch (java.io.IOException e) {
            String missing = "PostgreSQL does not answer on " + HOST + ":" + PORT + " (" + e.getMessage() + ")";
            if (required()) {
                throw new IllegalStateException(missing + ", and " + REQUIRED + "=true says this run must have it:"
                        + " start PostgreSQL (.ci/run does) or unset " + REQUIRED + " to skip these tests", e);
            }
            Assumptions.abort(missing + "; start it (.ci/run does) to run the tests of the PostgreSQL state and the scale-out");
        }
        String name = "graphsec_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        admin("CREATE DATABASE " + name);
        return new FreshDatabase(name);
    }

    private static boolean required() {
        return Boolean.parseBoolean(System.getProperty("graph.test.require-postgresql", System.getenv(REQUIRED)));
    }

    public String url() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
    }

    /** The properties that put an application's state (and Quartz) in this database, for a group of instances. */
    public Map<String, String> appProperties(String group) {
        return Map.of("graph.state.store", "jdbc", "graph.state.jdbc.url", url(), "graph.state.jdbc.user", USER,
                "graph.cluster.scheduler-name", group);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/postgres", USER, "");
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
