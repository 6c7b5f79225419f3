package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.graph.PageReadAhead;
import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.simulator.SeenRequest;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request to Graph leaves through one flow, routes/1-call-graph.camel.yaml. The test edits a
 * copy of routes/ in one place, as an operator would to add a header a proxy wants, and runs a
 * scenario that makes every kind of Graph request the app makes: list polls (read ahead too), an
 * incident read for an alert's context, a ticket's comment, feedback's read, PATCH and comment,
 * hunting and secure score. Each request Graph received carries the edit; none carries a header of
 * the app's own messages.
 */
class OneGraphCallFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "X-Graph-Proxy-Mark";
    private static final String QUERY = "SigninLogs | project Timestamp, AccountUpn";

    @TempDir
    Path dir;

    @Test
    void one_edit_of_the_graph_call_flow_reaches_every_kind_of_graph_request() throws Exception {
        Path routes = editedRoutes();
        Path hunts = Files.createDirectories(dir.resolve("hunts"));
        Files.writeString(hunts.resolve("sign-ins.kql"), "// name: Sign-ins\n// schedule: * * * * * ?\n// severity: low\n"
                + "// timespan: P1D\n" + QUERY + "\n");
        try (SimulatedTenant tenant = new SimulatedTenant(dir, "SecurityAlert.ReadWrite.All", "SecurityIncident.ReadWrite.All",
                "ThreatHunting.Read.All", "SecurityEvents.Read.All");
             FakeTicketing tickets = new FakeTicketing(0).acceptBasic("graph", "sn-pass").start()) {
            List<ObjectNode> inIncident = tenant.addIncident("high", "medium");
            tenant.addAlerts(5);
            tenant.huntingResults(q -> q.equals(QUERY)
                    ? List.of(JSON.createObjectNode().put("Timestamp", Instant.now().toString()).put("AccountUpn", "eve@contoso.com"))
                    : List.of());
            int brokerPort = RunningApp.freePort();
            Map<String, String> props = RunningApp.workQueuesLeftForTheTest(RunningApp.against(tenant, dir.resolve("app"), brokerPort));
            props.put("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml");
            props.put("graph.alerts.page-size", "2");
            // Incidents known only by look-up (their own poll does not run): each alert's incident is read.
            props.put("graph.incidents.enabled", "true");
            props.put("graph.incidents.poll.cron", "0 0 0 1 1 ? 2099");
            props.put("graph.hunting.enabled", "true");
            props.put("graph.hunting.tick", "* * * * * ?");
            props.put("graph.hunting.dir", hunts.toString());
            props.put("graph.secure-score.enabled", "true");
            props.put("graph.secure-score.cron", "0/1 * * * * ?");
            props.put("graph.tickets.system", "servicenow");
            props.put("graph.tickets.source", "jms:queue:graph.tickets?transacted=true&disableReplyTo=true&mapJmsMessage=false");
            props.put("graph.tickets.servicenow.url", tickets.baseUrl());
            props.put("graph.tickets.servicenow.user", "graph");
            props.put("graph.tickets.servicenow.password", "sn-pass");

            String alertId = inIncident.get(0).get("id").asText();
            try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kinds(tenant)).contains(
                        "GET alerts_v2", "GET incidents/{id}", "POST alerts_v2/{id}/comments", "POST runHuntingQuery",
                        "GET secureScores", "GET secureScoreControlProfiles"));
                queues.send("graph.feedback", JSON.createObjectNode().put("alertId", alertId).put("status", "resolved")
                        .put("comment", "Closed after review").put("requestedBy", "analyst").toString());
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(kinds(tenant)).contains("PATCH alerts_v2/{id}"));
                assertThat(app.context().getRegistry().lookupByNameAndType("graphPageReadAhead", PageReadAhead.class).used())
                        .as("pages read ahead went through the flow too").isPositive();
            }

            List<SeenRequest> graphRequests = tenant.simulator.requestsSeen().stream()
                    .filter(r -> !r.rawPath().endsWith("/oauth2/v2.0/token")).toList();
            assertThat(kinds(tenant)).as("every kind of Graph request the app makes").containsExactlyInAnyOrder(
                    "GET alerts_v2", "GET incidents/{id}", "GET alerts_v2/{id}", "PATCH alerts_v2/{id}",
                    "POST alerts_v2/{id}/comments", "POST runHuntingQuery", "GET secureScores", "GET secureScoreControlProfiles");
            assertThat(graphRequests).as("each carries the one edit").hasSizeGreaterThan(8)
                    .extracting(r -> r.method() + " " + r.rawPath() + ": " + MARK + "=" + header(r, MARK))
                    .allSatisfy(r -> assertThat(r).endsWith("=edited-once"));
            assertThat(graphRequests).as("and the app's Prefer, token and nothing of its messages' headers")
                    .allSatisfy(r -> {
                        assertThat(header(r, "Prefer")).isEqualTo("include-unknown-enum-members");
                        assertThat(header(r, "Authorization")).startsWith("Bearer ");
                        assertThat(r.headers().keySet()).noneMatch(k -> k.toLowerCase().startsWith("graph")
                                || k.toLowerCase().startsWith("jms") || k.toLowerCase().startsWith("camel"));
                    });
        }
    }

    /** A copy of routes/ where the Graph call flow sets one header more, just before the request leaves. */
    private Path editedRoutes() throws Exception {
        Path copy = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path flow = copy.resolve("1-call-graph.camel.yaml");
        String yaml = Files.readString(flow);
        String send = "        - to:\n            id: graph-request\n";
        String edited = yaml.replace(send, "        - setHeader:\n            name: " + MARK + "\n            expression:\n"
                + "              constant: edited-once\n" + send);
        assertThat(edited).as("the flow's send step found").isNotEqualTo(yaml);
        Files.writeString(flow, edited);
        return copy;
    }

    /** What Graph was asked, by method and resource (ids replaced). */
    private static Set<String> kinds(SimulatedTenant tenant) {
        Set<String> kinds = new TreeSet<>();
        for (SeenRequest r : tenant.simulator.requestsSeen()) {
            if (!r.rawPath().endsWith("/oauth2/v2.0/token")) {
                String path = r.rawPath().replaceFirst("^/v1\\.0/security/", "")
                        .replaceAll("^(alerts_v2|incidents)/[^/]+", "$1/{id}");
                kinds.add(r.method() + " " + path);
            }
        }
        return kinds;
    }

    private static String header(SeenRequest r, String name) {
        return r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }
}
