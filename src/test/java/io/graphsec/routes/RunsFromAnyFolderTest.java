package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graphsec.routes.support.RunnableJar;
import io.graphsec.routes.support.RunningApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar started outside the checkout, in the demo profile: on what it carries from an empty
 * folder, on a configuration folder's own route and properties, and stopped in one line by a file that
 * configuration folder names but does not have.
 */
class RunsFromAnyFolderTest {

    private static final String POLL_SUMMARY = "alerts_v2 poll: fetched";

    @TempDir
    Path workingDir;
    @TempDir
    Path configDir;
    @TempDir
    Path logs;

    private Process app;

    @AfterEach
    void stop() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroy();
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void started_from_an_empty_folder_the_jar_polls_on_the_routes_it_carries() throws Exception {
        Path log = logs.resolve("app.log");
        app = RunnableJar.start(workingDir, demoOnFreePorts(), Map.of(), log);

        String out = awaitLog(log, POLL_SUMMARY);
        assertThat(out).contains("Configuration folder " + workingDir.toRealPath())
                .contains("nothing in it overrides")
                .contains("Data: state in " + workingDir.toRealPath().resolve("data/demo/state"));
        assertThat(Files.list(workingDir).map(p -> p.getFileName().toString()).toList())
                .as("what the app wrote in the folder it was started from").containsExactly("data");
    }

    @Test
    void a_configuration_folder_replaces_a_packaged_route_adds_its_own_and_sets_properties() throws Exception {
        Path routes = Files.createDirectories(configDir.resolve("routes"));
        String tickets = Files.readString(Path.of("routes/5-deliver-tickets.camel.yaml"));
        assertThat(tickets).contains("message: \"Ticket: ");
        Files.writeString(routes.resolve("5-deliver-tickets.camel.yaml"),
                tickets.replace("message: \"Ticket: ", "message: \"Ticket from the configuration folder: "));
        Files.writeString(routes.resolve("local-hello.camel.yaml"), """
                - route:
                    id: local-hello
                    from:
                      uri: timer:local-hello?repeatCount=1
                      steps:
                        - log: "A route of the configuration folder's own"
                """);
        Files.writeString(configDir.resolve("application.properties"),
                "graph.legacy-alerts.poll.cron = 7/30 * * * * ?\n");
        Path log = logs.resolve("app.log");
        app = RunnableJar.start(workingDir, demoOnFreePorts(), Map.of("GRAPH_CONFIG_DIR", configDir.toString()), log);

        String out = awaitLog(log, "Ticket from the configuration folder: ");
        assertThat(out).contains("Configuration folder " + configDir.toRealPath())
                .contains("A route of the configuration folder's own")
                .contains("legacy-alerts-poll (cron=7/30 * * * * ?")
                .doesNotContain("Ticket: ");
        assertThat(out.lines().filter(l -> l.contains(" ERROR "))).as("errors").isEmpty();
    }

    @Test
    void in_the_demo_a_route_file_saved_in_the_configuration_folder_is_reloaded_while_the_app_runs() throws Exception {
        Path routes = Files.createDirectories(configDir.resolve("routes"));
        Path route = routes.resolve("local-heartbeat.camel.yaml");
        Files.writeString(route, heartbeat("first version"));
        Path log = logs.resolve("app.log");
        app = RunnableJar.start(workingDir, demoOnFreePorts(), Map.of("GRAPH_CONFIG_DIR", configDir.toString()), log);
        awaitLog(log, "Heartbeat: first version");
        awaitLog(log, POLL_SUMMARY);

        Files.writeString(route, heartbeat("second version"));
        String out = awaitLog(log, "Heartbeat: second version");
        long pollsBefore = out.lines().filter(l -> l.contains(POLL_SUMMARY)).count();
        // The packaged routes kept running: the next poll summary comes after the reload.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(
                () -> Files.readString(log).lines().filter(l -> l.contains(POLL_SUMMARY)).count() > pollsBefore || !app.isAlive());
        String after = Files.readString(log);
        String tail = after.substring(after.indexOf("Heartbeat: second version"));
        assertThat(tail).as("the first version stopped").doesNotContain("Heartbeat: first version");
        assertThat(after.lines().filter(l -> l.contains(" ERROR "))).as("errors").isEmpty();
    }

    /** A route of the configuration folder's own that logs {@code text} every second. */
    private static String heartbeat(String text) {
        return """
                - route:
                    id: local-heartbeat
                    from:
                      uri: timer:local-heartbeat?period=1000
                      steps:
                        - log: "Heartbeat: %s"
                """.formatted(text);
    }

    @Test
    void a_templates_folder_the_configuration_folder_names_but_lacks_stops_the_start_in_one_line() throws Exception {
        Files.writeString(configDir.resolve("application.properties"),
                "graph.tickets.templates = routes/our-ticket-templates\n");
        Path log = logs.resolve("app.log");
        app = RunnableJar.start(workingDir, demoOnFreePorts(), Map.of("GRAPH_CONFIG_DIR", configDir.toString()), log);

        assertThat(app.waitFor(120, TimeUnit.SECONDS)).as("the app ends").isTrue();
        String out = Files.readString(log);
        assertThat(app.exitValue()).as("exit code; output:%n%s", out).isNotZero();
        List<String> errors = out.lines().filter(l -> l.contains(" ERROR ")).toList();
        assertThat(errors).as("output:%n%s", out).hasSize(1);
        assertThat(errors.get(0)).contains("graph.tickets.templates=routes/our-ticket-templates: servicenow-create.json.mustache,",
                "found neither in the configuration folder nor in the jar", "or set graph.tickets.templates");
        assertThat(out).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception in thread");
    }

    /** The demo profile, on ports nobody else uses (the rest as the README's first command has it). */
    private static Map<String, String> demoOnFreePorts() throws IOException {
        Map<String, String> props = new HashMap<>();
        props.put("camel.main.profile", "demo");
        props.put("graph.simulator.port", String.valueOf(RunningApp.freePort()));
        props.put("graph.broker.embedded.port", String.valueOf(RunningApp.freePort()));
        props.put("camel.server.port", String.valueOf(RunningApp.freePort()));
        props.put("camel.management.port", String.valueOf(RunningApp.freePort()));
        return props;
    }

    /** The output once it holds {@code text}; a start that fails ends the wait at once, its output in the message. */
    private String awaitLog(Path log, String text) throws IOException {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> Files.readString(log).contains(text) || !app.isAlive());
        String out = Files.readString(log);
        assertThat(out).as("output of the app (%s)", app.isAlive() ? "running" : "ended").contains(text);
        return out;
    }
}
