package io.graphsec.routes.graph;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spreads the polls of many tenants that share one schedule over its period. Every poll starts on
 * one of Quartz's few threads, and a tick not begun within a second (the misfire threshold) is
 * skipped: hundreds of tenants on the same second lose that race, the same ones tick after tick.
 * A cron whose seconds field is {@code S/P} (every P seconds from S) is moved by tenant {@code i}
 * of {@code n} to {@code ((S + i·P/n) mod P)/P}; one whose seconds field is a single second
 * {@code S} (every minute or longer: Quartz has no {@code 0/60}) to second {@code (S + i·60/n) mod 60};
 * any other cron is left as it is.
 */
public final class CronSpread {

    private static final Pattern EVERY_P_SECONDS = Pattern.compile("^(\\d{1,2})/(\\d{1,2})(\\s.*)$");
    private static final Pattern ONE_SECOND = Pattern.compile("^(\\d{1,2})(\\s.*)$");

    private CronSpread() {
    }

    /** The cron of tenant {@code index} (0-based) of {@code count} sharing {@code cron}. */
    public static String shift(String cron, int index, int count) {
        if (count < 2) {
            return cron;
        }
        Matcher once = ONE_SECOND.matcher(cron.trim());
        if (once.matches()) {
            int second = Integer.parseInt(once.group(1));
            return second > 59 ? cron : (second + (int) ((long) index * 60 / count)) % 60 + once.group(2);
        }
        Matcher m = EVERY_P_SECONDS.matcher(cron.trim());
        if (!m.matches()) {
            return cron;
        }
        int start = Integer.parseInt(m.group(1));
        int period = Integer.parseInt(m.group(2));
        if (period < 2 || period > 60 || start >= period) {
            return cron;
        }
        int offset = (int) ((long) index * period / count);
        return ((start + offset) % period) + "/" + period + m.group(3);
    }
}
