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
                    "detectionSource", AlertFactory.EVOLVABLE_DETECTION_SOURCES)),

    // Graph answers 400 to $top above 50 on incidents (the docs give no maximum; clients such as
    // Cortex XSOAR's Graph Security integration cap incident pages at 50 for that reason).
    INCIDENTS("incidents", "lastUpdateDateTime",
            Set.of("assignedTo", "classification", "createdDateTime", "determination", "lastUpdateDateTime",
                    "severity", "status"),
            Set.of("SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"), Set.of("SecurityIncident.ReadWrite.All"),
            Map.of("status", List.of("active", "resolved", "inProgress", "redirected", "unknownFutureValue"),
                    "classification", Enums.CLASSIFICATION, "determination", Enums.DETERMINATION,
                    "assignedTo", List.of(), "customTags", List.of()),
            true, false, 50, Map.of("status", Set.of("awaitingAction"))),

    LEGACY_ALERTS("alerts", "lastModifiedDateTime",
            Set.of("severity", "status", "category", "createdDateTime", "lastModifiedDateTime", "eventDateTime",
                    "assignedTo", "feedback", "title"),
            Set.of("SecurityEvents.Read.All", "SecurityEvents.ReadWrite.All"), Set.of("SecurityEvents.ReadWrite.All"),
            Map.of("status", List.of("unknown", "newAlert", "inProgress", "resolved"),
                    "feedback", List.of("unknown", "truePositive", "falsePositive", "benignPositive"),
                    "assignedTo", List.of(), "closedDateTime", List.of(), "comments", List.of(), "tags", List.of(),
                    "vendorInformation", List.of()),
            false, true, 0, Map.of());

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

    SimulatedCollection(String path, String stampField, Set<String> filterable, Set<String> readRoles,
                        Set<String> writeRoles, Map<String, List<String>> writable, boolean hasCommentsEndpoint,
                        boolean legacyPatchSemantics, int topLimit, Map<String, Set<String>> evolvable) {
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
