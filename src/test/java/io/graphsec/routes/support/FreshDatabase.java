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
 * test, dropped afterwards. Tests using it are skipped, saying why, only when PostgreSQL does not answer
 * (.ci/run starts it first).
 */
public final class FreshDatabase implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5432;
    public static final String USER = "postgres";

    public final String name;

    private FreshDatabase(String name) {
        this.name = name;
    }

    public static FreshDatabase create() throws SQLException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2000);
        } catch (java.io.IOException e) {
            Assumptions.abort("PostgreSQL does not answer on " + HOST + ":" + PORT + " (" + e.getMessage()
                    + "); start it (.ci/run does) to run the tests of the PostgreSQL state and the scale-out");
        }
        String name = "graphsec_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        admin("CREATE DATABASE " + name);
        return new FreshDatabase(name);
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
