package io.graphsec.routes.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/** Graph's DateTimeOffset wire form (seven fractional digits, UTC) and a clock that never repeats a value. */
final class GraphTime {

    private static final DateTimeFormatter WIRE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final AtomicLong LAST_MICROS = new AtomicLong();

    private GraphTime() {
    }

    static String format(Instant t) {
        return WIRE.format(t);
    }

    /** Whether date-time {@code a} is after {@code b}; a value that is not a date-time is never later, and anything beats one. */
    static boolean later(String a, String b) {
        Instant x = parse(a);
        Instant y = parse(b);
        return x != null && (y == null || x.isAfter(y));
    }

    private static Instant parse(String text) {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Now, strictly after any value handed out before: two updates in the same microsecond must
     * still be ordered, or a watermark could not tell them apart.
     */
    static Instant uniqueNow() {
        long now = Instant.now().toEpochMilli() * 1000 + (System.nanoTime() / 1000) % 1000;
        long micros = LAST_MICROS.updateAndGet(prev -> Math.max(prev + 1, now));
        return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
    }
}
