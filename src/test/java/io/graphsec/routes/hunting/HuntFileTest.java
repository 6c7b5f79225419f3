package io.graphsec.routes.hunting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HuntFileTest {

    private static final String GOOD = """
            // name: Encoded PowerShell
            // schedule: 0 0/15 * * * ?
            // severity: High
            // timespan: P1D
            // description: PowerShell with an encoded command.

            DeviceProcessEvents
            // a KQL comment inside the query stays part of it
            | where ProcessCommandLine has "-enc"
            """;

    @Test
    void reads_the_header_and_keeps_the_rest_as_the_query() {
        HuntFile hunt = HuntFile.parse("Encoded PowerShell.kql", GOOD);
        assertThat(hunt.name()).isEqualTo("Encoded PowerShell");
        assertThat(hunt.slug()).isEqualTo("encoded-powershell");
        assertThat(hunt.schedule()).isEqualTo("0 0/15 * * * ?");
        assertThat(hunt.severity()).isEqualTo("high");
        assertThat(hunt.timespan()).isEqualTo(Duration.ofDays(1));
        assertThat(hunt.description()).isEqualTo("PowerShell with an encoded command.");
        assertThat(hunt.query()).isEqualTo("DeviceProcessEvents\n// a KQL comment inside the query stays part of it\n"
                + "| where ProcessCommandLine has \"-enc\"");
        assertThat(hunt.cron().getTimeZone().getID()).isEqualTo("UTC");
    }

    @Test
    void timespan_defaults_to_one_day() {
        HuntFile hunt = HuntFile.parse("a.kql", "// name: A\n// schedule: 0 * * * * ?\n// severity: low\nT | take 1");
        assertThat(hunt.timespan()).isEqualTo(Duration.ofDays(1));
        assertThat(hunt.category()).isEmpty();
    }

    @Test
    void each_mistake_names_the_file_and_the_field() {
        assertProblem(GOOD.replace("// name: Encoded PowerShell\n", ""), "hunt file x.kql: name is missing");
        assertProblem(GOOD.replace("0 0/15 * * * ?", "every 15 minutes"), "hunt file x.kql: schedule 'every 15 minutes'"
                + " is not a Quartz cron expression");
        assertProblem(GOOD.replace("0 0/15 * * * ?", "0 0/15 * * *"), "hunt file x.kql: schedule '0 0/15 * * *'");
        assertProblem(GOOD.replace("High", "critical"), "hunt file x.kql: severity 'critical' is not one of high, medium,"
                + " low, informational");
        assertProblem(GOOD.replace("// severity: High\n", ""), "hunt file x.kql: severity is missing");
        assertProblem(GOOD.replace("P1D", "1 day"), "hunt file x.kql: timespan '1 day' is not an ISO-8601 duration");
        assertProblem(GOOD.replace("P1D", "P90D"), "hunt file x.kql: timespan P90D is outside PT1S..P30D");
        assertProblem(GOOD.replace("// timespan", "// timespam"), "hunt file x.kql: timespam is not a header field");
        assertProblem("// name: A\n// name: B\n// schedule: 0 * * * * ?\n// severity: low\nT", "hunt file x.kql: name is given twice");
        assertProblem("// name: A\n// schedule: 0 * * * * ?\n// severity: low\n\n", "hunt file x.kql: query is empty");
    }

    @Test
    void a_folder_is_read_in_name_order_and_two_files_making_one_id_are_refused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("b.kql"), "// name: B\n// schedule: 0 * * * * ?\n// severity: low\nT");
        Files.writeString(dir.resolve("a.kql"), "// name: A\n// schedule: 0 * * * * ?\n// severity: low\nT");
        Files.writeString(dir.resolve("notes.txt"), "not a hunt");
        List<HuntFile> hunts = HuntFile.loadAll(dir);
        assertThat(hunts).extracting(HuntFile::slug).containsExactly("a", "b");

        Files.writeString(dir.resolve("A .kql"), "// name: A2\n// schedule: 0 * * * * ?\n// severity: low\nT");
        assertThatThrownBy(() -> HuntFile.loadAll(dir)).hasMessageContaining("make the same id 'a'");
        assertThatThrownBy(() -> HuntFile.loadAll(dir.resolve("missing")))
                .hasMessageContaining("(graph.hunting.dir) does not exist");
    }

    @Test
    void the_shipped_example_hunts_are_valid() {
        assertThat(HuntFile.loadAll(Path.of("hunts"))).extracting(HuntFile::slug)
                .containsExactly("encoded-powershell", "mass-download");
    }

    private static void assertProblem(String text, String message) {
        assertThatThrownBy(() -> HuntFile.parse("x.kql", text)).isInstanceOf(HuntFile.HuntFileException.class)
                .hasMessageStartingWith(message);
    }
}
