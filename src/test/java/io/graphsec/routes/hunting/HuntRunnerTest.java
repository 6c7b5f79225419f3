package io.graphsec.routes.hunting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

class HuntRunnerTest {

    @Test
    void a_failure_that_would_repeat_for_the_slot_is_permanent_a_passing_one_is_not() {
        assertThat(HuntRunner.permanent(http(400, "{}"))).as("a query Graph refuses").isTrue();
        assertThat(HuntRunner.permanent(http(403, "{}"))).as("a missing permission").isTrue();
        assertThat(HuntRunner.permanent(http(429, "{}"))).isFalse();
        assertThat(HuntRunner.permanent(http(401, "{}"))).isFalse();
        assertThat(HuntRunner.permanent(http(503, "{}"))).isFalse();
        assertThat(HuntRunner.permanent(new java.io.IOException("reset"))).isFalse();
        assertThat(HuntRunner.permanent(new HuntRun.HuntRunException("too large at the minimum", true))).isTrue();
    }

    @Test
    void the_reason_is_graphs_error_message_on_one_line() {
        assertThat(HuntRunner.reason(http(400,
                "{\"error\":{\"code\":\"BadRequest\",\"message\":\"Syntax error\\r\\nnear 'wher'\"}}")))
                .isEqualTo("Graph answered 400: Syntax error  near 'wher'");
        assertThat(HuntRunner.reason(http(502, "<html>bad gateway</html>")))
                .isEqualTo("Graph answered 502: <html>bad gateway</html>");
        assertThat(HuntRunner.reason(http(500, ""))).isEqualTo("Graph answered 500");
    }

    private static HttpOperationFailedException http(int status, String body) {
        return new HttpOperationFailedException("https://graph/v1.0/security/runHuntingQuery", status, "x", null,
                Map.of("Authorization", "Bearer secret"), body);
    }
}
