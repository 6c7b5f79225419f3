package io.graphsec.routes.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsec.routes.state.EntityState;
import org.junit.jupiter.api.Test;

class ChangeEventTest {

    private static EntityState was(String severity, String status) {
        return new EntityState("2026-11-25T10:00:00Z", severity, status);
    }

    @Test
    void tells_each_change_apart() {
        assertThat(ChangeEvent.of(null, "high", "new")).isEqualTo("created");
        assertThat(ChangeEvent.of(null, "high", "resolved")).as("first seen already resolved").isEqualTo("resolved");
        assertThat(ChangeEvent.of(was("low", "new"), "high", "new")).isEqualTo("severityRaised");
        assertThat(ChangeEvent.of(was("high", "new"), "low", "new")).isEqualTo("updated");
        assertThat(ChangeEvent.of(was("low", "new"), "low", "inProgress")).isEqualTo("statusChanged");
        assertThat(ChangeEvent.of(was("low", "inProgress"), "high", "resolved")).as("resolution wins").isEqualTo("resolved");
        assertThat(ChangeEvent.of(was("high", "resolved"), "high", "inProgress")).isEqualTo("reopened");
        assertThat(ChangeEvent.of(was("medium", "new"), "medium", "new")).isEqualTo("updated");
        assertThat(ChangeEvent.of(was("unknown", "new"), "informational", "new")).as("unknown ranks lowest")
                .isEqualTo("severityRaised");
    }

    @Test
    void a_state_written_before_states_were_kept_never_claims_an_escalation() {
        EntityState versionOnly = EntityState.parse("2026-11-25T10:00:00Z");
        assertThat(versionOnly.severity()).isNull();
        assertThat(ChangeEvent.of(versionOnly, "high", "new")).isEqualTo("updated");
    }

    @Test
    void control_characters_cannot_break_a_store_line() {
        EntityState hostile = new EntityState("2026-11-25T10:00:00Z", "high", "new\r\nx\ty");
        assertThat(hostile.format()).doesNotContain("\n", "\r").hasToString("2026-11-25T10:00:00Z\thigh\tnew??x?y");
        assertThat(EntityState.parse(hostile.format()).status()).isEqualTo("new??x?y");
    }
}
