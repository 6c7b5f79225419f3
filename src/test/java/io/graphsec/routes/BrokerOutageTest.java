package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.graphsec.routes.broker.EmbeddedBroker;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An external broker (here an Artemis the test runs, over TCP) stops while alerts keep coming and
 * comes back: polls fail meanwhile without moving the watermark, and afterwards every alert is in
 * its queue exactly once.
 */
class BrokerOutageTest {

    private static final Duration OVERLAP = Duration.ofSeconds(20);
    private static final int OUTAGE_SECONDS = Integer.getInteger("outage.seconds", 8);

    @TempDir
    Path dir;

    @Test
    void alerts_polled_while_the_broker_is_down_are_delivered_once_after_it_returns_and_quiet_polls_go_on_without_it() throws Exception {
        int brokerPort = RunningApp.freePort();
        Path brokerData = dir.resolve("external-broker");
        EmbeddedBroker broker = new EmbeddedBroker(brokerData, "127.0.0.1", brokerPort, "external", -1, RunningApp.brokerCredentials());
        broker.start();
        try (SimulatedTenant tenant = new SimulatedTenant(dir)) {
            tenant.addAlerts(10);
            // Once the watermark is an overlap past the alerts' stamps, a poll reads an empty page.
            Instant quiet = Instant.now().plus(OVERLAP);
            Map<String, String> props = new HashMap<>(RunningApp.defaults(dir.resolve("app"), RunningApp.freePort()));
            props.putAll(tenant.appProperties());
            props.put("graph.broker.embedded.enabled", "false");
            props.put("graph.jms.url", "tcp://127.0.0.1:" + brokerPort);
            props.put("graph.jms.user", RunningApp.BROKER_USER);
            props.put("graph.jms.password", RunningApp.BROKER_PASSWORD);
            // The delivered alerts leave the re-read overlap within seconds, so the polls after them read empty
            // pages; it still covers the 15 added later, stamped up to 15 s before they appear.
            props.put("graph.alerts.overlap", OVERLAP.toString());
            try (RunningApp app = RunningApp.start(props)) {
                Map<String, List<Received>> got;
                try (Queues queues = new Queues(brokerPort)) {
                    got = AlertsToQueuesTest.collectUntil(queues, 10);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> watermark().isAfter(quiet));
                Instant delivered = watermark();
                broker.stop();
                // A quiet poll (an empty page) sends nothing, so it opens no JMS transaction and needs no broker.
                await().atMost(Duration.ofSeconds(20)).until(() -> watermark().isAfter(delivered));
                tenant.addAlerts(15);
                int requests = tenant.simulator.graphRequests();
                // Three requests later, every poll that began before the alerts were added has ended.
                await().atMost(Duration.ofSeconds(20)).until(() -> tenant.simulator.graphRequests() >= requests + 3);
                Instant before = watermark();
                // The outage itself (its length is the fault), not a wait for an event.
                Thread.sleep(Duration.ofSeconds(OUTAGE_SECONDS).toMillis());
                assertThat(watermark()).as("no window moves while nothing can be delivered").isEqualTo(before);

                broker = new EmbeddedBroker(brokerData, "127.0.0.1", brokerPort, "external", -1, RunningApp.brokerCredentials());
                broker.start();
                try (Queues queues = new Queues(brokerPort)) {
                    AlertsToQueuesTest.merge(got, AlertsToQueuesTest.collectUntil(queues, 15));
                    int after = tenant.simulator.graphRequests();
                    await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphRequests() >= after + 3);
                    AlertsToQueuesTest.merge(got, queues.drainAll(Queues.SEVERITY_QUEUES));
                }
                List<String> ids = got.values().stream().flatMap(List::stream).map(m -> m.property("graphAlertId")).toList();
                assertThat(ids).hasSize(25).doesNotHaveDuplicates();
                assertThat(watermark()).isAfter(before);
            }
        } finally {
            broker.stop();
        }
    }

    private Instant watermark() throws Exception {
        return Instant.parse(Files.readString(dir.resolve("app/state/alerts_v2.watermark")).trim());
    }
}
