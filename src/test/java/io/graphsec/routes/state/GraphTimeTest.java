package io.graphsec.routes.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GraphTimeTest {

    @Test
    void decides_as_instant_parse_does_for_graph_forms_and_others() {
        List<String> texts = new ArrayList<>(List.of(
                "2026-11-25T10:00:00Z", "2026-11-25T10:00:00.1234567Z", "2026-11-25T10:00:00.123456789Z",
                "2026-11-25T10:00:00.1234567890Z", "2026-11-25T10:00:00.Z", "2026-02-29T10:00:00Z",
                "2024-02-29T10:00:00Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
                "2026-11-25T24:00:00Z", "2026-11-25T23:60:00Z", "2016-12-31T23:59:60Z", "2026-11-25T10:00:00+02:00",
                "2026-11-25T10:00:00", "2026-11-25 10:00:00Z", "2026-11-25t10:00:00z", "+12026-11-25T10:00:00Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "2026-1-25T10:00:00Z", "", "Z",
                "2026-11-25T1a:00:00Z", "２０２６-11-25T10:00:00Z", "2026-11-25T10:00:00.12a4567Z"));
        Random random = new Random(7);
        String alphabet = "0123456789-T:.Z+ ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder("2026-11-25T10:00:00.1234567Z");
            for (int k = random.nextInt(3); k >= 0; k--) {
                s.setCharAt(random.nextInt(s.length()), alphabet.charAt(random.nextInt(alphabet.length())));
            }
            texts.add(random.nextInt(4) == 0 ? s.substring(0, random.nextInt(s.length() + 1)) : s.toString());
        }
        int valid = 0;
        for (String t : texts) {
            assertThat(GraphTime.isValid(t)).as(t).isEqualTo(parses(t));
            valid += parses(t) ? 1 : 0;
        }
        // The random texts must exercise both answers, or the comparison proves little.
        assertThat(valid).isBetween(1000, texts.size() - 1000);
    }

    private static boolean parses(String t) {
        try {
            Instant.parse(t);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
