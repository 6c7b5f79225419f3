package io.graphsec.routes.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The renderer alone: what attacker-controlled alert text can and cannot do to a mail. */
class MailRenderingTest {

    private static final String MARK = "<x onmouseover=alert(1)>";
    private final AlertMailRenderer renderer = new AlertMailRenderer(Map.of("high", "a@example.org",
            "low", "digest@example.org", "informational", "digest@example.org", "medium", ""), "from@example.org");

    @Test
    void no_control_format_or_line_separator_character_reaches_the_subject_and_it_stays_short() {
        String title = "A\r\nBcc: evil@example.com\u0000\u001b[31m\u2028\u2029\u202Egnp.exe\t" + "x".repeat(100_000);
        Mail mail = renderer.alert(alertJson(title, "d"), headers("high"));
        assertThat(mail.subject()).startsWith("[Graph HIGH] A Bcc: evil@example.com [31m gnp.exe x")
                .hasSizeLessThan(160)
                .doesNotContainPattern("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");
        assertThat(mail.html()).hasSizeLessThan(10_000);
        assertThat(mail.to()).isEqualTo("a@example.org");
    }

    @Test
    void every_value_from_the_alert_is_escaped_in_the_html_part() {
        Map<String, Object> h = headers("high");
        h.put("graphStatus", MARK);
        h.put("graphEventType", MARK);
        h.put("graphPreviousSeverity", MARK);
        h.put("graphIncidentDisplayName", MARK);
        h.put("graphIncidentId", MARK);
        h.put("graphLastUpdateDateTime", MARK);
        h.put("graphEvidenceSummary", "{\"users\":[\"" + MARK + "\"],\"files\":[\"" + MARK + "\"],\"urls\":[\"" + MARK + "\"]}");
        String json = "{\"id\":\"da637e1f2c3b4a5d6e7f\",\"title\":\"" + MARK + "\",\"description\":\"" + MARK
                + "\",\"recommendedActions\":\"" + MARK + "\",\"firstActivityDateTime\":\"" + MARK + "\"}";
        Mail mail = renderer.alert(json, h);
        assertThat(mail.html()).doesNotContain("<x").contains("&lt;x onmouseover=alert(1)&gt;");
        assertThat(mail.text()).contains(MARK);
    }

    @Test
    void only_plain_https_links_are_linked() {
        for (String bad : List.of("javascript:alert(1)", "http://example.com/a", "https://a.example/\"onmouseover=alert(1)",
                "https://a.example/<b>", "https://a.example/x\r\nBcc: e@example.com")) {
            Map<String, Object> h = headers("high");
            h.put("graphPortalUrl", bad);
            Mail mail = renderer.alert(alertJson("t", "d"), h);
            assertThat(mail.html()).as(bad).doesNotContain("href=");
            assertThat(mail.text()).as(bad).doesNotContain("Open in Microsoft Defender");
        }
        Map<String, Object> h = headers("high");
        h.put("graphPortalUrl", "https://security.microsoft.com/alerts/da637?tid=t&x=1");
        assertThat(renderer.alert(alertJson("t", "d"), h).html())
                .contains("<a href=\"https://security.microsoft.com/alerts/da637?tid=t&amp;x=1\">");
    }

    @Test
    void a_digest_is_one_mail_per_recipient_list_and_none_for_a_severity_without_recipients() {
        List<AlertView> alerts = List.of(view("low", "L1"), view("high", "H1"), view("informational", "I1"),
                view("medium", "M1"), view("low", "L2"));
        List<Mail> mails = renderer.digest(alerts);
        assertThat(mails).extracting(Mail::to).containsExactly("digest@example.org", "a@example.org");
        assertThat(mails.get(0).subject()).isEqualTo("[Graph digest] 3 alerts: 1 informational, 2 low");
        assertThat(mails.get(0).text()).contains("L1", "I1", "L2").doesNotContain("H1", "M1");
        assertThat(mails.get(1).subject()).isEqualTo("[Graph digest] 1 alert: 1 high");
        assertThat(renderer.digest(List.of())).isEmpty();
    }

    @Test
    void a_body_that_is_no_json_object_cannot_be_rendered_and_says_why() {
        assertThatThrownBy(() -> renderer.alert("{\"id\": ", headers("high")))
                .isInstanceOf(UnrenderableAlertException.class).hasMessageStartingWith("body is not JSON: ");
        assertThatThrownBy(() -> renderer.alert("[1]", headers("high")))
                .isInstanceOf(UnrenderableAlertException.class).hasMessage("body is not a JSON object but array");
        assertThatThrownBy(() -> renderer.alert("  ", headers("high")))
                .isInstanceOf(UnrenderableAlertException.class).hasMessage("body is empty: expected the alert's Graph JSON");
    }

    @Test
    void an_unknown_severity_goes_to_triage_recipients_and_says_unknown() {
        AlertMailRenderer triage = new AlertMailRenderer(Map.of("triage", "t@example.org"), "f@example.org");
        Map<String, Object> h = new HashMap<>();
        Mail mail = triage.alert("{\"id\":\"abc\",\"title\":\"T\",\"severity\":\"critical\"}", h);
        assertThat(mail.to()).isEqualTo("t@example.org");
        assertThat(mail.subject()).isEqualTo("[Graph UNKNOWN] T (abc)");
    }

    private AlertView view(String severity, String title) {
        Map<String, Object> h = headers(severity);
        return renderer.read(alertJson(title, "d"), name -> h.get(name) == null ? null : h.get(name).toString());
    }

    private static String alertJson(String title, String description) {
        return "{\"id\":\"da637e1f2c3b4a5d6e7f\",\"title\":" + quote(title) + ",\"description\":" + quote(description)
                + ",\"status\":\"new\"}";
    }

    private static Map<String, Object> headers(String severity) {
        Map<String, Object> h = new HashMap<>();
        h.put("graphEntityType", "alert");
        h.put("graphEventType", "created");
        h.put("graphAlertId", "da637e1f2c3b4a5d6e7f");
        h.put("graphSeverity", severity);
        h.put("graphRoute", severity);
        h.put("graphPortalUrl", "https://security.microsoft.com/alerts/da637e1f2c3b4a5d6e7f");
        return h;
    }

    private static String quote(String s) {
        return new com.fasterxml.jackson.databind.node.TextNode(s).toString();
    }
}
