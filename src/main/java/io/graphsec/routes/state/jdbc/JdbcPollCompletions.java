package io.graphsec.routes.state.jdbc;

import io.graphsec.routes.state.PollCompletions;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** The last completion of each poll of a group, one row per health check. */
final class JdbcPollCompletions implements PollCompletions {

    private final Sql sql;
    private final String scope;

    JdbcPollCompletions(Sql sql, String scope) {
        this.sql = sql;
        this.scope = scope;
    }

    @Override
    public void completed(String check, Instant at) {
        sql.write("record the completion of " + check + " in",
                "INSERT INTO graph_poll_completion (scope, check_name, completed_at) VALUES (?, ?, ?)"
                        + " ON CONFLICT (scope, check_name) DO UPDATE SET completed_at = GREATEST("
                        + "graph_poll_completion.completed_at, EXCLUDED.completed_at)", scope, check, Timestamp.from(at));
    }

    @Override
    public Optional<Instant> lastCompleted(String check) {
        return sql.read("read the completion of " + check + " from",
                "SELECT completed_at FROM graph_poll_completion WHERE scope = ? AND check_name = ?",
                rs -> rs.getTimestamp(1).toInstant(), scope, check);
    }
}
