package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertTemplates.Ev;
import io.graphsec.routes.simulator.AlertTemplates.Template;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Generates realistic {@code microsoft.graph.security.alert} (alerts_v2) JSON, deterministic for a given seed.
 *
 * <p>Every property of the v1.0 entity is emitted, including the CSDL-only ones, because a client that only ever sees
 * the docs' shortened examples would not notice it chokes on the real thing. Serialised alerts are 3-5 KB, like
 * Defender's. Values come from {@code graph-security-api.md} §1 and Appendix A (CSDL member names, evidence subtypes).
 *
 * <p>All randomness comes from one {@link Random} seeded in the constructor; methods are synchronized so concurrent
 * callers cannot corrupt it (the sequence is then deterministic per call order only).
 */
public final class AlertFactory {

    /** alertSeverity members in CSDL order, without unknownFutureValue. */
    public static final List<String> SEVERITIES = List.of("unknown", "informational", "low", "medium", "high");

    /** serviceSource members declared after unknownFutureValue in the v1.0 CSDL (sent only with Prefer: include-unknown-enum-members). */
    public static final Set<String> EVOLVABLE_SERVICE_SOURCES = Set.of(
            "microsoftDefenderForCloud", "microsoftSentinel", "microsoftInsiderRiskManagement",
            "microsoftThreatIntelligence", "microsoftSecurityForAI");

    /** detectionSource members declared after unknownFutureValue in the v1.0 CSDL. */
    public static final Set<String> EVOLVABLE_DETECTION_SOURCES = Set.of(
            "microsoftDefenderForCloud", "microsoftDefenderForIoT", "microsoftDefenderForServers",
            "microsoftDefenderForStorage", "microsoftDefenderForDNS", "microsoftDefenderForDatabases",
            "microsoftDefenderForContainers", "microsoftDefenderForNetwork", "microsoftDefenderForAppService",
            "microsoftDefenderForKeyVault", "microsoftDefenderForResourceManager", "microsoftDefenderForApiManagement",
            "nrtAlerts", "scheduledAlerts", "microsoftDefenderThreatIntelligenceAnalytics", "builtInMl",
            "microsoftInsiderRiskManagement", "microsoftThreatIntelligence", "microsoftDefenderForAIServices",
            "securityCopilot", "microsoftSentinel");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String PORTAL = "https://security.microsoft.com";
    private static final String[] INVESTIGATION_STATES = {"unsupportedAlertType", "unsupportedAlertType", "queued",
            "running", "pendingApproval", "pendingResource", "unknown"};

    // ------------------------------------------------------------------ state

    private final Random random;
    private final String tenantId;
    private final SeededDraws draws;
    private final AlertEvidence evidence;

    public AlertFactory(long seed, String tenantId) {
        this.random = new Random(seed);
        this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
        this.draws = new SeededDraws(random);
        this.evidence = new AlertEvidence(random, draws);
    }

    /**
     * A new alert created at {@code created} (createdDateTime = lastUpdateDateTime = created, first/lastActivity a bit
     * before), with the given severity (a wire value like "high", "informational", "unknown") and incidentId. Status "new".
     */
    public synchronized ObjectNode newAlert(Instant created, String severity, String incidentId) {
        Objects.requireNonNull(created, "created");
        if (!SEVERITIES.contains(severity) && !"unknownFutureValue".equals(severity)) {
            throw new IllegalArgumentException("not an alertSeverity member: " + severity);
        }
        return build(created, severity, incidentId);
    }

    /** Same, with a severity drawn from a realistic mix covering every alertSeverity member. */
    public synchronized ObjectNode newAlert(Instant created, String incidentId) {
        Objects.requireNonNull(created, "created");
        return build(created, randomSeverity(), incidentId);
    }

    private String randomSeverity() {
        int r = random.nextInt(100);
        if (r < 15) return "high";
        if (r < 50) return "medium";
        if (r < 75) return "low";
        if (r < 95) return "informational";
        return "unknown";
    }

    // ------------------------------------------------------------------ alert

