package io.graphsec.routes.state.jdbc;

import io.graphsec.routes.state.DeliveredVersions;
import io.graphsec.routes.state.EntityState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The delivered versions of one resource in PostgreSQL. Nothing is kept beyond a page: after a
 * take-over the new poller must see what the previous one committed, so each page's entities are
 * read from the table in one query when the page is read ({@link #prefetch}), and any other lookup
 * reads its row. A page's versions are upserted in one transaction, after the page's JMS
 * transaction committed, and the page's read states are dropped then.
 */
final class JdbcDeliveredVersions implements DeliveredVersions {

    private static final String WHERE = " WHERE scope = ? AND resource = ?";

    private final Sql sql;
    private final String scope;
    private final String resource;
    private final int maxEntries;
    /** The states read for the page being delivered: absent keys were looked up and never delivered. */
    private volatile Map<String, EntityState> page = Map.of();

    JdbcDeliveredVersions(Sql sql, String scope, String resource, int maxEntries) {
        this.sql = sql;
        this.scope = scope;
        this.resource = resource;
        this.maxEntries = maxEntries;
    }

    @Override
    public boolean isNew(String key, String version) {
        EntityState last = lastState(key);
        return last == null || !version.equals(last.version());
    }

    @Override
    public String lastVersion(String key) {
        EntityState last = lastState(key);
        return last == null ? null : last.version();
    }

    @Override
    public void prefetch(Collection<String> keys) {
        if (keys.isEmpty()) {
            page = Map.of();
            return;
        }
        Map<String, EntityState> found = new HashMap<>();
        keys.forEach(k -> found.put(k, null));
        try (Connection c = sql.connection(); PreparedStatement st = c.prepareStatement(
                "SELECT entity_key, state FROM graph_delivered_version" + WHERE + " AND entity_key = ANY(?)")) {
            st.setString(1, scope);
            st.setString(2, resource);
            st.setArray(3, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), EntityState.parse(rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw failure("read", e);
        }
        page = found;
    }

    @Override
    public EntityState lastState(String key) {
        Map<String, EntityState> read = page;
        if (read.containsKey(key)) {
            return read.get(key);
        }
        try {
            return sql.one("SELECT state FROM graph_delivered_version" + WHERE + " AND entity_key = ?",
                    rs -> EntityState.parse(rs.getString(1)), scope, resource, key).orElse(null);
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    @Override
    public void remember(Collection<Map.Entry<String, String>> delivered) {
        if (delivered.isEmpty()) {
            return;
        }
        page = Map.of();
        try (Connection c = sql.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement("INSERT INTO graph_delivered_version"
                    + " (scope, resource, entity_key, state, version_at) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (scope, resource, entity_key)"
                    + " DO UPDATE SET state = EXCLUDED.state, version_at = EXCLUDED.version_at")) {
                for (Map.Entry<String, String> e : delivered) {
                    st.setString(1, scope);
                    st.setString(2, resource);
                    st.setString(3, e.getKey());
                    st.setString(4, e.getValue());
                    st.setTimestamp(5, timestampOf(EntityState.parse(e.getValue()).version()));
                    st.addBatch();
                }
                st.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure("record", e);
        }
    }

    @Override
    public void forgetOlderThan(Instant horizon) {
        try {
            sql.update("DELETE FROM graph_delivered_version" + WHERE + " AND version_at < ?",
                    scope, resource, Timestamp.from(horizon));
            int excess = size() - maxEntries;
            if (excess > 0) {
                // The oldest go first, as in the file store: they are the first to leave the overlap window anyway.
                sql.update("DELETE FROM graph_delivered_version" + WHERE + " AND entity_key IN (SELECT entity_key"
                        + " FROM graph_delivered_version" + WHERE + " ORDER BY version_at ASC NULLS FIRST LIMIT ?)",
                        scope, resource, scope, resource, excess);
            }
        } catch (SQLException e) {
            throw failure("prune", e);
        }
    }

    @Override
    public int size() {
        try {
            return sql.one("SELECT count(*) FROM graph_delivered_version" + WHERE, rs -> rs.getInt(1), scope, resource)
                    .orElse(0);
        } catch (SQLException e) {
            throw failure("count", e);
        }
    }

    private static Timestamp timestampOf(String version) {
        try {
            return Timestamp.from(Instant.parse(version));
        } catch (DateTimeParseException notATimestamp) {
            return null;
        }
    }

    private IllegalStateException failure(String what, SQLException e) {
        return Sql.failed(what + " the delivered versions of " + resource + (scope.isEmpty() ? "" : " (" + scope + ")")
                + " in", e);
    }

    @Override
    public void close() {
        // The pool belongs to StateDatabase, which closes it.
    }
}
