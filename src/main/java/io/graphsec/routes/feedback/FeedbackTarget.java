package io.graphsec.routes.feedback;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What analysts can write back, per Graph resource, with the values each field accepts (v1.0
 * CSDL, shared/graph-security-api.md §1.2, §2, §3): the lists differ per resource, and a value
 * Graph would reject is refused here, before any request.
 */
public enum FeedbackTarget {

    ALERT("alertId", "alert", "/v1.0/security/alerts_v2/", "SecurityAlert.ReadWrite.All",
            Map.of("status", List.of("new", "inProgress", "resolved"),
                    "classification", Enums.CLASSIFICATION,
                    "determination", Enums.DETERMINATION),
            Set.of("assignedTo", "comment"), true),

    // The incident pages' text lists determinations the CSDL does not have (compromisedUser, clean, ...);
    // incident.determination is typed alertDetermination in the CSDL, which Graph enforces.
    INCIDENT("incidentId", "incident", "/v1.0/security/incidents/", "SecurityIncident.ReadWrite.All",
            Map.of("status", List.of("active", "inProgress", "resolved"),
                    "classification", Enums.CLASSIFICATION,
                    "determination", Enums.DETERMINATION),
            Set.of("assignedTo", "comment", "customTags"), true),

    LEGACY_ALERT("alertId", "legacy alert", "/v1.0/security/alerts/", "SecurityEvents.ReadWrite.All",
            Map.of("status", List.of("newAlert", "inProgress", "resolved"),
                    "feedback", List.of("unknown", "truePositive", "falsePositive", "benignPositive"),
                    // Legacy alerts take only these two comment values (alert-update.md).
                    "comment", List.of("Closed in IPC", "Closed in MCAS")),
            Set.of("assignedTo"), false);

    final String idField;
    final String label;
    final String path;
    final String writePermission;
    final Map<String, List<String>> enumFields;
    final Set<String> textFields;
    final boolean commentsEndpoint;

    FeedbackTarget(String idField, String label, String path, String writePermission,
                   Map<String, List<String>> enumFields, Set<String> textFields, boolean commentsEndpoint) {
        this.idField = idField;
        this.label = label;
        this.path = path;
        this.writePermission = writePermission;
        this.enumFields = enumFields;
        this.textFields = textFields;
        this.commentsEndpoint = commentsEndpoint;
    }

    public String label() { return label; }
    public String path() { return path; }
    public String writePermission() { return writePermission; }

    static final class Enums {
        static final List<String> CLASSIFICATION = List.of("unknown", "falsePositive", "truePositive",
                "informationalExpectedActivity");
        static final List<String> DETERMINATION = List.of("unknown", "apt", "malware", "securityPersonnel",
                "securityTesting", "unwantedSoftware", "other", "multiStagedAttack", "compromisedAccount", "phishing",
                "maliciousUserActivity", "notMalicious", "notEnoughDataToValidate", "confirmedActivity",
                "lineOfBusinessApplication");

        private Enums() {
        }
    }
}
