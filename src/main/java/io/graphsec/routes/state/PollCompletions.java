package io.graphsec.routes.state;

import java.time.Instant;
import java.util.Optional;

/**
 * When a poll last completed, as every instance of a group sees it. With several instances only one
 * of them runs each poll (clustered Quartz); the others must not report the poll as stale.
 */
public interface PollCompletions {

    /** One instance: its own health checks know everything. */
    PollCompletions LOCAL = new PollCompletions() {
        @Override
        public void completed(String check, Instant at) {
        }

        @Override
        public Optional<Instant> lastCompleted(String check) {
            return Optional.empty();
        }
    };

    void completed(String check, Instant at);

    Optional<Instant> lastCompleted(String check);
}
