package io.graphsec.routes.mail;

import java.util.regex.Pattern;

/**
 * Alert titles, descriptions and evidence are written by whoever triggered the alert. Before any of
 * it reaches a mail it goes through here: one line for headers and table cells (no CR/LF, no
 * control or bidi-override character, capped), a block for the plain-text part, escaping for HTML.
 * Jakarta Mail passes an ASCII subject with CRLF through unencoded, so the header is never left to it.
 */
final class MailText {

    /** C0/C1 controls, format characters (bidi overrides, zero-width), line and paragraph separators. */
    private static final Pattern NOT_IN_A_LINE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]+");
    private static final Pattern NOT_IN_A_BLOCK = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}&&[^\\n\\t]]+");
    private static final Pattern SAFE_LINK = Pattern.compile("https://[^\\s\\p{Cntrl}\"'<>\\\\`]+");
    private static final int MAX_LINK = 2000;

    private MailText() {
    }

    /** One line, at most {@code max} characters: safe in a header and a table cell once escaped for HTML. */
    static String line(String s, int max) {
        if (s == null) {
            return "";
        }
        String flat = NOT_IN_A_LINE.matcher(s).replaceAll(" ").replaceAll(" {2,}", " ").trim();
        return cap(flat, max);
    }

    /** Several lines (\n only), at most {@code max} characters. */
    static String block(String s, int max) {
        if (s == null) {
            return "";
        }
        String lines = s.replace("\r\n", "\n").replace('\r', '\n');
        return cap(NOT_IN_A_BLOCK.matcher(lines).replaceAll(" ").strip(), max);
    }

    static String cap(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        // Never cut a surrogate pair in half.
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }

    static String html(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A block as HTML: escaped, line breaks kept. */
    static String htmlBlock(String block) {
        return html(block).replace("\n", "<br>\n");
    }

    /** The link if it is a plain https URL (upstream validated it already; a mail is another sink), else null. */
    static String link(String url) {
        return url != null && url.length() <= MAX_LINK && SAFE_LINK.matcher(url).matches() ? url : null;
    }
}
