package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collections a user adds in properties alone: one with a watermark field, read incrementally, and
 * one without (a snapshot, read whole each time), both through the alerts' poller, split and stores.
 */
class OtherCollectionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void a_watermarked_and_a_snapshot_collection_deliver_each_version_once() throws Exception {
        try (SimulatedTenant tenant = new SimulatedTenant(dir, "SecurityAlert.Read.All", "SecurityEvents.ReadWrite.All")) {
            List<com.fasterxml.jackson.databind.node.ObjectNode> legacy = tenant.addLegacyAlerts(10);
            int profiles = tenant.secureScores().profiles().size();
            int brokerPort = RunningApp.freePort();
            Map<String, String> props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
            props.put("graph.collections.old-alerts.path", "/v1.0/security/alerts");
            props.put("graph.collections.old-alerts.watermark-field", "lastModifiedDateTime");
            props.put("graph.collections.old-alerts.cron", "0/1 * * * * ?");
            props.put("graph.collections.old-alerts.destination", "jms:queue:soc.old-alerts");
            props.put("graph.collections.controls.path", "/v1.0/security/secureScoreControlProfiles");
            props.put("graph.collections.controls.cron", "0/1 * * * * ?");
            props.put("graph.collections.controls.page-size", "10");
            props.put("graph.collections.controls.destination", "jms:queue:soc.controls");

            try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
                List<Received> old = queues.collect("soc.old-alerts", 10);
                List<Received> controls = queues.collect("soc.controls", profiles);
                int gets = tenant.simulator.graphRequests("GET");
                await().atMost(Duration.ofSeconds(15)).until(() -> tenant.simulator.graphRequests("GET") >= gets + 8);
                old.addAll(queues.drain("soc.old-alerts"));
                controls.addAll(queues.drain("soc.controls"));
                assertThat(old).hasSize(10).allMatch(m -> "old-alerts".equals(m.property("graphEntityType")));
                assertThat(old).extracting(m -> JSON.readTree(m.body()).get("id").asText())
                        .containsExactlyInAnyOrderElementsOf(legacy.stream().map(a -> a.get("id").asText()).toList());
                assertThat(controls).as("every page of the snapshot, once").hasSize(profiles)
                        .extracting(m -> m.property("graphItemId")).doesNotHaveDuplicates();

                String changed = tenant.secureScores().profiles().get(2).get("id").asText();
                tenant.secureScores().setState(changed, "Ignored", "ann@contoso.com", "accepted risk", "ann@contoso.com");
                String oldId = legacy.get(0).get("id").asText();
                tenant.simulator.legacyAlerts(SimulatedTenant.TENANT).update(oldId, "lastModifiedDateTime",
                        a -> a.put("status", "resolved"));
                assertThat(queues.collect("soc.controls", 1)).singleElement()
                        .satisfies(m -> assertThat(m.property("graphItemId")).isEqualTo(changed));
                assertThat(queues.collect("soc.old-alerts", 1)).singleElement()
                        .satisfies(m -> assertThat(JSON.readTree(m.body()).get("status").asText()).isEqualTo("resolved"));
            }
        }
    }
}
