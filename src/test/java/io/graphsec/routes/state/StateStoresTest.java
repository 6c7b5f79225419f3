package io.graphsec.routes.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoresTest {

    @TempDir
    Path dir;

    @Test
    void the_watermark_survives_a_restart_and_leaves_no_temporary_file() {
        Instant t = Instant.parse("2026-11-25T10:00:00.123Z");
        new WatermarkStore(dir).write("alerts_v2", t);
        assertThat(new WatermarkStore(dir).read("alerts_v2")).contains(t);
        assertThat(new WatermarkStore(dir).read("incidents")).isEmpty();
        assertThat(dir.resolve("alerts_v2.watermark.tmp")).doesNotExist();
    }

    @Test
    void a_corrupt_watermark_is_reported_with_the_fix() throws Exception {
        Files.writeString(dir.resolve("alerts_v2.watermark"), "yesterday");
        assertThatThrownBy(() -> new WatermarkStore(dir).read("alerts_v2"))
                .hasMessageContaining("does not hold an ISO-8601 instant");
    }

    @Test
    void resource_names_cannot_escape_the_state_directory() {
        assertThatThrownBy(() -> new WatermarkStore(dir).read("../etc/passwd"))
                .hasMessageContaining("not a safe file name");
    }

    @Test
    void delivered_versions_survive_a_restart_and_new_versions_are_new() throws Exception {
        try (AlertVersionStore store = new AlertVersionStore(dir, "alerts_v2", 1000)) {
            store.remember(List.of(Map.entry("a1", "2026-11-25T10:00:00Z"), Map.entry("a2", "2026-11-25T10:00:01Z")));
        }
        try (AlertVersionStore store = new AlertVersionStore(dir, "alerts_v2", 1000)) {
            assertThat(store.isNew("a1", "2026-11-25T10:00:00Z")).isFalse();
            assertThat(store.isNew("a1", "2026-11-25T10:05:00Z")).isTrue();
            assertThat(store.isNew("a3", "2026-11-25T10:00:00Z")).isTrue();
        }
    }

    @Test
    void a_line_torn_by_a_crash_is_skipped_and_only_risks_a_resend() throws Exception {
        try (AlertVersionStore store = new AlertVersionStore(dir, "alerts_v2", 1000)) {
            store.remember(List.of(Map.entry("a1", "2026-11-25T10:00:00Z")));
        }
        Files.writeString(dir.resolve("alerts_v2.versions"), "a2\t", StandardOpenOption.APPEND);
        try (AlertVersionStore store = new AlertVersionStore(dir, "alerts_v2", 1000)) {
            assertThat(store.size()).isEqualTo(1);
            assertThat(store.isNew("a1", "2026-11-25T10:00:00Z")).isFalse();
        }
    }

    @Test
    void old_versions_are_forgotten_and_the_store_stays_bounded() throws Exception {
        try (AlertVersionStore store = new AlertVersionStore(dir, "alerts_v2", 3)) {
            store.remember(List.of(Map.entry("old", "2026-11-25T09:00:00Z"), Map.entry("new", "2026-11-25T11:00:00Z")));
            store.forgetOlderThan(Instant.parse("2026-11-25T10:00:00Z"));
            assertThat(store.lastVersion("old")).isNull();
            assertThat(store.lastVersion("new")).isEqualTo("2026-11-25T11:00:00Z");

            store.remember(List.of(Map.entry("b", "2026-11-25T11:00:01Z"), Map.entry("c", "2026-11-25T11:00:02Z"),
                    Map.entry("d", "2026-11-25T11:00:03Z")));
            assertThat(store.size()).isEqualTo(3);
            assertThat(store.lastVersion("new")).as("the oldest goes first").isNull();
        }
        assertThat(Files.readAllLines(dir.resolve("alerts_v2.versions"))).hasSize(3);
    }
}
