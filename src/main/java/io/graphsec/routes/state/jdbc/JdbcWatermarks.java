package io.graphsec.routes.state.jdbc;

import io.graphsec.routes.state.Watermarks;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** One watermark per (scope, resource) row; each write is its own committed upsert. */
final class JdbcWatermarks implements Watermarks {

    private final Sql sql;
    private final String scope;

    JdbcWatermarks(Sql sql, String scope) {
        this.sql = sql;
        this.scope = scope;
    }

    @Override
    public Optional<Instant> read(String resource) {
        return sql.read("read the watermark of " + resource + " from",
                "SELECT watermark FROM graph_watermark WHERE scope = ? AND resource = ?",
                rs -> rs.getTimestamp(1).toInstant(), scope, resource);
    }

    @Override
    public void write(String resource, Instant watermark) {
        sql.write("write the watermark of " + resource + " to",
                "INSERT INTO graph_watermark (scope, resource, watermark) VALUES (?, ?, ?)"
                        + " ON CONFLICT (scope, resource) DO UPDATE SET watermark = EXCLUDED.watermark",
                scope, resource, Timestamp.from(watermark));
    }
}
