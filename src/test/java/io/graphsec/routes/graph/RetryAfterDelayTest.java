package io.graphsec.routes.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterDelayTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void whole_and_fractional_seconds() {
        assertThat(RetryAfterDelay.parseMillis("2", NOW)).contains(2000L);
        assertThat(RetryAfterDelay.parseMillis(" 2.128 ", NOW)).contains(2128L);
        assertThat(RetryAfterDelay.parseMillis("0", NOW)).contains(0L);
    }

    @Test
    void http_dates_in_the_future_and_the_past() {
        assertThat(RetryAfterDelay.parseMillis("Wed, 25 Nov 2026 10:00:30 GMT", NOW)).contains(30_000L);
        assertThat(RetryAfterDelay.parseMillis("Wed, 25 Nov 2026 09:59:00 GMT", NOW)).contains(0L);
    }

    @Test
    void junk_and_negative_values_fall_back_to_the_back_off() {
        assertThat(RetryAfterDelay.parseMillis("soon", NOW)).isEmpty();
        assertThat(RetryAfterDelay.parseMillis("-5", NOW)).isEmpty();
        assertThat(RetryAfterDelay.parseMillis("Infinity", NOW)).isEmpty();
    }
}
