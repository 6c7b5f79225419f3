package io.graphsec.routes.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompactVersionsTest {

    @Test
    void every_value_comes_back_exactly_as_it_was_put() {
        List<String> values = List.of(
                "2026-11-25T10:00:00.1234567Z\thigh\tnew",
                "2026-11-25T10:00:00.1000000Z\tmedium\tinProgress",
                "2026-11-25T10:00:00.120Z\tlow\tresolved",
                "2026-11-25T10:00:00Z",
                "2026-11-25T10:00:00Z\t\t",
                "1969-12-31T23:59:59.9999999Z\tinformational\tnew",
                "2026-11-25T10:00:00+00:00\thigh\tnew",
                "2026-02-30T10:00:00Z\thigh\tnew",
                "2026-11-25T10:00:00.123456789Z",
                "not a time\tsévérité\tunknownFutureValue",
                "");
        CompactVersions table = new CompactVersions();
        for (int i = 0; i < values.size(); i++) {
            table.put("id-" + i, values.get(i));
        }
        for (int i = 0; i < values.size(); i++) {
            assertThat(table.get("id-" + i)).isEqualTo(values.get(i));
        }
    }

    @Test
    void a_graph_timestamp_is_kept_as_ticks_not_as_text() {
        byte[] key = "da638675262001234567_123".getBytes(StandardCharsets.UTF_8);
        String value = "2026-11-25T10:00:00.1234567Z\thigh\tnew";
        // 1 + 24 key bytes, 10 for the version, 9 for "\thigh\tnew": against 28 characters as text.
        assertThat(CompactVersions.encode(key, value)).hasSize(44);
        assertThat(CompactVersions.versionTicks(CompactVersions.encode(key, value)))
                .isEqualTo(Instant.parse("2026-11-25T10:00:00.1234567Z").getEpochSecond() * 10_000_000L + 1_234_567);
    }

    @Test
    void keys_are_compared_whole_whatever_their_length_or_alphabet() {
        CompactVersions table = new CompactVersions();
        String longKey = "x".repeat(300);
        table.put(longKey, "v1");
        table.put(longKey + "y", "v2");
        table.put("ключ/..", "v3");
        assertThat(table.get(longKey)).isEqualTo("v1");
        assertThat(table.get(longKey + "y")).isEqualTo("v2");
        assertThat(table.get("ключ/..")).isEqualTo("v3");
        assertThat(table.get("ключ")).isNull();
        assertThat(table.size()).isEqualTo(3);
    }

    @Test
    void put_says_whether_the_value_changed() {
        CompactVersions table = new CompactVersions();
        assertThat(table.put("a", "2026-11-25T10:00:00Z\thigh\tnew")).isTrue();
        assertThat(table.put("a", "2026-11-25T10:00:00Z\thigh\tnew")).isFalse();
        assertThat(table.put("a", "2026-11-25T10:00:00Z\thigh\tresolved")).isTrue();
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void behaves_like_a_map_through_growth_and_removals() {
        Random random = new Random(7);
        CompactVersions table = new CompactVersions();
        Map<String, String> reference = new HashMap<>();
        Instant base = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < 50_000; i++) {
            String key = "alert-" + random.nextInt(30_000);
            String value = base.plusMillis(random.nextInt(1_000_000_000)) + "\t" + (i % 3 == 0 ? "high" : "low") + "\tnew";
            assertThat(table.put(key, value)).isEqualTo(!value.equals(reference.put(key, value)));
        }
        assertThat(table.size()).isEqualTo(reference.size());
        Instant horizon = base.plusMillis(500_000_000);
        reference.values().removeIf(v -> Instant.parse(v.substring(0, v.indexOf('\t'))).isBefore(horizon));
        table.forgetBefore(horizon);
        assertThat(table.size()).isEqualTo(reference.size());
        Map<String, String> copy = new HashMap<>();
        table.forEach(copy::put);
        assertThat(copy).isEqualTo(reference);
        for (int i = 0; i < 30_000; i++) {
            assertThat(table.get("alert-" + i)).isEqualTo(reference.get("alert-" + i));
        }
    }

    @Test
    void keep_newest_drops_the_oldest_versions_and_text_versions_first() {
        CompactVersions table = new CompactVersions();
        table.put("text", "not a time");
        table.put("old", "2026-11-25T09:00:00Z\thigh\tnew");
        table.put("tie1", "2026-11-25T10:00:00Z");
        table.put("tie2", "2026-11-25T10:00:00Z");
        table.put("new", "2026-11-25T11:00:00Z");
        table.keepNewest(2);
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.get("new")).isNotNull();
        assertThat(table.get("text")).isNull();
        assertThat(table.get("old")).isNull();
        assertThat(table.get("tie1") == null ^ table.get("tie2") == null).as("one of the tied versions stays").isTrue();
        table.keepNewest(0);
        assertThat(table.size()).isZero();
        assertThat(table.get("new")).isNull();
    }

    @Test
    void forgetting_by_time_keeps_versions_that_are_not_times() {
        CompactVersions table = new CompactVersions();
        table.put("text", "v7");
        table.put("old", "2026-11-25T09:00:00Z");
        assertThat(table.forgetBefore(Instant.parse("2026-11-25T10:00:00Z"))).isEqualTo(1);
        assertThat(table.get("text")).isEqualTo("v7");
        assertThat(table.get("old")).isNull();
    }
}
