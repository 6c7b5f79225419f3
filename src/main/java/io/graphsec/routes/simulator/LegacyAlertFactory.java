package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Legacy {@code microsoft.graph.alert} entities (shared/graph-security-api.md §3.1): the non-null
 * azureTenantId, severity and status, vendorInformation naming the provider that raised them, and
 * lastModifiedDateTime, which pollers of /security/alerts filter on. Deterministic for a seed.
 */
public final class LegacyAlertFactory {

    /** Provider names as the $filter on vendorInformation/provider knows them. */
    public static final List<String> PROVIDERS = List.of("IPC", "MCAS", "Microsoft Defender ATP",
            "Azure Advanced Threat Protection", "ASC", "Azure Sentinel");
    public static final List<String> SEVERITIES = List.of("informational", "low", "medium", "high");
    private static final String[][] TITLES = {
            {"Atypical travel", "InitialAccess"}, {"Mass download by a single user", "Exfiltration"},
            {"Suspicious PowerShell command line", "Execution"}, {"Suspected brute force attack (LDAP)", "CredentialAccess"},
            {"Suspicious authentication activity", "CredentialAccess"}, {"Rare process running on a server", "Execution"}};
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Random random;
    private final String tenantId;

    public LegacyAlertFactory(long seed, String tenantId) {
        this.random = new Random(seed);
        this.tenantId = tenantId;
    }

    /** A newAlert of this provider created at {@code created}, modified a few minutes later. */
    public synchronized ObjectNode newAlert(Instant created, String severity, String provider) {
        return newAlert(created, severity, "newAlert", provider);
    }

    public synchronized ObjectNode newAlert(Instant created, String severity, String status, String provider) {
        String[] title = TITLES[PROVIDERS.indexOf(provider) < 0 ? 0 : PROVIDERS.indexOf(provider) % TITLES.length];
        ObjectNode a = JSON.objectNode();
        a.put("id", new UUID(random.nextLong(), random.nextLong()).toString().toUpperCase());
        a.put("azureTenantId", tenantId).putNull("azureSubscriptionId").putNull("activityGroupName")
                .putNull("assignedTo").put("category", title[1]).putNull("closedDateTime")
                .put("confidence", 50 + random.nextInt(50))
                .put("createdDateTime", GraphTime.format(created))
                .put("eventDateTime", GraphTime.format(created.minusSeconds(60 + random.nextInt(600))))
                .put("lastEventDateTime", GraphTime.format(created.minusSeconds(30)))
                .put("lastModifiedDateTime", GraphTime.format(created.plusSeconds(60 + random.nextInt(240))))
                .put("description", title[0] + " detected by " + provider + ".")
                .putNull("feedback").put("severity", severity).put("status", status).put("title", title[0]);
        a.putArray("comments");
        a.putArray("tags");
        a.putArray("detectionIds");
        a.putArray("incidentIds");
        a.putArray("recommendedActions").add("Review the user's recent sign-ins and reset the password if needed.");
        a.putArray("sourceMaterials").add("https://security.microsoft.com/alerts/" + a.get("id").asText());
        a.putArray("userStates").addObject().put("userPrincipalName", "user" + random.nextInt(50) + "@contoso.com")
                .put("aadUserId", new UUID(random.nextLong(), random.nextLong()).toString()).put("isVpn", false);
        for (String empty : List.of("alertDetections", "cloudAppStates", "fileStates", "historyStates", "hostStates",
                "investigationSecurityStates", "malwareStates", "messageSecurityStates", "networkConnections", "processes",
                "registryKeyStates", "securityResources", "triggers", "uriClickSecurityStates", "vulnerabilityStates")) {
            a.putArray(empty);
        }
        a.putObject("vendorInformation").put("provider", provider).put("providerVersion", "3.0")
                .putNull("subProvider").put("vendor", "Microsoft");
        return a;
    }
}
