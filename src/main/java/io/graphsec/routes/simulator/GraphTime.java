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
