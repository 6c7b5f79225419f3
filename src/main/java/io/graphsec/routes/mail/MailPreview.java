package io.graphsec.routes.mail;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The log text of a mail that is previewed instead of sent. The body holds the alert's description,
 * written by whoever triggered the alert: each of its lines is indented behind {@code | } so that no
 * line of it can pass for a log record of its own.
 */
public final class MailPreview {

    public String text(Exchange exchange) {
        Message in = exchange.getIn();
        StringBuilder b = new StringBuilder("Mail preview (no graph.mail.smtp.host set, nothing sent) to ")
                .append(MailText.line(in.getHeader("To", String.class), 1000))
                .append("\n    | Subject: ").append(MailText.line(in.getHeader("Subject", String.class), 1000))
                .append("\n    |");
        String body = MailText.block(in.getHeader("CamelMailAlternativeBody", String.class), 100_000);
        for (String line : body.split("\n", -1)) {
            b.append("\n    | ").append(line);
        }
        return b.toString();
    }
}
