package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.AgainstSimulatedTenant;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The legacy /security/alerts API through the same poller and routing as alerts_v2: its own
 * version field, an extra $filter, its $skip limit respected by smaller windows, its statuses.
 */
class LegacyAlertsTest extends AgainstSimulatedTenant {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SEVERITIES = List.of("high", "medium", "low", "informational", "unknown");

    @Override
    protected String[] roles() {
        return new String[] {"SecurityAlert.Read.All", "SecurityEvents.Read.All"};
    }

    @BeforeEach
    void setUp() throws Exception {
        props.put("graph.legacy-alerts.enabled", "true");
        props.put("graph.legacy-alerts.poll.cron", "0/1 * * * * ?");
    }

    @Test
    void legacy_alerts_take_the_alerts_routing_and_the_deep_skip_limit_is_never_crossed() throws Exception {
        props.put("graph.legacy-alerts.page-size", "100");
        List<ObjectNode> alerts = addLegacy(700);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 700);
            List<Received> all = got.values().stream().flatMap(List::stream).toList();
            assertThat(all).hasSize(700);
            assertThat(all).extracting(m -> m.property("graphAlertId")).doesNotHaveDuplicates();
            assertThat(all).allMatch(m -> "legacy".equals(m.property("graphApi")));
            Map<String, Long> bySeverity = alerts.stream().collect(Collectors.groupingBy(
                    a -> AlertsToQueuesTest.queueFor(a.get("severity").asText()), Collectors.counting()));
            bySeverity.forEach((q, n) -> assertThat(got.get(q)).as(q).hasSize(n.intValue()));
            Received one = got.get("graph.alerts.high").get(0);
            assertThat(one.property("graphServiceSource")).isEqualTo("IPC");
            assertThat(one.property("graphPortalUrl")).startsWith("https://portal.cloudappsecurity.com/");
            assertThat(JSON.readTree(one.body()).has("vendorInformation")).as("the legacy body as Graph sent it").isTrue();
        }
    }

    @Test
    void a_filter_narrows_the_poll_and_a_resolved_legacy_alert_is_a_resolved_event() throws Exception {
        props.put("graph.legacy-alerts.filter", "severity eq 'high'");
        List<ObjectNode> alerts = addLegacy(10);
        long highs = alerts.stream().filter(a -> "high".equals(a.get("severity").asText())).count();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, (int) highs);
            assertThat(got.values().stream().mapToInt(List::size).sum()).isEqualTo((int) highs);
            assertThat(got.entrySet()).filteredOn(e -> !e.getValue().isEmpty()).extracting(Map.Entry::getKey)
                    .containsOnly("graph.alerts.high");

            String id = got.get("graph.alerts.high").get(0).property("graphAlertId");
            tenant.simulator.legacyAlerts(SimulatedTenant.TENANT).update(id, "lastModifiedDateTime",
                    a -> a.put("status", "resolved"));
            Received resolved = AlertsToQueuesTest.collectUntil(queues, 1).get("graph.alerts.high").get(0);
            assertThat(resolved.property("graphAlertId")).isEqualTo(id);
            assertThat(resolved.property("graphEventType")).isEqualTo("resolved");
            assertThat(resolved.property("graphPreviousStatus")).isEqualTo("newAlert");
        }
    }

    @Test
    void a_provider_failing_delivers_the_rest_and_its_alerts_come_when_it_is_back() throws Exception {
        List<ObjectNode> alerts = addLegacy(12);
        alerts.subList(0, 4).forEach(a -> a.with("vendorInformation").put("provider", "MCAS"));
        tenant.simulator.legacyAlerts(SimulatedTenant.TENANT).putAll(alerts);
        tenant.simulator.legacyProviderFailure(true);
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            Map<String, List<Received>> got = AlertsToQueuesTest.collectUntil(queues, 8);
            await().atMost(Duration.ofSeconds(10)).until(() -> tenant.simulator.graphRequests("GET") >= 4);
            AlertsToQueuesTest.merge(got, queues.drainAll(Queues.SEVERITY_QUEUES));
            assertThat(AlertsToQueuesTest.total(got)).as("the other provider's alerts, once").isEqualTo(8);
            assertThat(java.nio.file.Files.exists(dir.resolve("app/state/legacy_alerts.watermark")))
                    .as("a 206 keeps the watermark").isFalse();

            tenant.simulator.legacyProviderFailure(false);
            AlertsToQueuesTest.merge(got, AlertsToQueuesTest.collectUntil(queues, 4));
            List<Received> all = got.values().stream().flatMap(List::stream).toList();
            assertThat(all).hasSize(12).extracting(m -> m.property("graphAlertId")).doesNotHaveDuplicates();
        }
    }

    private List<ObjectNode> addLegacy(int count) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<ObjectNode> alerts = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String stamp = now.minusMillis(1000L * (count - i)).toString();
            ObjectNode a = JSON.createObjectNode().put("id", String.format("%064X", i + 1))
                    .put("status", "newAlert").put("severity", SEVERITIES.get(i % SEVERITIES.size()))
                    .put("azureTenantId", SimulatedTenant.TENANT).put("createdDateTime", stamp)
                    .put("lastModifiedDateTime", stamp).put("title", "Impossible travel activity " + i);
            a.putObject("vendorInformation").put("provider", "IPC").put("vendor", "Microsoft");
            a.putArray("sourceMaterials").add("https://portal.cloudappsecurity.com/#/alerts/" + i);
            a.putArray("userStates").addObject().put("userPrincipalName", "user" + i + "@contoso.com");
            alerts.add(a);
        }
        tenant.simulator.legacyAlerts(SimulatedTenant.TENANT).putAll(alerts);
        return alerts;
    }
}
