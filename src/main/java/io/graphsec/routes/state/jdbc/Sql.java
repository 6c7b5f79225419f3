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
