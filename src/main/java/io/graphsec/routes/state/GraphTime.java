package io.graphsec.routes.state;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;

/**
 * Whether a text is an ISO-8601 instant, as {@link Instant#parse} decides, without its cost for
 * the form Graph sends ({@code uuuu-MM-ddTHH:mm:ss[.fffffff]Z}): that check ran for every item
 * of every page and took 4 % of the poll thread (docs/performance.md).
 */
public final class GraphTime {

    private static final int[] DIGITS = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};

    private GraphTime() {
    }

    public static boolean isValid(String text) {
        if (hasGraphShape(text)) {
            try {
                toTheSecond(text);
                return true;
            } catch (DateTimeException outOfRange) {
                // 24:00, a leap second, 30 February...: Instant.parse has the last word below.
            }
        }
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /**
     * The date and time, to the second, of a text whose first 19 characters are
     * {@code dddd-dd-ddTdd:dd:dd}; a {@link DateTimeException} if a field is out of range.
     */
    public static LocalDateTime toTheSecond(String t) {
        return LocalDateTime.of(number(t, 0, 4), number(t, 5, 2), number(t, 8, 2), number(t, 11, 2),
                number(t, 14, 2), number(t, 17, 2));
    }

    /** {@code dddd-dd-ddTdd:dd:dd}, then nothing or a dot and 1 to 9 digits, then Z. */
    private static boolean hasGraphShape(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return false;
        }
        for (int i : DIGITS) {
            if (!isDigit(t.charAt(i))) {
                return false;
            }
        }
        if (n == 20) {
            return true;
        }
        if (t.charAt(19) != '.' || n < 22 || n > 30) {
            return false;
        }
        for (int i = 20; i < n - 1; i++) {
            if (!isDigit(t.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int number(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            v = v * 10 + s.charAt(i) - '0';
        }
        return v;
    }
}
