package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertFactoryTest {

    private static final String TENANT = "b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c";
    private static final Instant START = Instant.parse("2026-11-25T02:47:30.123456789Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Every property of the v1.0 alert in graph-security-api.md §1.1. */
    private static final List<String> V1_PROPERTIES = List.of("id", "actorDisplayName", "additionalData",
            "alertPolicyId", "alertWebUrl", "assignedTo", "categories", "category", "classification", "comments",
            "createdDateTime", "customDetails", "description", "detectionSource", "detectorId", "determination",
            "evidence", "firstActivityDateTime", "incidentId", "incidentWebUrl", "investigationState",
            "lastActivityDateTime", "lastUpdateDateTime", "mitreTechniques", "productName", "providerAlertId",
            "recommendedActions", "resolvedDateTime", "serviceSource", "severity", "status", "systemTags", "tenantId",
            "threatDisplayName", "threatFamilyName", "title");
    private static final List<String> EVIDENCE_BASE = List.of("createdDateTime", "detailedRoles", "remediationStatus",
            "remediationStatusDetails", "roles", "tags", "verdict");
    private static final Pattern GRAPH_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{7}Z");
    private static final Pattern ID = Pattern.compile("[a-z]{2}\\d{18}_-?\\d+");
    private static final Pattern MITRE = Pattern.compile("T\\d{4}(\\.\\d{3})?");
    // Non-evolvable CSDL members (declared up to and including unknownFutureValue), from §1.2.
    private static final Set<String> BASE_SERVICE_SOURCES = Set.of("unknown", "microsoftDefenderForEndpoint",
            "microsoftDefenderForIdentity", "microsoftDefenderForCloudApps", "microsoftDefenderForOffice365",
            "microsoft365Defender", "azureAdIdentityProtection", "microsoftAppGovernance", "dataLossPrevention",
            "unknownFutureValue");
    private static final Set<String> BASE_DETECTION_SOURCES = Set.of("unknown", "microsoftDefenderForEndpoint",
            "antivirus", "smartScreen", "customTi", "microsoftDefenderForOffice365", "automatedInvestigation",
            "microsoftThreatExperts", "customDetection", "microsoftDefenderForIdentity", "cloudAppSecurity",
            "microsoft365Defender", "azureAdIdentityProtection", "manual", "microsoftDataLossPrevention",
            "appGovernancePolicy", "appGovernanceDetection", "unknownFutureValue");
    private static final Set<String> VERDICTS = Set.of("unknown", "suspicious", "malicious", "noThreatsFound");
    private static final Set<String> REMEDIATION = Set.of("none", "remediated", "prevented", "blocked", "notFound",
            "active", "pendingApproval", "declined", "unremediated", "running", "partiallyRemediated");

    private static List<ObjectNode> sample;

    @BeforeAll
    static void generateSample() {
        AlertFactory factory = new AlertFactory(42L, TENANT);
        sample = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            sample.add(factory.newAlert(START.plus(Duration.ofSeconds(37L * i)), String.valueOf(1000 + i / 3)));
        }
    }

    @Test
    void everyV1PropertyIsPresentOnEveryAlert() {
        for (ObjectNode alert : sample) {
            assertThat(iterable(alert.fieldNames())).as(alert.get("id").asText()).containsAll(V1_PROPERTIES);
            assertThat(alert.get("@odata.type").asText()).isEqualTo("#microsoft.graph.security.alert");
        }
    }

    @Test
    void newAlertShape() {
        for (ObjectNode alert : sample) {
            String id = alert.get("id").asText();
            String incidentId = alert.get("incidentId").asText();
            assertThat(id).matches(ID);
            assertThat(alert.get("status").asText()).isEqualTo("new");
            assertThat(alert.get("classification").isNull()).isTrue();
            assertThat(alert.get("determination").isNull()).isTrue();
            assertThat(alert.get("assignedTo").isNull()).isTrue();
            assertThat(alert.get("resolvedDateTime").isNull()).isTrue();
            assertThat(alert.get("tenantId").asText()).isEqualTo(TENANT);
            assertThat(alert.get("alertWebUrl").asText())
                    .isEqualTo("https://security.microsoft.com/alerts/" + id + "?tid=" + TENANT);
            assertThat(alert.get("incidentWebUrl").asText())
                    .isEqualTo("https://security.microsoft.com/incidents/" + incidentId + "?tid=" + TENANT);
            assertThat(alert.get("categories").isArray()).isTrue();
            assertThat(alert.get("categories").get(0).asText()).isEqualTo(alert.get("category").asText());
            assertThat(alert.get("comments").isArray()).isTrue();
            assertThat(alert.get("comments")).isEmpty();
            assertThat(alert.get("mitreTechniques")).isNotEmpty();
            alert.get("mitreTechniques").forEach(t -> assertThat(t.asText()).matches(MITRE));
            assertThat(alert.get("additionalData").isObject()).isTrue();
            assertThat(alert.get("customDetails").isObject()).isTrue();
            assertThat(alert.get("title").asText()).isNotBlank();
            assertThat(alert.get("description").asText()).isNotBlank();
            String service = alert.get("serviceSource").asText();
            String detection = alert.get("detectionSource").asText();
            assertThat(service).isIn(union(BASE_SERVICE_SOURCES, AlertFactory.EVOLVABLE_SERVICE_SOURCES));
            assertThat(detection).isIn(union(BASE_DETECTION_SOURCES, AlertFactory.EVOLVABLE_DETECTION_SOURCES));
        }
    }

    @Test
    void everySeverityAppears() {
        Set<String> seen = new HashSet<>();
        sample.forEach(a -> seen.add(a.get("severity").asText()));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(AlertFactory.SEVERITIES);
        assertThat(AlertFactory.SEVERITIES).containsExactly("unknown", "informational", "low", "medium", "high");
    }

    @Test
    void explicitSeverityIsUsedAndValidated() {
        AlertFactory factory = new AlertFactory(1L, TENANT);
        for (String severity : AlertFactory.SEVERITIES) {
            assertThat(factory.newAlert(START, severity, "7").get("severity").asText()).isEqualTo(severity);
        }
        assertThatThrownBy(() -> factory.newAlert(START, "High", "7")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void evidenceIsPolymorphicAndCarriesBaseProperties() {
        Set<String> types = new HashSet<>();
        for (ObjectNode alert : sample) {
            JsonNode evidence = alert.get("evidence");
            assertThat(evidence.size()).isBetween(2, 5);
            for (JsonNode item : evidence) {
                String type = item.get("@odata.type").asText();
                assertThat(type).startsWith("#microsoft.graph.security.").endsWith("Evidence");
                types.add(type);
                assertThat(iterable(item.fieldNames())).as(type).containsAll(EVIDENCE_BASE);
                assertThat(item.get("createdDateTime").asText()).matches(GRAPH_DATE);
                assertThat(item.get("verdict").asText()).isIn(VERDICTS);
                assertThat(item.get("remediationStatus").asText()).isIn(REMEDIATION);
                assertThat(item.get("roles").isArray()).isTrue();
                assertThat(item.get("detailedRoles").isArray()).isTrue();
                assertThat(item.get("tags").isArray()).isTrue();
            }
        }
        assertThat(types).hasSizeGreaterThanOrEqualTo(4).contains(
                "#microsoft.graph.security.deviceEvidence", "#microsoft.graph.security.userEvidence",
                "#microsoft.graph.security.ipEvidence", "#microsoft.graph.security.fileEvidence",
                "#microsoft.graph.security.processEvidence", "#microsoft.graph.security.urlEvidence",
                "#microsoft.graph.security.mailboxEvidence", "#microsoft.graph.security.registryKeyEvidence");
    }

    @Test
    void evidenceSubtypesCarryTheirAppendixAProperties() {
        for (ObjectNode alert : sample) {
            for (JsonNode item : alert.get("evidence")) {
                String type = item.get("@odata.type").asText().substring("#microsoft.graph.security.".length());
                switch (type) {
                    case "userEvidence" -> assertThat(iterable(item.get("userAccount").fieldNames())).containsExactlyInAnyOrder(
                            "accountName", "domainName", "userSid", "azureAdUserId", "userPrincipalName", "displayName");
                    case "fileEvidence" -> {
                        assertThat(iterable(item.get("fileDetails").fieldNames())).containsExactlyInAnyOrder(
                                "sha1", "sha256", "fileName", "filePath", "fileSize", "filePublisher", "signer", "issuer");
                        assertThat(item.get("fileDetails").get("sha256").asText()).matches("[0-9a-f]{64}");
                    }
                    case "deviceEvidence" -> assertThat(iterable(item.fieldNames())).contains("mdeDeviceId",
                            "deviceDnsName", "osPlatform", "osBuild", "healthStatus", "riskScore", "onboardingStatus",
                            "loggedOnUsers", "vmMetadata");
                    case "ipEvidence" -> assertThat(iterable(item.fieldNames())).contains("ipAddress", "countryLetterCode");
                    case "processEvidence" -> assertThat(iterable(item.fieldNames())).contains("processId",
                            "processCommandLine", "imageFile", "parentProcessImageFile", "userAccount");
                    case "urlEvidence" -> assertThat(item.get("url").asText()).startsWith("https://");
                    case "mailboxEvidence" -> assertThat(iterable(item.fieldNames())).contains("primaryAddress", "upn", "userAccount");
                    case "registryKeyEvidence" -> assertThat(iterable(item.fieldNames())).contains("registryHive", "registryKey");
                    default -> { }
                }
            }
        }
    }

    @Test
    void equalSeedsGiveEqualAlertsAndDifferentSeedsDiffer() {
        AlertFactory a = new AlertFactory(7L, TENANT);
        AlertFactory b = new AlertFactory(7L, TENANT);
        AlertFactory c = new AlertFactory(8L, TENANT);
        for (int i = 0; i < 50; i++) {
            Instant t = START.plusSeconds(i);
            ObjectNode fromA = a.newAlert(t, "12");
            assertThat(b.newAlert(t, "12")).isEqualTo(fromA);
            assertThat(c.newAlert(t, "12")).isNotEqualTo(fromA);
        }
    }

    @Test
    void evolvableMembersAppearInRoughlyOneAlertInEight() {
        long evolvable = sample.stream()
                .filter(a -> AlertFactory.EVOLVABLE_SERVICE_SOURCES.contains(a.get("serviceSource").asText()))
                .count();
        assertThat(evolvable).isBetween(30L, 110L); // expected 62.5 of 500
        long evolvableDetection = sample.stream()
                .filter(a -> AlertFactory.EVOLVABLE_DETECTION_SOURCES.contains(a.get("detectionSource").asText()))
                .count();
        assertThat(evolvableDetection).isPositive();
        assertThat(AlertFactory.EVOLVABLE_SERVICE_SOURCES)
                .contains("microsoftSentinel", "microsoftDefenderForCloud", "microsoftInsiderRiskManagement")
                .doesNotContainAnyElementsOf(BASE_SERVICE_SOURCES);
        assertThat(AlertFactory.EVOLVABLE_DETECTION_SOURCES)
                .contains("microsoftSentinel", "nrtAlerts", "scheduledAlerts", "microsoftDefenderForCloud")
                .doesNotContainAnyElementsOf(BASE_DETECTION_SOURCES);
    }

    @Test
    void serializedSizeIsRealistic() throws Exception {
        long total = 0;
        for (ObjectNode alert : sample) {
            int bytes = MAPPER.writeValueAsString(alert).getBytes(StandardCharsets.UTF_8).length;
            assertThat(bytes).as(alert.get("title").asText()).isBetween(2_000, 7_000);
            total += bytes;
        }
        assertThat(total / sample.size()).isBetween(3_000L, 5_000L);
    }

    @Test
    void datesHaveSevenFractionalDigitsAndNewAlertsAreUnchangedSinceCreation() {
        for (ObjectNode alert : sample) {
            for (String p : List.of("createdDateTime", "lastUpdateDateTime", "firstActivityDateTime", "lastActivityDateTime")) {
                assertThat(alert.get(p).asText()).as(p).matches(GRAPH_DATE);
            }
            assertThat(alert.get("lastUpdateDateTime").asText()).isEqualTo(alert.get("createdDateTime").asText());
            Instant created = Instant.parse(alert.get("createdDateTime").asText());
            Instant first = Instant.parse(alert.get("firstActivityDateTime").asText());
            Instant last = Instant.parse(alert.get("lastActivityDateTime").asText());
            assertThat(first).isBefore(created).isBeforeOrEqualTo(last);
            assertThat(last).isBefore(created);
        }
        // 2026-11-25T02:47:30.123456789Z is written truncated to 100 ns, like Graph
        assertThat(sample.get(0).get("createdDateTime").asText()).isEqualTo("2026-11-25T02:47:30.1234567Z");
    }

    @Test
    void generatedAlertsWorkWithTheFilter() {
        ODataFilter filter = ODataFilter.parse("severity eq 'high' and lastUpdateDateTime ge 2026-11-25T03:00:00Z",
                Set.of("severity", "lastUpdateDateTime"));
        long expected = sample.stream()
                .filter(a -> a.get("severity").asText().equals("high"))
                .filter(a -> !Instant.parse(a.get("lastUpdateDateTime").asText()).isBefore(Instant.parse("2026-11-25T03:00:00Z")))
                .count();
        assertThat(expected).isPositive();
        assertThat(sample.stream().filter(filter::matches).count()).isEqualTo(expected);
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return u;
    }
}
