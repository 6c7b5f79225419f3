package io.graphsec.routes;

import static io.graphsec.routes.ReplayTest.drainUntil;
import static io.graphsec.routes.ReplayTest.flatten;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import io.graphsec.routes.config.ConfigFolder;
import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.support.LoopbackSmtp;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * replay --dry-run against the running app, over real sockets: a routing change tried on the range
 * the live poll delivered, compared with the deployed routing, sends nothing; its counts are what
 * the same change then delivers.
 */
class DryRunTest extends AgainstSimulatedTenant {

    static final List<String> ALL_QUEUES = List.of("graph.alerts.high", "graph.alerts.medium", "graph.alerts.low",
            "graph.alerts.informational", "graph.alerts.triage", "graph.alerts.dead-letter", "graph.tickets",
            "graph.mail", "graph.mail.digest");
    static final Pattern COUNT_LINE = Pattern.compile("^\\s+(\\d+) (?:would go to|sent to) (\\S+) ", Pattern.MULTILINE);

    /** A ticket opened for real is commented on the alert in Graph. */
    @Override
    protected String[] roles() {
        return new String[] {"SecurityAlert.ReadWrite.All"};
    }

    @Test
    void a_dry_run_of_a_rerouted_severity_sends_nothing_and_counts_what_the_change_then_delivers() throws Exception {
        RunningApp.workQueuesLeftForTheTest(props);
        props.put("graph.alerts.page-size", "40");
        tenant.addAlerts(50);
        Instant to = Instant.now().plusSeconds(1);
        String[] range = {"--from", to.minus(Duration.ofHours(1)).toString(), "--to", to.toString()};
        Path deployed = Files.createDirectories(dir.resolve("deployed"));
        Path changed = Files.createDirectories(dir.resolve("changed/routes"));
        // The change under test: medium alerts go to the high queue.
        Files.writeString(changed.resolve("4-route-by-severity.camel.yaml"),
                Files.readString(Path.of("routes/4-route-by-severity.camel.yaml"))
                        .replace("id: to-medium\n                        uri: \"{{medium}}\"",
                                "id: to-medium\n                        uri: \"{{high}}\""));
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            drainUntil(queues, Queues.SEVERITY_QUEUES, 50);
            app.context().getRouteController().stopRoute("graph-alerts-poll");
            queues.leftAfterCompletion(ALL_QUEUES);
            int requests = tenant.simulator.requestsSeen().size();

            String out = run(null, "--dry-run", range[0], range[1], range[2], range[3],
                    "--compare", deployed.toString(), changed.getParent().toString());

            assertThat(flatten(queues.leftAfterCompletion(ALL_QUEUES))).as("nothing in any queue").isEmpty();
            assertThat(tenant.simulator.requestsSeen().subList(requests, tenant.simulator.requestsSeen().size()))
                    .filteredOn(r -> r.rawPath().startsWith("/v1.0/") || r.rawPath().startsWith("/beta/"))
                    .as("Graph was only read (the token endpoint aside)").isNotEmpty()
                    .allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));
            String[] parts = out.split("Configuration ");
            Map<String, Long> before = counts(parts[1]);
            Map<String, Long> after = counts(parts[2].split("Difference")[0]);
            assertThat(before).containsEntry("jms:queue:graph.alerts.medium", 10L).containsEntry("jms:queue:graph.alerts.high", 10L)
                    .containsEntry("jms:queue:graph.tickets", 20L).containsEntry("jms:queue:graph.mail", 10L);
            assertThat(after).doesNotContainKey("jms:queue:graph.alerts.medium").containsEntry("jms:queue:graph.alerts.high", 20L)
                    .containsEntry("jms:queue:graph.tickets", 20L);
            assertThat(out).containsPattern("jms:queue:graph.alerts.medium +10 -> +0 \\(-10\\)")
                    .containsPattern("jms:queue:graph.alerts.high +10 -> +20 \\(\\+10\\)")
                    .containsPattern("e\\.g\\. \\S+: jms:queue:graph.alerts.medium -> jms:queue:graph.alerts.high");

            // The change deployed for real (the same command without --dry-run): what the dry run printed arrives.
            String real = run(changed.getParent(), range);
            Map<String, List<Received>> delivered = queues.leftAfterCompletion(ALL_QUEUES);
            Map<String, Long> arrived = delivered.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                    .collect(Collectors.toMap(e -> "jms:queue:" + e.getKey(), e -> (long) e.getValue().size()));
            assertThat(arrived).isEqualTo(after);
            assertThat(counts(real)).isEqualTo(after);
            assertThat(flatten(delivered)).allSatisfy(m -> assertThat(m.property("graphReplay")).isEqualTo("true"));
        }
    }

    @Test
    void a_dry_run_beside_live_ticketing_and_mail_opens_no_ticket_and_sends_no_mail_and_a_real_run_then_does() throws Exception {
        int smtpPort = RunningApp.freePort();
        GreenMail smtp = LoopbackSmtp.on(smtpPort);
        smtp.start();
        try (FakeTicketing ticketing = new FakeTicketing(0).acceptBasic("graph", "sn-pass").start()) {
            // The live poll stays out: every ticket and mail of this test can only come from the replay.
            props.put("graph.alerts.poll.cron", "0 0 0 1 1 ? 2099");
            props.put("graph.tickets.system", "servicenow");
            props.put("graph.tickets.servicenow.url", ticketing.baseUrl());
            props.put("graph.tickets.servicenow.user", "graph");
            props.put("graph.tickets.servicenow.password", "sn-pass");
            props.put("graph.mail.smtp.host", "127.0.0.1");
            props.put("graph.mail.smtp.port", String.valueOf(smtpPort));
            props.put("graph.mail.smtp.security", "none");
            props.put("graph.mail.to.high", "soc@example.org");
            List<ObjectNode> alerts = tenant.addAlerts(20);
            Instant to = Instant.now().plusSeconds(1);
            String[] range = {"--from", to.minus(Duration.ofHours(1)).toString(), "--to", to.toString()};
            try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
                int requests = tenant.simulator.requestsSeen().size();

                Map<String, Long> wouldGo = counts(run(null, "--dry-run", range[0], range[1], range[2], range[3]));

                assertThat(wouldGo).containsEntry("jms:queue:graph.tickets", 8L).containsEntry("jms:queue:graph.mail", 4L);
                // The live app consumes the ticket and mail queues: whatever reached them would become a request or a mail.
                await("no ticketing request and no mail for 3 s after the dry run")
                        .during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                        .until(() -> ticketing.requests().isEmpty() && smtp.getReceivedMessages().length == 0);
                assertThat(ticketing.requests()).as("requests to ticketing").isEmpty();
                assertThat(smtp.getReceivedMessages()).as("mails").isEmpty();
                assertThat(flatten(queues.leftAfterCompletion(ALL_QUEUES))).as("nothing in any queue").isEmpty();
                assertThat(tenant.simulator.requestsSeen().subList(requests, tenant.simulator.requestsSeen().size()))
                        .filteredOn(r -> r.rawPath().startsWith("/v1.0/") || r.rawPath().startsWith("/beta/"))
                        .as("Graph was only read (the token endpoint aside)").isNotEmpty()
                        .allSatisfy(r -> assertThat(r.method()).isEqualTo("GET"));

                // The same range for real: the live app opens the tickets and sends the mails the dry run counted.
                assertThat(counts(run(null, range))).isEqualTo(wouldGo);
                List<String> incidents = alerts.stream().filter(a -> List.of("high", "medium").contains(a.get("severity").asText()))
                        .map(a -> "graph:" + SimulatedTenant.TENANT + ":" + a.get("incidentId").asText())
                        .distinct().toList();
                await().atMost(Duration.ofSeconds(60)).until(() -> ticketing.serviceNowIncidents().size() >= incidents.size()
                        && smtp.getReceivedMessages().length >= 4);
                assertThat(ticketing.serviceNowIncidents()).extracting(t -> t.get("correlation_id").asText())
                        .containsExactlyInAnyOrderElementsOf(incidents);
                assertThat(smtp.getReceivedMessages()).hasSize(4);
                assertThat(queues.leftAfterCompletion(List.of("graph.tickets.dead-letter", "graph.mail.dead-letter"))
                        .values()).allSatisfy(dead -> assertThat(dead).isEmpty());
            }
        } finally {
            smtp.stop();
        }
    }

    private String run(Path configDir, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String before = System.getProperty(ConfigFolder.KEY);
        if (configDir != null) {
            System.setProperty(ConfigFolder.KEY, configDir.toString());
        }
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            int code = ReplayCommand.run(List.of(args), props, out);
            assertThat(code).as(bytes.toString(StandardCharsets.UTF_8)).isZero();
        } finally {
            if (before == null) {
                System.clearProperty(ConfigFolder.KEY);
            } else {
                System.setProperty(ConfigFolder.KEY, before);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Long> counts(String printed) {
        Map<String, Long> counts = new TreeMap<>();
        Matcher m = COUNT_LINE.matcher(printed);
        while (m.find()) {
            counts.put(m.group(2), Long.parseLong(m.group(1)));
        }
        return counts;
    }
}
