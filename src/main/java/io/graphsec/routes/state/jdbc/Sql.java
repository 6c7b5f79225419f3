package io.graphsec.routes.state.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** The one-statement reads and writes of the stores, each on a pooled connection in auto-commit. */
final class Sql {

    /** Reads the first column of a row. */
    interface Column<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final DataSource dataSource;

    Sql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The first column of the first row, if there is a row. */
    <T> Optional<T> one(String sql, Column<T> column, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = prepare(c, sql, args);
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.ofNullable(column.read(rs)) : Optional.empty();
        }
    }

    int update(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = prepare(c, sql, args)) {
            return st.executeUpdate();
        }
    }

    /** {@link #one}, a failure told as "cannot {@code what} PostgreSQL: reason". */
    <T> Optional<T> read(String what, String sql, Column<T> column, Object... args) {
        try {
            return one(sql, column, args);
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    /** {@link #update}, a failure told as "cannot {@code what} PostgreSQL: reason". */
    void write(String what, String sql, Object... args) {
        try {
            update(sql, args);
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    static IllegalStateException failed(String what, Exception e) {
        return new IllegalStateException("cannot " + what + " PostgreSQL: " + e.getMessage(), e);
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            st.setObject(i + 1, args[i]);
        }
        return st;
    }
}
