package io.graphsec.routes.simulator;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one Graph security collection behaves in the simulator: what it filters on, which roles read
 * and write it, which properties a PATCH may set (with their enum members), and how it answers.
 */
enum SimulatedCollection {

    ALERTS_V2("alerts_v2", "lastUpdateDateTime",
            Set.of("assignedTo", "classification", "determination", "createdDateTime", "lastUpdateDateTime",
                    "severity", "serviceSource", "status"),
            Set.of("SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"), Set.of("SecurityAlert.ReadWrite.All"),
            Map.of("status", List.of("new", "inProgress", "resolved", "unknownFutureValue"),
                    "classification", Enums.CLASSIFICATION, "determination", Enums.DETERMINATION,
                    "assignedTo", List.of()),
            true, false, 0,
            Map.of("serviceSource", AlertFactory.EVOLVABLE_SERVICE_SOURCES,
                    "detectionSource", AlertFactory.EVOLVABLE_DETECTION_SOURCES), 0, 0),

    // Graph answers 400 to $top above 50 on incidents (the docs give no maximum; clients such as
    // Cortex XSOAR's Graph Security integration cap incident pages at 50 for that reason).
    INCIDENTS("incidents", "lastUpdateDateTime",
            Set.of("assignedTo", "classification", "createdDateTime", "determination", "lastUpdateDateTime",
                    "severity", "status"),
            Set.of("SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"), Set.of("SecurityIncident.ReadWrite.All"),
            Map.of("status", List.of("active", "resolved", "inProgress", "redirected", "unknownFutureValue"),
                    "classification", Enums.CLASSIFICATION, "determination", Enums.DETERMINATION,
                    "assignedTo", List.of(), "customTags", List.of()),
            true, false, 50, Map.of("status", Set.of("awaitingAction")), 0, 0),

    // Legacy alerts aggregate the top results of each provider; Graph refuses $top above 1000 and $skip above 500.
    LEGACY_ALERTS("alerts", "lastModifiedDateTime",
            Set.of("severity", "status", "category", "createdDateTime", "lastModifiedDateTime", "eventDateTime",
                    "assignedTo", "feedback", "title"),
            Set.of("SecurityEvents.Read.All", "SecurityEvents.ReadWrite.All"), Set.of("SecurityEvents.ReadWrite.All"),
            Map.of("status", List.of("unknown", "newAlert", "inProgress", "resolved"),
                    "feedback", List.of("unknown", "truePositive", "falsePositive", "benignPositive"),
                    "assignedTo", List.of(), "closedDateTime", List.of(), "comments", List.of(), "tags", List.of(),
                    "vendorInformation", List.of()),
            false, true, 1000, Map.of(), 0, 500),

    SECURE_SCORES("secureScores", "createdDateTime",
            Set.of("azureTenantId", "createdDateTime", "currentScore", "maxScore", "activeUserCount", "licensedUserCount"),
            Set.of("SecurityEvents.Read.All", "SecurityEvents.ReadWrite.All"), Set.of("SecurityEvents.ReadWrite.All"),
            Map.of(), false, false, 0, Map.of(), 0, 0),

    // Graph documents no default page size here; a small one makes clients follow @odata.nextLink.
    SECURE_SCORE_CONTROL_PROFILES("secureScoreControlProfiles", "lastModifiedDateTime",
            Set.of("actionType", "azureTenantId", "controlCategory", "deprecated", "implementationCost",
                    "lastModifiedDateTime", "maxScore", "rank", "service", "tier", "title", "userImpact"),
            Set.of("SecurityEvents.Read.All", "SecurityEvents.ReadWrite.All"), Set.of("SecurityEvents.ReadWrite.All"),
            Map.of("assignedTo", List.of(), "comment", List.of(), "state", SecureScoreBook.STATES,
                    "vendorInformation", List.of()),
            false, true, 0, Map.of(), 10, 0);

    final String path;
    final String stampField;
    final Set<String> filterable;
    final Set<String> readRoles;
    final Set<String> writeRoles;
    /** Writable properties; a non-empty list holds the enum members a value must be one of. */
    final Map<String, List<String>> writable;
    final boolean hasCommentsEndpoint;
    final boolean legacyPatchSemantics;
    /** The largest $top Graph accepts here; 0: the simulator's configurable maximum. */
    final int topLimit;
    /** Enum members declared after unknownFutureValue, by property: sent only with include-unknown-enum-members. */
    final Map<String, Set<String>> evolvable;
    /** The page size without $top; 0: the simulator's default. */
    final int defaultPageSize;
    /** The largest $skip Graph accepts here; 0: no limit. */
    final int skipLimit;

    SimulatedCollection(String path, String stampField, Set<String> filterable, Set<String> readRoles,
                        Set<String> writeRoles, Map<String, List<String>> writable, boolean hasCommentsEndpoint,
                        boolean legacyPatchSemantics, int topLimit, Map<String, Set<String>> evolvable,
                        int defaultPageSize, int skipLimit) {
        this.path = path;
        this.stampField = stampField;
        this.filterable = filterable;
        this.readRoles = readRoles;
        this.writeRoles = writeRoles;
        this.writable = writable;
        this.hasCommentsEndpoint = hasCommentsEndpoint;
        this.legacyPatchSemantics = legacyPatchSemantics;
        this.topLimit = topLimit;
        this.evolvable = evolvable;
        this.defaultPageSize = defaultPageSize;
        this.skipLimit = skipLimit;
    }

    /** Secure score and its control profiles share Graph's limit of four concurrent requests per app and tenant. */
    boolean secureScore() {
        return this == SECURE_SCORES || this == SECURE_SCORE_CONTROL_PROFILES;
    }

    static SimulatedCollection byPath(String path) {
        for (SimulatedCollection c : values()) {
            if (c.path.equals(path)) {
                return c;
            }
        }
        throw new IllegalArgumentException(path);
    }

    private static final class Enums {
        static final List<String> CLASSIFICATION = List.of("unknown", "falsePositive", "truePositive",
                "informationalExpectedActivity", "unknownFutureValue");
        static final List<String> DETERMINATION = List.of("unknown", "apt", "malware", "securityPersonnel",
                "securityTesting", "unwantedSoftware", "other", "multiStagedAttack", "compromisedAccount", "phishing",
                "maliciousUserActivity", "notMalicious", "notEnoughDataToValidate", "confirmedActivity",
                "lineOfBusinessApplication", "unknownFutureValue");
    }
}
