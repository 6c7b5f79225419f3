package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.graphsec.routes.support.LoopbackSmtp;
import io.graphsec.routes.support.LogCapture;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mail over real sockets: the app under Camel Main, its embedded broker fed over TCP as the alert
 * routes feed it (the work-queue contract), GreenMail as the SMTP server on a loopback port.
 */
class MailDeliveryTest {

    private static final String HOSTILE_TITLE = "<script>alert(1)</script>\r\nBcc: evil@example.com";
    private static final String SMTP_PASSWORD = "smtp-Pa55-w0rd-Xq7";
    private static final Set<String> HIGH = Set.of("soc-lead@example.org", "oncall@example.org");

    @TempDir
    Path dir;
    private SimulatedTenant tenant;
    private int brokerPort;
    private int smtpPort;
    private Map<String, String> props;
    private final List<GreenMail> smtpServers = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        tenant = new SimulatedTenant(dir);
        brokerPort = RunningApp.freePort();
        smtpPort = RunningApp.freePort();
        props = RunningApp.against(tenant, dir.resolve("app"), brokerPort);
        props.put("graph.mail.smtp.host", "127.0.0.1");
        props.put("graph.mail.smtp.port", String.valueOf(smtpPort));
        props.put("graph.mail.smtp.security", "none");
        props.put("graph.mail.to.high", String.join(", ", HIGH));
        props.put("graph.mail.to.medium", "soc@example.org");
        props.put("graph.mail.to.low", "soc-digest@example.org");
        props.put("graph.mail.to.informational", "soc-digest@example.org");
        props.put("graph.mail.from", "graph-alerts@example.org");
        props.put("graph.mail.digest.period", "PT2S");
        props.put("graph.mail.max-retries", "2");
        props.put("graph.mail.retry-delay-ms", "100");
    }

    @AfterEach
    void tearDown() {
        smtpServers.forEach(GreenMail::stop);
        tenant.close();
    }

    @Test
    void an_alert_is_mailed_to_its_severitys_recipients_as_text_and_html_with_hostile_text_made_harmless() throws Exception {
        GreenMail smtp = startSmtp();
        ObjectNode alert = alert("high", HOSTILE_TITLE);
        alert.put("description", "Ran <img src=x onerror=alert(2)> as\r\nSYSTEM");
        Map<String, String> headers = contract(alert, "high", "created");
        // A producer on the queue may add any property; none of them may become a mail header or recipient.
        headers.put("Bcc", "evil-property@example.com");
        headers.put("Subject", "spoofed");

        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            queues.send("graph.mail", alert.toString(), headers);
            awaitMails(smtp, 2);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> smtp.getReceivedMessages().length == 2);

            assertThat(smtp.getUserManager().listUser()).extracting(GreenMailUser::getEmail)
                    .as("every mailbox the SMTP server delivered to (envelope recipients)")
                    .containsExactlyInAnyOrderElementsOf(HIGH);
            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertThat(Arrays.stream(mail.getAllRecipients()).map(Address::toString).collect(Collectors.toSet()))
                    .isEqualTo(HIGH);
            String id = alert.get("id").asText();
            assertThat(mail.getSubject())
                    .isEqualTo("[Graph HIGH] <script>alert(1)</script> Bcc: evil@example.com (" + id.substring(0, 10) + "…)");
            assertThat(mail.getFrom()).extracting(Address::toString).containsExactly("graph-alerts@example.org");

            String raw = GreenMailUtil.getWholeMessage(mail);
            String head = raw.substring(0, raw.indexOf("\r\n\r\n"));
            assertThat(head.lines().filter(l -> !l.startsWith(" ") && !l.startsWith("\t"))
                    .map(l -> l.substring(0, l.indexOf(':'))).collect(Collectors.toSet()))
                    .as("the top-level headers of the mail")
                    .isSubsetOf("Return-Path", "Received", "Date", "From", "To", "Message-ID", "Subject", "MIME-Version",
                            "Content-Type");
            assertThat(head.lines()).noneMatch(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("bcc"));
            assertThat(head).doesNotContain("graphAlertId").doesNotContain("graphEvidence").doesNotContain("spoofed");
            assertThat(mail.getHeader("Subject")).hasSize(1);
            assertThat(mail.getHeader("Bcc")).isNull();

            MimeMultipart parts = (MimeMultipart) mail.getContent();
            assertThat(mail.getContentType()).startsWith("multipart/alternative");
            assertThat(parts.getCount()).isEqualTo(2);
            assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
            assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
            String text = (String) parts.getBodyPart(0).getContent();
            String html = (String) parts.getBodyPart(1).getContent();

            assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt; Bcc: evil@example.com")
                    .contains("Ran &lt;img src=x onerror=alert(2)&gt; as<br>")
                    .contains("&lt;b&gt;Contoso&lt;/b&gt; multi-stage incident")
                    .contains("alice@contoso.com, &quot;&gt;&lt;svg onload=alert(3)&gt;")
                    .doesNotContain("<script").doesNotContain("<img").doesNotContain("<svg").doesNotContain("<b>")
                    .contains("<a href=\"" + alert.get("alertWebUrl").asText() + "\">");
            assertThat(text).contains("Severity: HIGH", "Status: new", "Event: New", "Alert id: " + id,
                    "Open in Microsoft Defender: " + alert.get("alertWebUrl").asText(),
                    "Users: alice@contoso.com", "<script>alert(1)</script> Bcc: evil@example.com")
                    .doesNotContain("\r\nBcc");
            assertThat(queues.leftAfterCompletion("graph.mail")).isEmpty();
            assertThat(queues.leftAfterCompletion("graph.mail.dead-letter")).isEmpty();
        }
    }

    @Test
    void a_digest_is_one_mail_per_period_listing_every_queued_alert_and_none_when_the_queue_is_empty() throws Exception {
        GreenMail smtp = startSmtp();
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            awaitDigestTicks(app, 2);
            assertThat(smtp.getReceivedMessages()).as("mail from an empty digest queue").isEmpty();

            List<ObjectNode> alerts = List.of(alert("low", "Low one"), alert("low", "Low two & <three>"), alert("low", "Low four"));
            for (ObjectNode a : alerts) {
                queues.send("graph.mail.digest", a.toString(), contract(a, "low", "created"));
            }
            awaitMails(smtp, 1);
            awaitDigestTicks(app, 2);

            assertThat(smtp.getReceivedMessages()).hasSize(1);
            MimeMessage digest = smtp.getReceivedMessages()[0];
            assertThat(digest.getAllRecipients()).extracting(Address::toString).containsExactly("soc-digest@example.org");
            assertThat(digest.getSubject()).isEqualTo("[Graph digest] 3 alerts: 3 low");
            MimeMultipart parts = (MimeMultipart) digest.getContent();
            String text = (String) parts.getBodyPart(0).getContent();
            String html = (String) parts.getBodyPart(1).getContent();
            for (ObjectNode a : alerts) {
                String shortId = a.get("id").asText().substring(0, 10) + "…";
                assertThat(text).contains(a.get("title").asText(), shortId, a.get("alertWebUrl").asText());
                assertThat(html).contains(shortId, "<a href=\"" + a.get("alertWebUrl").asText() + "\">");
            }
            assertThat(html).contains("Low two &amp; &lt;three&gt;").doesNotContain("<three>");
            assertThat(queues.leftAfterCompletion("graph.mail.digest")).isEmpty();
        }
    }

    @Test
    void while_smtp_is_down_nothing_is_lost_and_everything_is_mailed_when_it_is_back() throws Exception {
        props.put("graph.mail.max-retries", "10");
        props.put("graph.mail.retry-delay-ms", "200");
        ObjectNode urgent = alert("high", "Ransomware behavior detected");
        ObjectNode low1 = alert("low", "Low while down 1");
        ObjectNode low2 = alert("informational", "Informational while down 2");
        try (LogCapture log = new LogCapture(Map.of());
                RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            queues.send("graph.mail", urgent.toString(), contract(urgent, "high", "created"));
            queues.send("graph.mail.digest", low1.toString(), contract(low1, "low", "created"));
            queues.send("graph.mail.digest", low2.toString(), contract(low2, "informational", "created"));

            // Both paths met the dead SMTP port at least once before it comes up.
            await().atMost(Duration.ofSeconds(20)).until(() -> log.contains("On delivery attempt: 1")
                    && log.contains("Mail digest not sent, its alerts stay queued for the next period"));
            GreenMail smtp = startSmtp();

            await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length >= 3);
            awaitDigestTicks(app, 1);
            Map<String, List<String>> subjectsByRecipient = subjectsByMailbox(smtp);
            assertThat(subjectsByRecipient).containsOnlyKeys("soc-lead@example.org", "oncall@example.org",
                    "soc-digest@example.org");
            for (String r : HIGH) {
                assertThat(subjectsByRecipient.get(r)).singleElement().asString().contains("Ransomware behavior detected");
            }
            assertThat(subjectsByRecipient.get("soc-digest@example.org"))
                    .containsExactly("[Graph digest] 2 alerts: 1 informational, 1 low");
            assertThat(queues.leftAfterCompletion("graph.mail.dead-letter")).isEmpty();
            assertThat(queues.leftAfterCompletion("graph.mail")).isEmpty();
            assertThat(queues.leftAfterCompletion("graph.mail.digest")).isEmpty();
        }
    }

    @Test
    void after_the_retry_budget_or_at_once_for_a_malformed_body_the_message_is_dead_lettered_with_the_reason() throws Exception {
        // Nothing listens on smtpPort: every attempt is refused.
        ObjectNode alert = alert("medium", "Unmailable");
        ObjectNode fine = alert("low", "Fine in the digest");
        try (RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            queues.send("graph.mail", "{\"id\": \"broken", Map.of("graphAlertId", "broken-1", "graphRoute", "high"));
            queues.send("graph.mail", alert.toString(), contract(alert, "medium", "reopened"));
            queues.send("graph.mail.digest", "[1, 2]", Map.of("graphAlertId", "broken-2", "graphRoute", "low"));

            List<Received> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dead.addAll(queues.drain("graph.mail.dead-letter"));
                return dead.size() >= 3;
            });
            Map<String, Received> byId = dead.stream().collect(Collectors.toMap(m -> m.property("graphAlertId"), m -> m));
            assertThat(byId).containsOnlyKeys("broken-1", "broken-2", alert.get("id").asText());
            assertThat(byId.get("broken-1").property("graphDeadLetterReason")).startsWith("body is not JSON: ");
            assertThat(byId.get("broken-1").body()).isEqualTo("{\"id\": \"broken");
            assertThat(byId.get("broken-2").property("graphDeadLetterReason")).isEqualTo("body is not a JSON object but array");
            assertThat(byId.get("broken-2").body()).isEqualTo("[1, 2]");
            Received unmailable = byId.get(alert.get("id").asText());
            assertThat(unmailable.property("graphDeadLetterReason")).contains("Couldn't connect to host").contains(String.valueOf(smtpPort));
            assertThat(unmailable.body()).isEqualTo(alert.toString());
            assertThat(unmailable.property("graphEventType")).isEqualTo("reopened");

            // The digest went on without the malformed message: once SMTP is there, the valid alert is mailed.
            queues.send("graph.mail.digest", fine.toString(), contract(fine, "low", "created"));
            GreenMail smtp = startSmtp();
            awaitMails(smtp, 1);
            assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("[Graph digest] 1 alert: 1 low");
            assertThat(queues.leftAfterCompletion("graph.mail")).isEmpty();
        }
    }

    @Test
    void smtp_authentication_works_and_the_password_never_reaches_the_log() throws Exception {
        GreenMail smtp = startSmtp();
        smtp.getUserManager().setAuthRequired(true);
        smtp.setUser("relay@example.org", "relay", SMTP_PASSWORD);
        props.put("graph.mail.smtp.user", "relay");
        props.put("graph.mail.smtp.password", SMTP_PASSWORD);
        ObjectNode alert = alert("high", "Credential theft");
        try (LogCapture log = new LogCapture(Map.of("io.graphsec.routes.mail", Level.DEBUG,
                "org.apache.camel.component.mail", Level.DEBUG, "org.apache.camel.processor.errorhandler", Level.DEBUG));
                RunningApp app = RunningApp.start(props); Queues queues = new Queues(brokerPort)) {
            queues.send("graph.mail", alert.toString(), contract(alert, "high", "severityRaised"));
            awaitMails(smtp, 2);
            assertThat(smtp.getReceivedMessages()[0].getSubject()).startsWith("[Graph HIGH] Severity raised: Credential theft");

            // The server stops accepting the password: the failure path (retries, dead letter) must not show it either.
            smtp.getUserManager().getUser("relay").setPassword("changed-on-the-server");
            ObjectNode refused = alert("high", "Refused by the server");
            queues.send("graph.mail", refused.toString(), contract(refused, "high", "created"));
            List<Received> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> dead.addAll(queues.drain("graph.mail.dead-letter")));
            assertThat(dead).singleElement().satisfies(m -> {
                assertThat(m.property("graphAlertId")).isEqualTo(refused.get("id").asText());
                assertThat(m.property("graphDeadLetterReason")).containsIgnoringCase("auth").doesNotContain(SMTP_PASSWORD);
                assertThat(m.properties().toString()).doesNotContain(SMTP_PASSWORD);
            });
            assertThat(smtp.getReceivedMessages()).hasSize(2);

            assertThat(log.text()).as("the captured log covers the SMTP conversation and its failures")
                    .contains("Connecting to 127.0.0.1:" + smtpPort, "On delivery attempt: 2", "Mail dead-lettered")
                    .doesNotContain(SMTP_PASSWORD);
            assertThat(app.context().getEndpoints()).allSatisfy(e -> assertThat(e.getEndpointUri()).doesNotContain(SMTP_PASSWORD));
        }
    }

    @Test
    void without_an_smtp_host_each_mail_is_previewed_in_the_log() throws Exception {
        props.remove("graph.mail.smtp.host");
        ObjectNode alert = alert("medium", "Suspicious inbox rule");
        // The description is the attacker's text: a line of it must not pass for a log record.
        alert.put("description", "Rule created.\r\n2026-12-03 12:00:00.000 INFO  [main] graph-poll: forged record");
        try (LogCapture log = new LogCapture(Map.of()); RunningApp app = RunningApp.start(props);
                Queues queues = new Queues(brokerPort)) {
            queues.send("graph.mail", alert.toString(), contract(alert, "medium", "created"));
            await().atMost(Duration.ofSeconds(20)).until(() -> log.contains("Mail preview"));
            String preview = log.lines().stream().filter(l -> l.contains("Mail preview")).findFirst().orElseThrow();
            assertThat(preview).contains("to soc@example.org", "Subject: [Graph MEDIUM] Suspicious inbox rule (",
                    "Open in Microsoft Defender: " + alert.get("alertWebUrl").asText()).doesNotContain("<html");
            List<String> lines = List.of(preview.split("\n"));
            assertThat(lines.subList(1, lines.size())).as("every line after the first is indented behind |")
                    .allSatisfy(l -> assertThat(l).startsWith("    |"));
            assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo("    | 2026-12-03 12:00:00.000 INFO  [main] graph-poll: forged record"));
            assertThat(queues.leftAfterCompletion("graph.mail.dead-letter")).isEmpty();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private GreenMail startSmtp() {
        GreenMail smtp = LoopbackSmtp.on(smtpPort);
        smtp.start();
        smtpServers.add(smtp);
        return smtp;
    }

    /** The subjects each mailbox received (GreenMail stores one copy per envelope recipient). */
    private static Map<String, List<String>> subjectsByMailbox(GreenMail smtp) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (GreenMailUser user : smtp.getUserManager().listUser()) {
            out.put(user.getEmail(), smtp.findReceivedMessages(u -> u.equals(user), m -> true).map(m -> {
                try {
                    return m.getSubject();
                } catch (jakarta.mail.MessagingException e) {
                    throw new IllegalStateException(e);
                }
            }).toList());
        }
        return out;
    }

    /** GreenMail's own wait counts only mail arriving after it is called, which can be too late. */
    private static void awaitMails(GreenMail smtp, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length >= count);
    }

    private ObjectNode alert(String severity, String title) {
        ObjectNode a = tenant.newAlert(Instant.now().minusSeconds(60), severity);
        a.put("title", title);
        return a;
    }

    /** The headers the alert routes put on a work-queue message (the message contract). */
    private static Map<String, String> contract(ObjectNode alert, String severity, String event) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("graphEntityType", "alert");
        h.put("graphEventType", event);
        h.put("graphAlertId", alert.get("id").asText());
        h.put("graphIncidentId", alert.get("incidentId").asText());
        h.put("graphIncidentDisplayName", "<b>Contoso</b> multi-stage incident");
        h.put("graphLastUpdateDateTime", alert.get("lastUpdateDateTime").asText());
        h.put("graphSeverity", severity);
        h.put("graphRoute", severity);
        h.put("graphStatus", alert.get("status").asText());
        h.put("graphPortalUrl", alert.get("alertWebUrl").asText());
        h.put("graphEvidenceSummary", "{\"users\":[\"alice@contoso.com\",\"\\\"><svg onload=alert(3)>\"],"
                + "\"devices\":[\"ws-0042.contoso.com\"],\"ips\":[\"203.0.113.7\"],\"evidenceCount\":4}");
        h.put("graphTenantId", SimulatedTenant.TENANT);
        return h;
    }

    private static void awaitDigestTicks(RunningApp app, int ticks) {
        NotifyBuilder done = new NotifyBuilder(app.context()).fromRoute("graph-mail-digest").whenDone(ticks).create();
        await().atMost(Duration.ofSeconds(20)).until(done::matches);
    }
}
