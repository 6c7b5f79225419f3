package io.graphsec.routes.graph;

import io.graphsec.routes.state.Watermarks;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a poll's window starts, so a late-published alert is caught without every poll re-reading
 * the whole lag (on a busy tenant that re-read is several pages of alerts only to skip them).
 *
 * <p>Most polls reach back only a short {@code overlap} before the watermark. A sweep, due once
 * {@code interval} has passed since the last one ended, reaches back the whole {@code lag} before
 * where the last sweep ended: an alert stamped {@code t} and published by {@code t + lag} is then
 * read by the first sweep after it was published, because the sweep before that ended before
 * {@code t + lag}. Where the last sweep ended is kept next to the watermark ({@code <resource>.swept}),
 * so a restart keeps the promise; without it (a first start) the watermark stands in for it, as
 * every earlier poll reached back the whole lag. An overlap as long as the lag makes every poll a sweep.
 */
final class LagSweep {

    private final Duration lag;
    private final Duration overlap;
    private final Duration interval;
    private final Watermarks marks;
    private final String mark;
    private volatile Instant sweptTo;
    private volatile boolean read;

    LagSweep(Duration lag, Duration overlap, Duration interval, Watermarks marks, String resource) {
        this.lag = lag;
        this.overlap = overlap.compareTo(lag) > 0 ? lag : overlap;
        this.interval = interval;
        this.marks = marks;
        this.mark = resource + ".swept";
    }

    /** Where a window starts, and whether it is a sweep (reaching back the whole lag). */
    record Start(Instant at, boolean sweep) {
    }

    /**
     * The start of a window opened at {@code now} after {@code watermark}; {@code settled}: the last
     * window was read a lag or more after its end.
     */
    Start start(Instant watermark, Instant now, boolean settled) {
        Instant swept = sweptTo();
        if (swept == null || swept.isAfter(watermark)) {
            swept = watermark;
        }
        boolean sweep = overlap.equals(lag) || !now.isBefore(swept.plus(interval));
        if (sweep) {
            // A backlog window read a lag or more after the last sweep's end already saw everything before it.
            return new Start(settled && swept.equals(watermark) ? watermark : swept.minus(lag), true);
        }
        return new Start(watermark.minus(overlap), false);
    }

    /** After a window committed: a sweep's end is where the next sweep reaches back from. */
    void committed(boolean sweep, Instant windowEnd) {
        if (sweep && !overlap.equals(lag)) {
            marks.write(mark, windowEnd);
        }
        if (sweep) {
            sweptTo = windowEnd;
        }
    }

    /** How long delivered versions must be remembered: the oldest instant a sweep may read again. */
    Duration reach() {
        return lag.plus(lag).plus(overlap.equals(lag) ? Duration.ZERO : interval);
    }

    private Instant sweptTo() {
        if (!read) {
            Instant stored = marks.read(mark).orElse(null);
            if (sweptTo == null) {
                sweptTo = stored;
            }
            read = true;
        }
        return sweptTo;
    }
}