    private ObjectNode build(Instant created, String severity, String incidentId) {
        // About 1 alert in 8 comes from a product whose enum members postdate unknownFutureValue.
        Template t = random.nextInt(8) == 0
                ? draws.pick(AlertTemplates.EVOLVABLE_TEMPLATES) : draws.pick(AlertTemplates.TEMPLATES);
        AlertScene scene = AlertScene.draw(draws);
        String id = t.idPrefix() + AlertEvidence.ticks(created) + "_" + random.nextInt();
        Instant firstActivity = created.minus(Duration.ofMillis(60_000L + random.nextInt(3 * 3_600_000)));
        Instant lastActivity = created.minus(Duration.ofMillis(5_000L + random.nextInt(600_000)));
        if (lastActivity.isBefore(firstActivity)) {
            lastActivity = firstActivity;
        }

        ObjectNode a = JSON.objectNode();
        a.put("@odata.type", "#microsoft.graph.security.alert");
        a.put("id", id);
        a.put("providerAlertId", id);
        a.put("incidentId", incidentId);
        a.put("status", "new");
        a.put("severity", severity);
        a.putNull("classification");
        a.putNull("determination");
        a.put("serviceSource", t.serviceSource());
        a.put("detectionSource", draws.pick(t.detectionSources()));
        a.put("productName", t.productName());
        a.put("detectorId", t.detectorId());
        a.put("tenantId", tenantId);
        a.put("title", t.title());
        a.put("description", t.description());
        a.put("recommendedActions", t.actions());
        a.put("category", t.category()); // deprecated, still sent alongside categories
        a.set("categories", JSON.arrayNode().add(t.category()));
        a.putNull("assignedTo");
        a.put("alertWebUrl", PORTAL + "/alerts/" + id + "?tid=" + tenantId);
        a.put("incidentWebUrl", incidentId == null ? null : PORTAL + "/incidents/" + incidentId + "?tid=" + tenantId);
        a.put("actorDisplayName", t.actor());
        a.put("threatDisplayName", t.threatDisplayName());
        a.put("threatFamilyName", t.threatFamilyName());
        a.put("alertPolicyId", policyBased(t) ? draws.uuid() : null);
        a.put("investigationState", t.serviceSource().equals("microsoftDefenderForEndpoint")
                ? draws.pick(INVESTIGATION_STATES) : "unsupportedAlertType");
        ArrayNode mitre = JSON.arrayNode();
        t.mitre().forEach(mitre::add);
        a.set("mitreTechniques", mitre);
        a.put("createdDateTime", AlertEvidence.format(created));
        a.put("lastUpdateDateTime", AlertEvidence.format(created));
        a.putNull("resolvedDateTime");
        a.put("firstActivityDateTime", AlertEvidence.format(firstActivity));
        a.put("lastActivityDateTime", AlertEvidence.format(lastActivity));
        a.set("comments", JSON.arrayNode());
        ArrayNode items = a.putArray("evidence"); // filled last: its size budget depends on the rest of the body
        ArrayNode systemTags = JSON.arrayNode();
        if (random.nextInt(10) == 0) {
            systemTags.add("Defender Experts");
        }
        a.set("systemTags", systemTags);
        a.set("additionalData", additionalData(t));
        a.set("customDetails", customDetails(t, scene));
        evidence.fillEvidence(items, a, t, scene, created);
        return a;
    }

    private static boolean policyBased(Template t) {
        return Set.of("dataLossPrevention", "microsoftAppGovernance", "microsoftInsiderRiskManagement", "microsoftSentinel")
                .contains(t.serviceSource());
    }

    private ObjectNode additionalData(Template t) {
        ObjectNode d = JSON.objectNode();
        d.put("alertSourceProduct", t.productName());
        d.put("detectionTechnology", t.detectionSources().get(0));
        if (t.evidence().contains(Ev.DEVICE)) {
            d.put("machineGroup", draws.pick(AlertEvidence.RBAC_GROUPS));
        }
        return d;
    }

    private ObjectNode customDetails(Template t, AlertScene s) {
        ObjectNode d = JSON.objectNode();
        // Only analytics rules (Sentinel, custom detections) carry custom details; the others send an empty dictionary.
        if (t.serviceSource().equals("microsoftSentinel")) {
            d.put("FailedLogons", String.valueOf(20 + random.nextInt(400)));
            d.put("TargetAccount", s.upn());
            d.put("SourceIPAddress", s.publicIp());
        }
        return d;
    }
}
