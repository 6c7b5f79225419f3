package io.graphsec.routes.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PropsTest {

    private static Props props(Map<String, String> values) {
        return new Props(k -> Optional.ofNullable(values.get(k)));
    }

    @Test
    void a_key_without_a_value_stops_the_start_naming_the_key_and_the_three_places_to_set_it() {
        for (Props p : new Props[] {props(Map.of()), props(Map.of("graph.dedup.max-entries", "  "))}) {
            assertThatThrownBy(() -> p.integer("graph.dedup.max-entries"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("graph.dedup.max-entries is missing (set it in application.properties,"
                            + " -Dgraph.dedup.max-entries or GRAPH_DEDUP_MAX_ENTRIES)");
        }
    }

    @Test
    void values_are_trimmed_and_a_bad_number_or_duration_is_named_with_its_value() {
        Props p = props(Map.of("graph.a", " 12 ", "graph.b", "PT5M", "graph.c", "twelve", "graph.d", "5 minutes"));
        assertThat(p.integer("graph.a")).isEqualTo(12);
        assertThat(p.duration("graph.b")).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> p.integer("graph.c")).hasMessage("graph.c=twelve is not a whole number");
        assertThatThrownBy(() -> p.duration("graph.d"))
                .hasMessage("graph.d=5 minutes is not an ISO-8601 duration such as PT10M");
    }

    @Test
    void a_further_tenant_reads_its_own_key_first_then_the_shared_one() {
        Props p = props(Map.of("graph.rate.period", "PT2S", "graph.tenant.fabrikam.rate.period", "PT4S",
                "graph.alerts.lag", "PT10M"));
        Props fabrikam = p.forTenant("fabrikam");
        assertThat(fabrikam.duration("graph.rate.period")).isEqualTo(Duration.ofSeconds(4));
        assertThat(fabrikam.duration("graph.alerts.lag")).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.duration("graph.rate.period")).isEqualTo(Duration.ofSeconds(2));
    }
}
