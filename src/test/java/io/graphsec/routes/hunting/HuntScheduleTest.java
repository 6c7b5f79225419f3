package io.graphsec.routes.hunting;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsec.routes.state.WatermarkStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuntScheduleTest {

    private static final HuntFile QUARTER = HuntFile.parse("q.kql",
            "// name: Q\n// schedule: 0 0/15 * * * ?\n// severity: high\nT");
    private static final HuntFile EVERY_SECOND = HuntFile.parse("s.kql",
            "// name: S\n// schedule: * * * * * ?\n// severity: low\nT");

    @TempDir
    Path dir;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-25T10:07:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void a_new_hunt_waits_for_its_first_slot_after_the_start_then_runs_each_slot_once() {
        HuntSchedule schedule = new HuntSchedule(List.of(QUARTER), new WatermarkStore(dir), clock);
        assertThat(schedule.due()).isEmpty();
        now.set(Instant.parse("2026-11-25T10:15:00.400Z"));
        List<HuntRun> due = schedule.due();
        assertThat(due).singleElement().satisfies(r -> assertThat(r.slot()).isEqualTo("2026-11-25T10:15:00Z"));
        assertThat(schedule.due()).as("not marked yet: still due").hasSize(1);
        schedule.ran(due.get(0));
        now.set(Instant.parse("2026-11-25T10:29:59Z"));
        assertThat(schedule.due()).isEmpty();
    }

    @Test
    void a_restart_does_not_run_a_slot_that_already_ran_and_after_downtime_only_the_latest_slot_runs() {
        HuntSchedule before = new HuntSchedule(List.of(QUARTER), new WatermarkStore(dir), clock);
        now.set(Instant.parse("2026-11-25T10:15:01Z"));
        before.ran(before.due().get(0));

        HuntSchedule restarted = new HuntSchedule(List.of(QUARTER), new WatermarkStore(dir), clock);
        assertThat(restarted.due()).isEmpty();
        now.set(Instant.parse("2026-11-26T08:50:00Z"));
        assertThat(restarted.due()).singleElement()
                .satisfies(r -> assertThat(r.slot()).isEqualTo("2026-11-26T08:45:00Z"));
    }

    @Test
    void a_dense_schedule_after_a_long_downtime_finds_its_latest_slot() {
        HuntSchedule schedule = new HuntSchedule(List.of(EVERY_SECOND), new WatermarkStore(dir), clock);
        now.set(Instant.parse("2026-12-20T00:00:00.700Z"));
        assertThat(schedule.due()).singleElement()
                .satisfies(r -> assertThat(r.slot()).isEqualTo("2026-12-20T00:00:00Z"));
    }

    @Test
    void the_window_of_a_slot_is_absolute_so_a_rerun_asks_for_the_same_range() {
        HuntRun first = new HuntRun(EVERY_SECOND, Instant.parse("2026-11-25T10:00:00Z"));
        HuntRun again = new HuntRun(EVERY_SECOND, Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(first.nextRequestBody()).isEqualTo(again.nextRequestBody())
                .isEqualTo("{\"query\":\"T\",\"timespan\":\"2026-11-24T10:00:00Z/2026-11-25T10:00:00Z\"}");
    }
}
