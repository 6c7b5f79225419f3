package io.graphsec.routes.mail;

/**
 * One mail, ready for camel-mail: {@code html} becomes the body, {@code text} the plain-text
 * alternative. Every value taken from an alert is already made safe for where it goes (see
 * {@link MailText}); {@code to} is a comma list from configuration, never from the alert.
 */
public record Mail(String to, String from, String subject, String text, String html) {

    public boolean hasRecipients() {
        return to != null && !to.isBlank();
    }
}
