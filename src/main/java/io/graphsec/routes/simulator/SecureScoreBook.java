package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One tenant's Microsoft Secure Score (shared/graph-security-api.md §4): its control profiles and
 * one secureScore record per day, newest first, the newest always dated today.
 *
 * <p>A control counts as <em>implemented</em> on a day when that day's {@code controlScores[]} entry
 * for it has {@code score} equal to the profile's {@code maxScore} (Secure Score awards a control's full
 * points only then; partial scores are partly implemented). What decides a new day's score is the
 * control's measured state ({@link #implement}, {@link #unimplement}) overridden by the latest
 * {@code controlStateUpdates[].state} of its profile, as the portal's status does: {@code ThirdParty}
 * (resolved through a third party) and {@code Reviewed} award the full points, {@code Ignored}
 * (risk accepted) none, {@code Default} leaves the measured state. Changes show from the next
 * {@link #addDay} on: Graph recomputes the score once a day, never today's record in place.
 */
public final class SecureScoreBook {

    /** Graph keeps 90 days of scores by default. */
    static final int RETENTION_DAYS = 90;
    static final List<String> STATES = List.of("Default", "Ignored", "ThirdParty", "Reviewed");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    // id, category, service, title, maxScore, actionType, implementationCost, userImpact, tier, threats
    private static final String[][] CONTROLS = {
            {"AdminMFAV2", "Identity", "AzureAD", "Ensure multifactor authentication is enabled for all users in administrative roles", "10", "Config", "Low", "Low", "Core", "Account Breach|Elevation of Privilege"},
            {"MFARegistrationV2", "Identity", "AzureAD", "Ensure all users can complete multifactor authentication for secure access", "9", "Config", "Moderate", "Moderate", "Core", "Account Breach|Password Cracking"},
            {"BlockLegacyAuthentication", "Identity", "AzureAD", "Enable Conditional Access policies to block legacy authentication", "8", "Config", "Moderate", "Moderate", "Core", "Password Spray|Account Breach"},
            {"PWAgePolicyNew", "Identity", "AzureAD", "Do not expire passwords", "8", "Config", "Low", "Low", "Core", "Password Cracking"},
            {"SigninRiskPolicy", "Identity", "AzureAD", "Turn on sign-in risk policy", "7", "Config", "Moderate", "Moderate", "Defense in Depth", "Account Breach"},
            {"UserRiskPolicy", "Identity", "AzureAD", "Turn on user risk policy", "7", "Config", "Moderate", "Moderate", "Defense in Depth", "Account Breach"},
            {"SelfServicePasswordReset", "Identity", "AzureAD", "Enable self-service password reset", "1", "Config", "Low", "Moderate", "Core", "Account Breach"},
            {"OneAdmin", "Identity", "AzureAD", "Designate more than one global admin", "1", "Config", "Low", "Low", "Core", "Account Breach"},
            {"RoleOverlap", "Identity", "AzureAD", "Use least privileged administrative roles", "1", "Review", "Low", "Low", "Defense in Depth", "Elevation of Privilege"},
            {"IntegratedApps", "Identity", "AzureAD", "Do not allow users to grant consent to unreliable applications", "4", "Config", "Moderate", "Moderate", "Defense in Depth", "Data Exfiltration|Malicious Consent"},
            {"PasswordHashSync", "Identity", "AzureAD", "Enable Password Hash Sync if hybrid", "5", "Config", "Low", "Low", "Core", "Password Cracking|Account Breach"},
            {"aad_sign_in_freq_session_timeout", "Identity", "AzureAD", "Ensure sign-in frequency is enabled and browser sessions are not persistent for administrative users", "8", "Config", "Low", "Moderate", "Defense in Depth", "Account Breach"},
            {"DLPEnabled", "Data", "MIP", "Create Data Loss Prevention (DLP) policies", "10", "Config", "Moderate", "Moderate", "Core", "Data Exfiltration|Data Spillage"},
            {"mip_search_auditlog", "Data", "MIP", "Ensure Microsoft 365 audit log search is enabled", "10", "Config", "Low", "Low", "Core", "Data Exfiltration"},
            {"mip_sensitivitylabelspolicies", "Data", "MIP", "Publish Microsoft Purview Information Protection sensitivity label policies", "10", "Config", "Moderate", "Moderate", "Defense in Depth", "Data Spillage"},
            {"CustomerLockBoxEnabled", "Data", "EXO", "Turn on customer lockbox feature", "5", "Config", "Low", "Low", "Advanced", "Data Exfiltration"},
            {"mdo_safeattachments", "Apps", "MDO", "Turn on Safe Attachments in block mode", "8", "Config", "Low", "Moderate", "Defense in Depth", "Malware|Phishing"},
            {"mdo_safelinksforemail", "Apps", "MDO", "Create Safe Links policies for email messages", "9", "Config", "Low", "Low", "Defense in Depth", "Phishing"},
            {"mdo_antiphishingpolicies", "Apps", "MDO", "Ensure that an anti-phishing policy has been created", "9", "Config", "Low", "Low", "Core", "Phishing|Spoofing"},
            {"mdo_zapspam", "Apps", "MDO", "Ensure Zero-hour auto purge for spam is enabled", "8", "Config", "Low", "Low", "Core", "Phishing"},
            {"mdo_commonattachmentsfilter", "Apps", "MDO", "Ensure the common attachment types filter is enabled", "5", "Config", "Low", "Low", "Core", "Malware"},
            {"exo_mailboxaudit", "Apps", "EXO", "Ensure mailbox auditing for all users is enabled", "5", "Config", "Low", "Low", "Core", "Data Exfiltration"},
            {"exo_storageproviderrestricted", "Apps", "EXO", "Ensure additional storage providers are restricted in Outlook on the web", "2", "Config", "Low", "Moderate", "Defense in Depth", "Data Exfiltration"},
            {"exo_outlookaddins", "Apps", "EXO", "Ensure users installing Outlook add-ins is not allowed", "3", "Config", "Low", "Moderate", "Defense in Depth", "Malicious Consent"},
            {"spo_idle_session_timeout", "Apps", "SPO", "Sign out inactive users in SharePoint Online", "6", "Config", "Low", "Moderate", "Defense in Depth", "Account Breach"},
            {"mcas_unusual_file_deletion", "Apps", "MCAS", "Review unusual file deletion activity alerts", "2", "Review", "Low", "Low", "Advanced", "Data Deletion"},
            {"scid_2010", "Device", "MDATP", "Turn on Microsoft Defender Antivirus", "10", "Config", "Low", "Low", "Core", "Malware|Ransomware"},
            {"scid_2011", "Device", "MDATP", "Update Microsoft Defender Antivirus definitions", "10", "Config", "Low", "Low", "Core", "Malware"},
            {"scid_91", "Device", "MDATP", "Block Win32 API calls from Office macros", "9", "Config", "Moderate", "Moderate", "Defense in Depth", "Malware|Exploit"},
            {"LegacyAuditLogSearch", "Data", "MIP", "Enable audit data recording (retired)", "5", "Config", "Low", "Low", "Core", "Data Exfiltration"},
    };

    private final String tenantId;
    private final EntityStore scores;
    private final EntityStore profiles;
    private final Clock clock;
    private final Random random;
    /** Each control's measured score, before its state override. */
    private final Map<String, Double> measured = new LinkedHashMap<>();
    /** Newest first: each day's currentScore and controlScores by control name. */
    private final List<Day> days = new ArrayList<>();

    private record Day(double currentScore, Map<String, Double> controlScores) {
    }

    SecureScoreBook(String tenantId, EntityStore scores, EntityStore profiles, Clock clock) {
        this.tenantId = tenantId;
        this.scores = scores;
        this.profiles = profiles;
        this.clock = clock;
        this.random = new Random(tenantId.hashCode());
        seedProfiles();
        seedDays(30);
    }

    // ---- control profiles -------------------------------------------------------------------

    private void seedProfiles() {
        Instant modified = clock.instant().minusSeconds(86_400L * 40);
        List<ObjectNode> all = new ArrayList<>();
        for (int i = 0; i < CONTROLS.length; i++) {
            String[] c = CONTROLS[i];
            double max = Double.parseDouble(c[4]);
            ObjectNode p = JSON.objectNode();
            p.put("id", c[0]).put("azureTenantId", tenantId).put("actionType", c[5])
                    .put("actionUrl", "https://security.microsoft.com/securescore?viewid=actions&actionId=" + c[0])
                    .put("controlCategory", c[1]).put("title", c[3]).put("service", c[2])
                    .put("deprecated", c[0].startsWith("Legacy")).put("implementationCost", c[6])
                    .put("userImpact", c[7]).put("tier", c[8]).put("maxScore", max).put("rank", i + 1)
                    .put("lastModifiedDateTime", GraphTime.format(modified.plusSeconds(3600L * i)))
                    .put("remediation", "<p>" + c[3] + ". Open the action in the Microsoft Defender portal and follow its implementation steps.</p>")
                    .put("remediationImpact", "Users may notice the change when " + c[3].toLowerCase() + ".");
            ArrayNode threats = p.putArray("threats");
            for (String t : c[9].split("\\|")) {
                threats.add(t);
            }
            ObjectNode compliance = p.putArray("complianceInformation").addObject().put("certificationName", "NIST 800-53");
            compliance.putArray("certificationControls").addObject().put("name", "AC-" + (2 + i % 20))
                    .put("url", "https://nvd.nist.gov/800-53/Rev4/control/AC-" + (2 + i % 20));
            p.putArray("controlStateUpdates");
            vendor(p);
            all.add(p);
            // Roughly half the controls are in place already, a few partly (a share of users or devices covered).
            double draw = random.nextDouble();
            measured.put(c[0], draw < 0.45 ? max : draw < 0.6 ? Math.round(max * random.nextDouble() * 100) / 100.0 : 0.0);
        }
        profiles.putAll(all);
    }

    private static void vendor(ObjectNode entity) {
        entity.putObject("vendorInformation").put("provider", "SecureScore").putNull("providerVersion")
                .putNull("subProvider").put("vendor", "Microsoft");
    }

    /** Copies of the control profiles. */
    public List<ObjectNode> profiles() {
        return profiles.snapshot();
    }

    /** The profile's maxScore; IllegalArgumentException for an unknown control. */
    public double maxScore(String controlName) {
        return profiles.peek(controlName, p -> {
            if (p == null) {
                throw new IllegalArgumentException("no control profile " + controlName);
            }
            return p.path("maxScore").asDouble();
        });
    }

    /** The control is in place from the next day on: it scores its profile's maxScore. */
    public synchronized SecureScoreBook implement(String controlName) {
        measured.put(controlName, maxScore(controlName));
        return this;
    }

    /** The control is not in place from the next day on: it scores 0. */
    public synchronized SecureScoreBook unimplement(String controlName) {
        maxScore(controlName);
        measured.put(controlName, 0.0);
        return this;
    }

    /**
     * Appends a controlStateUpdates entry (state one of Default, Ignored, ThirdParty, Reviewed) and
     * stamps lastModifiedDateTime, as a PATCH of the profile does; returns a copy of the profile.
     */
    public synchronized ObjectNode setState(String controlName, String state, String assignedTo, String comment,
                                            String updatedBy) {
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("state must be one of " + STATES + ": " + state);
        }
        return profiles.update(controlName, "lastModifiedDateTime", p -> {
            ObjectNode u = p.withArray("controlStateUpdates").addObject();
            if (assignedTo == null) {
                u.putNull("assignedTo");
            } else {
                u.put("assignedTo", assignedTo);
            }
            u.put("comment", comment == null ? "" : comment).put("state", state).put("updatedBy", updatedBy)
                    .put("updatedDateTime", GraphTime.format(GraphTime.uniqueNow()));
        }).orElseThrow(() -> new IllegalArgumentException("no control profile " + controlName));
    }

    /** The state of the control's latest controlStateUpdates entry, Default when it has none. */
    public String state(String controlName) {
        return profiles.peek(controlName, p -> {
            var updates = p == null ? null : p.path("controlStateUpdates");
            return updates == null || updates.isEmpty() ? "Default" : updates.get(updates.size() - 1).path("state").asText();
        });
    }

    /** What the control scores on the next day: its measured score unless its state says otherwise. */
    public synchronized double effectiveScore(String controlName) {
        double max = maxScore(controlName);
        return switch (state(controlName)) {
            case "ThirdParty", "Reviewed" -> max;
            case "Ignored" -> 0.0;
            default -> measured.getOrDefault(controlName, 0.0);
        };
    }

    /** Whether the control scores its maxScore on the next day (see the class comment). */
    public boolean implemented(String controlName) {
        return effectiveScore(controlName) == maxScore(controlName);
    }

    // ---- daily scores -----------------------------------------------------------------------

    /**
     * Replaces the history with {@code n} days ending today, derived from the controls' current
     * scores with the ones in place lately missing on older days, so the score climbs over time.
     */
    public synchronized SecureScoreBook seedDays(int n) {
        days.clear();
        Map<String, Double> today = scoresFromState(Map.of());
        Map<String, Integer> inPlaceSince = new LinkedHashMap<>();
        today.keySet().forEach(c -> inPlaceSince.put(c, random.nextInt(Math.max(2, n * 2))));
        for (int ago = 0; ago < n; ago++) {
            Map<String, Double> controls = new LinkedHashMap<>();
            for (var e : today.entrySet()) {
                controls.put(e.getKey(), ago <= inPlaceSince.get(e.getKey()) ? e.getValue() : 0.0);
            }
            days.add(new Day(sum(controls), controls));
        }
        publish();
        return this;
    }

    /** A day passes: today's record becomes yesterday's and a new one, from the controls' state, is today. */
    public SecureScoreBook addDay() {
        return addDay(-1, Map.of());
    }

    /**
     * A day passes with this currentScore (negative: the sum of the control scores) and these
     * control scores by controlName; controls not given score as their state says.
     */
    public synchronized SecureScoreBook addDay(double currentScore, Map<String, Double> controlScores) {
        Map<String, Double> controls = scoresFromState(controlScores);
        days.add(0, new Day(currentScore < 0 ? sum(controls) : currentScore, controls));
        while (days.size() > RETENTION_DAYS) {
            days.remove(days.size() - 1);
        }
        publish();
        return this;
    }

    /** How many daily records there are. */
    public synchronized int days() {
        return days.size();
    }

    /** The id Graph gives the record of this day: {@code {tenantId}_{yyyy-MM-dd}}. */
    public String idOf(LocalDate day) {
        return tenantId + "_" + day;
    }

    /** Today's record id. */
    public String todayId() {
        return idOf(today());
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private Map<String, Double> scoresFromState(Map<String, Double> given) {
        Map<String, Double> controls = new LinkedHashMap<>();
        for (ObjectNode p : profiles.snapshot()) {
            if (!p.path("deprecated").asBoolean()) {
                String name = p.get("id").asText();
                controls.put(name, given.containsKey(name) ? given.get(name) : effectiveScore(name));
            }
        }
        given.keySet().stream().filter(k -> !controls.containsKey(k)).findFirst().ifPresent(k -> {
            throw new IllegalArgumentException("no active control profile " + k);
        });
        return controls;
    }

    private static double sum(Map<String, Double> controls) {
        return Math.round(controls.values().stream().mapToDouble(Double::doubleValue).sum() * 100) / 100.0;
    }

    /** Renders every day with its date counted back from today, so the newest record is always today's. */
    private void publish() {
        Map<String, ObjectNode> profileById = new LinkedHashMap<>();
        profiles.snapshot().forEach(p -> profileById.put(p.get("id").asText(), p));
        double maxScore = profileById.values().stream().filter(p -> !p.path("deprecated").asBoolean())
                .mapToDouble(p -> p.path("maxScore").asDouble()).sum();
        LocalDate today = today();
        List<ObjectNode> records = new ArrayList<>();
        for (int ago = 0; ago < days.size(); ago++) {
            LocalDate date = today.minusDays(ago);
            Day day = days.get(ago);
            ObjectNode s = JSON.objectNode();
            s.put("id", idOf(date)).put("azureTenantId", tenantId).put("activeUserCount", 180 + (ago * 7) % 13)
                    .put("createdDateTime", GraphTime.format(date.atStartOfDay(ZoneOffset.UTC).toInstant()))
                    .put("currentScore", day.currentScore).put("maxScore", maxScore).put("licensedUserCount", 250);
            ArrayNode services = s.putArray("enabledServices");
            for (String svc : List.of("HasExchange", "HasSharePoint", "HasOD4B", "HasYammer", "HasCloudAppSecurity")) {
                services.add(svc);
            }
            ArrayNode averages = s.putArray("averageComparativeScores");
            averages.addObject().put("basis", "AllTenants").put("averageScore", 41.27);
            averages.addObject().put("basis", "TotalSeats").put("averageScore", 38.9)
                    .put("seatSizeRangeLowerValue", "100").put("seatSizeRangeUpperValue", "499");
            ArrayNode controls = s.putArray("controlScores");
            for (var e : day.controlScores.entrySet()) {
                ObjectNode p = profileById.get(e.getKey());
                double max = p.path("maxScore").asDouble();
                double score = e.getValue();
                double percent = max == 0 ? 0 : Math.round(score / max * 10_000) / 100.0;
                controls.addObject().put("controlCategory", p.path("controlCategory").asText())
                        .put("controlName", e.getKey()).put("description", p.path("title").asText())
                        .put("score", score).put("scoreInPercentage", percent)
                        .put("implementationStatus", score >= max ? "Implemented" : score > 0
                                ? "Partially implemented (" + percent + "%)" : "Not implemented")
                        .put("lastSynced", GraphTime.format(date.atStartOfDay(ZoneOffset.UTC).toInstant()));
            }
            vendor(s);
            records.add(s);
        }
        scores.replaceAll(records);
    }
}
