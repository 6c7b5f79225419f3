package io.graphsec.routes.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TenantPausesTest {

    private static final Instant NOW = Instant.parse("2026-12-04T03:00:00Z");
    private final TenantPauses pauses = new TenantPauses(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(30),
            Duration.ofMinutes(5));

    @Test
    void a_failing_tenant_backs_off_twice_as_long_each_time_up_to_the_cap_and_afresh_after_a_completed_poll() {
        assertThat(pauses.backOff("a")).isEqualTo(NOW.plusSeconds(30));
        assertThat(pauses.backOff("a")).isEqualTo(NOW.plusSeconds(60));
        assertThat(pauses.backOff("a")).isEqualTo(NOW.plusSeconds(120));
        assertThat(pauses.backOff("a")).isEqualTo(NOW.plusSeconds(240));
        assertThat(pauses.backOff("a")).isEqualTo(NOW.plusSeconds(300));
        assertThat(pauses.backOff("a")).isEqualTo(NOW.plusSeconds(300));
        assertThat(pauses.pausedUntil("a")).contains(NOW.plusSeconds(300));
        assertThat(pauses.reason("a")).isEqualTo("Graph slow or failing (6 poll(s) given up in a row)");
        assertThat(pauses.due("b")).isTrue();

        pauses.recovered("a");
        assertThat(pauses.backOff("a")).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void a_throttled_tenant_is_paused_until_the_time_graph_named_and_says_so() {
        pauses.pause("a", NOW.plusSeconds(60));
        pauses.backOff("a");
        assertThat(pauses.pausedUntil("a")).contains(NOW.plusSeconds(60));
        assertThat(pauses.reason("a")).isEqualTo("throttled by Graph");
    }
}
