package io.graphsec.routes.simulator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The detections {@link AlertFactory} draws from: per product, the title, description, MITRE
 * techniques, recommended actions and the kinds of evidence such an alert typically carries.
 */
final class AlertTemplates {

    private AlertTemplates() {
    }

    enum Ev { DEVICE, USER, IP, FILE, PROCESS, URL, MAILBOX, REGISTRY_KEY, OAUTH_APP }

    /**
     * One kind of detection: what a given product raises, and the evidence it typically attaches. idPrefix: Defender
     * prefixes alert ids with a product code ("da" for Defender for Endpoint in the docs); the other codes are illustrative.
     */
    record Template(String serviceSource, List<String> detectionSources, String productName, String idPrefix,
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

    static final List<Template> TEMPLATES = List.of(
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
    static final List<Template> EVOLVABLE_TEMPLATES = List.of(
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
}
