package io.graphsec.routes.state.jdbc;

import io.graphsec.routes.state.PollCompletions;
import io.graphsec.routes.state.DeliveredVersions;
import io.graphsec.routes.state.StateStores;
import io.graphsec.routes.state.TicketCorrelations;
import io.graphsec.routes.state.Watermarks;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The state in PostgreSQL tables shared by every instance of a group (graph.state.store=jdbc). Each
 * directory a caller names under graph.state.dir becomes a scope: the group's name (its Quartz
 * scheduler name) and the directory's path relative to that root. Groups poll different tenants, and
 * each group's default tenant is its own, so groups never share a scope.
 */
public final class JdbcStateStores implements StateStores {

    private final Sql sql;
    private final Path root;
    private final String group;

    public JdbcStateStores(DataSource dataSource, Path stateRoot, String group) {
        this.sql = new Sql(dataSource);
        this.root = stateRoot.toAbsolutePath().normalize();
        this.group = group;
    }

    @Override
    public Watermarks watermarks(Path dir) {
        return new JdbcWatermarks(sql, scope(dir));
    }

    @Override
    public DeliveredVersions versions(Path dir, String resource, int maxEntries) {
        return new JdbcDeliveredVersions(sql, scope(dir), resource, maxEntries);
    }

    @Override
    public TicketCorrelations tickets(Path stateDir) {
        return new JdbcTicketCorrelations(sql, scope(stateDir));
    }

    @Override
    public PollCompletions pollCompletions() {
        return new JdbcPollCompletions(sql, group);
    }

    String scope(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        String relative = (d.startsWith(root) ? root.relativize(d) : d).toString().replace('\\', '/');
        return relative.isEmpty() ? group : group + "/" + relative;
    }
}
