package io.graphsec.routes.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Microsoft's triage signals are data: one safe line each, and a score only when it is one. */
class TriageSignalsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void a_summary_becomes_one_trimmed_line_without_control_or_direction_characters_and_is_capped() throws Exception {
        JsonNode incident = JSON.readTree("{\"summary\": \"  Attack\\r\\nBcc: x@evil.example\\u0007 on \\u202Efinance\\u2028 \"}");
        assertThat(TriageSignals.summary(incident)).isEqualTo("Attack Bcc: x@evil.example on finance");
        JsonNode longOne = JSON.createObjectNode().put("summary", "a".repeat(5000));
        assertThat(TriageSignals.summary(longOne)).hasSize(TriageSignals.MAX_SUMMARY).endsWith("…");
        assertThat(TriageSignals.summary(JSON.readTree("{\"summary\": \" \\n \"}"))).isNull();
    }

    @Test
    void a_score_is_a_whole_number_from_0_to_100_and_nothing_else() throws Exception {
        assertThat(TriageSignals.priorityScore(JSON.readTree("{\"priorityScore\": 95}"))).isEqualTo(95);
        assertThat(TriageSignals.priorityScore(JSON.readTree("{\"priorityScore\": 0}"))).isZero();
        for (String odd : new String[] {"null", "\"95\"", "95.5", "101", "-1", "99999999999", "[95]"}) {
            assertThat(TriageSignals.priorityScore(JSON.readTree("{\"priorityScore\": " + odd + "}"))).as(odd).isNull();
        }
        assertThat(TriageSignals.priorityScore(JSON.readTree("{}"))).isNull();
    }

    @Test
    void tags_and_categories_are_comma_free_values_with_the_deprecated_category_as_fallback() throws Exception {
        JsonNode alert = JSON.readTree("{\"systemTags\": [\"Defender Experts\", \"a,b\", 7, \"Defender Experts\", \"\\n\"],"
                + " \"category\": \"Execution\"}");
        assertThat(TriageSignals.values(alert, "systemTags")).containsExactly("Defender Experts", "a b");
        assertThat(TriageSignals.categories(alert)).containsExactly("Execution");
    }
}
