package io.graphsec.routes.securescore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.graph.GraphPageException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecureScoreSnapshotTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A daily record as Graph sends it: controlScores by name → score. */
    static ObjectNode record(String date, double current, Object... controlScores) {
        ObjectNode r = JSON.createObjectNode().put("id", "tenant-1_" + date).put("azureTenantId", "tenant-1")
                .put("createdDateTime", date + "T00:00:00Z").put("currentScore", current).put("maxScore", 30.0);
        for (int i = 0; i < controlScores.length; i += 2) {
            r.withArray("controlScores").addObject().put("controlCategory", "Identity")
                    .put("controlName", (String) controlScores[i]).put("description", "d")
                    .put("score", ((Number) controlScores[i + 1]).doubleValue());
        }
        return r;
    }

    static ObjectNode profile(String id, double max) {
        return JSON.createObjectNode().put("id", id).put("controlCategory", "Identity").put("title", "Do " + id)
                .put("maxScore", max).put("deprecated", false).put("remediation", "<p>Turn " + id + " on.</p>");
    }

    @Test
    void lists_every_profiled_control_with_its_score_and_implemented_only_at_full_points() {
        SecureScoreReading reading = new SecureScoreReading(
                List.of(record("2026-11-25", 14.5, "MFA", 10, "SSPR", 4.5), record("2026-11-24", 10, "MFA", 10, "SSPR", 0)),
                List.of(profile("MFA", 10), profile("SSPR", 9), profile("Retired", 5).put("deprecated", true)));

        ObjectNode s = SecureScoreSnapshot.of(reading);

        assertThat(s.get("date").asText()).isEqualTo("2026-11-25");
        assertThat(s.get("tenantId").asText()).isEqualTo("tenant-1");
        assertThat(s.get("currentScore").asDouble()).isEqualTo(14.5);
        assertThat(s.get("maxScore").asDouble()).isEqualTo(30.0);
        assertThat(s.get("percentage").asDouble()).isEqualTo(48.33);
        assertThat(s.get("previousDate").asText()).isEqualTo("2026-11-24");
        assertThat(s.get("controls")).extracting(c -> c.get("controlName").asText() + " " + c.get("score").asDouble()
                + "/" + c.get("maxScore").asDouble() + " " + c.get("implemented").asBoolean())
                .containsExactly("MFA 10.0/10.0 true", "SSPR 4.5/9.0 false", "Retired 0.0/5.0 false");
        assertThat(s.get("controls").get(0).get("category").asText()).isEqualTo("Identity");
    }

    @Test
    void a_scored_control_without_profile_is_still_listed_and_the_day_comes_from_the_id_when_needed() {
        ObjectNode today = record("2026-11-25", 3, "Unlisted", 3);
        today.remove("createdDateTime");
        ObjectNode s = SecureScoreSnapshot.of(new SecureScoreReading(List.of(today), List.of()));
        assertThat(s.get("date").asText()).isEqualTo("2026-11-25");
        assertThat(s.has("previousDate")).isFalse();
        assertThat(s.get("controls")).singleElement().satisfies(c -> {
            assertThat(c.get("controlName").asText()).isEqualTo("Unlisted");
            assertThat(c.get("maxScore").isNull()).isTrue();
            assertThat(c.get("implemented").asBoolean()).isFalse();
        });
    }

    @Test
    void a_record_without_a_day_or_a_score_is_refused_naming_it() {
        ObjectNode noDay = JSON.createObjectNode().put("id", "odd").put("currentScore", 1).put("maxScore", 2);
        assertThatThrownBy(() -> SecureScoreSnapshot.of(new SecureScoreReading(List.of(noDay), List.of())))
                .isInstanceOf(GraphPageException.class).hasMessageContaining("odd").hasMessageContaining("createdDateTime");
        JsonNode noScore = record("2026-11-25", 1).without("currentScore");
        assertThatThrownBy(() -> SecureScoreSnapshot.of(new SecureScoreReading(List.of(noScore), List.of())))
                .isInstanceOf(GraphPageException.class).hasMessageContaining("currentScore");
    }

    @Test
    void implemented_needs_the_full_points_of_a_control_that_has_any() {
        assertThat(SecureScoreSnapshot.implemented(10, 10)).isTrue();
        assertThat(SecureScoreSnapshot.implemented(9.99, 10)).isFalse();
        assertThat(SecureScoreSnapshot.implemented(0, 0)).isFalse();
    }
}
