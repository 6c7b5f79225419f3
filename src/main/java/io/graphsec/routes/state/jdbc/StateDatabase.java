package io.graphsec.routes.state.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.graphsec.routes.config.Props;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL database the instances share (graph.state.store=jdbc): a HikariCP pool, and the
 * schema created or migrated by Flyway at start (the routes' tables, then Quartz's). Flyway takes a
 * database lock while it migrates, so instances starting together do not race.
 */
public final class StateDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateDatabase.class);

    private final HikariDataSource dataSource;

    private StateDatabase(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Opens the pool from the graph.state.jdbc.* keys and migrates the schema. */
    public static StateDatabase open(Function<String, Optional<String>> props) {
        String url = props.apply("graph.state.jdbc.url").orElseThrow(() -> new IllegalStateException(
                "graph.state.jdbc.url is missing: graph.state.store=jdbc needs the PostgreSQL database,"
                        + " e.g. jdbc:postgresql://db:5432/graphsec"));
        // A URL may carry ?password=...; only its part before the query is ever logged or quoted.
        String shown = url.replaceFirst("\\?.*$", "");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("graph.state.jdbc.url=" + shown + " is not a PostgreSQL JDBC URL"
                    + " (jdbc:postgresql://host:port/database); PostgreSQL is the database supported");
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("graph-state");
        config.setJdbcUrl(url);
        props.apply("graph.state.jdbc.user").ifPresent(config::setUsername);
        props.apply("graph.state.jdbc.password").ifPresent(config::setPassword);
        String max = props.apply("graph.state.jdbc.max-connections").orElseThrow(() -> new IllegalStateException(
                Props.missing("graph.state.jdbc.max-connections")));
        try {
            config.setMaximumPoolSize(Integer.parseInt(max));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("graph.state.jdbc.max-connections=" + max + " is not a whole number", e);
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            // The driver's message names host, database and user, never the password.
            throw new IllegalStateException("cannot connect to the state database " + shown + ": " + rootMessage(e), e);
        }
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/graph-state")
                    .javaMigrations(new QuartzTables())
                    .table("graph_schema_version")
                    .load()
                    .migrate();
            LOG.info("State in PostgreSQL {}: schema version {} ({} migration(s) applied now)", shown,
                    result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                    result.migrationsExecuted);
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("cannot create or migrate the state schema in " + shown + ": "
                    + rootMessage(e), e);
        }
        return new StateDatabase(pool);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
