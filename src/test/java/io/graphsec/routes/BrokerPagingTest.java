package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A backlog larger than the embedded broker may keep in memory: the broker pages it to disk (the
 * heap stays flat) and every alert is still delivered once, persistent, with its duplicate id.
 */
class BrokerPagingTest extends AgainstSimulatedTenant {

    @Test
    void a_backlog_past_the_brokers_memory_limit_is_paged_to_disk_and_delivered_once() throws Exception {
        tenant.addAlerts(600);
        props.put("graph.broker.embedded.global-max-size", String.valueOf(256 * 1024));
        props.put("graph.alerts.page-size", "200");
        try (RunningApp app = RunningApp.start(props)) {
            // No consumer yet: the whole backlog waits in the broker, most of it on disk.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> Files.exists(dir.resolve("app/state/alerts_v2.watermark")));
            try (Stream<java.nio.file.Path> paged = Files.walk(dir.resolve("app/broker/paging"))) {
                assertThat(paged.filter(p -> p.toString().endsWith(".page")).count()).as("page files").isPositive();
            }
            try (Queues queues = new Queues(brokerPort)) {
                Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 600);
                List<Received> all = got.values().stream().flatMap(List::stream).toList();
                assertThat(all).hasSize(600).extracting(m -> m.property("graphAlertId")).doesNotHaveDuplicates();
            }
        }
    }
}
