package io.graphsec.routes.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CronSpreadTest {

    @Test
    void tenants_sharing_an_every_thirty_seconds_cron_are_spread_over_its_thirty_seconds() {
        assertThat(IntStream.range(0, 60).mapToObj(i -> CronSpread.shift("0/30 * * * * ?", i, 60)).distinct())
                .hasSize(30).allMatch(c -> c.matches("\\d{1,2}/30 \\* \\* \\* \\* \\?"));
        assertThat(CronSpread.shift("0/30 * * * * ?", 0, 60)).as("the first keeps it").isEqualTo("0/30 * * * * ?");
        assertThat(CronSpread.shift("15/30 * * * * ?", 59, 60)).isEqualTo("14/30 * * * * ?");
    }

    @Test
    void tenants_sharing_a_cron_on_one_second_of_the_minute_are_spread_over_that_minute() {
        assertThat(IntStream.range(0, 500).mapToObj(i -> CronSpread.shift("0 * * * * ?", i, 500)).distinct())
                .hasSize(60).allMatch(c -> c.matches("\\d{1,2} \\* \\* \\* \\* \\?"));
        assertThat(CronSpread.shift("0 * * * * ?", 0, 500)).as("the first keeps it").isEqualTo("0 * * * * ?");
        assertThat(CronSpread.shift("0 * * * * ?", 499, 500)).isEqualTo("59 * * * * ?");
        assertThat(CronSpread.shift("30 0/5 * * * ?", 3, 10)).isEqualTo("48 0/5 * * * ?");
    }

    @Test
    void any_other_cron_and_a_one_second_period_are_left_as_they_are() {
        assertThat(CronSpread.shift("0,30 * * * * ?", 3, 10)).isEqualTo("0,30 * * * * ?");
        assertThat(CronSpread.shift("0-10 * * * * ?", 3, 10)).isEqualTo("0-10 * * * * ?");
        assertThat(CronSpread.shift("0/1 * * * * ?", 3, 10)).isEqualTo("0/1 * * * * ?");
        assertThat(CronSpread.shift("0/30 * * * * ?", 0, 1)).isEqualTo("0/30 * * * * ?");
    }
}
