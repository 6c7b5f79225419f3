package io.graphsec.routes.graph;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a poll's window to a backlog larger than one window may hold (a first run, a long outage):
 * it is read in several windows, each committed and moving the watermark, so catching up needs
 * memory for one window, not for the backlog.
 */
final class WindowFitter {

    /** Logged under the poller's name: operators follow one poll in one logger. */
    private static final Logger LOG = LoggerFactory.getLogger(CollectionPoller.class);
    /** The share of graph.alerts.max-window-alerts a guessed window of a backlog aims at. */
    private static final double TARGET_WINDOW_SHARE = 0.8;

    private final PollSettings settings;
    private final PageLinks links;

    WindowFitter(PollSettings settings, PageLinks links) {
        this.settings = settings;
        this.links = links;
    }

    /**
     * The span the next window starts with while a backlog is read: the last window's, scaled so that
     * it would have held about {@value #TARGET_WINDOW_SHARE} of the most a window may (the density of
     * a backlog varies), within a quarter and four times the last one.
     */
    Duration spanAfter(PollProgress p) {
        double scale = TARGET_WINDOW_SHARE * settings.maxWindowItems() / Math.max(1, p.fetched);
        long millis = Duration.between(p.windowStart, p.windowEnd).toMillis();
        return Duration.ofMillis(Math.max(1, (long) (millis * Math.min(4.0, Math.max(0.25, scale)))));
    }

    /**
     * The window's end is found by bisection on the first page's {@code @odata.count}: too many
     * items, end earlier; under a quarter of the limit after having been too many, end later.
     * Returns true when the window changed and must be read from its start.
     */
    boolean refit(PollProgress p) {
        if (settings.snapshot()) {
            return false;
        }
        long max = settings.maxWindowItems();
        boolean tooBig = p.expectedCount > max;
        boolean tooSmall = p.endTooBig != null && p.expectedCount < max / 4;
        if ((!tooBig && !tooSmall) || p.fitAttempts >= 30) {
            return false;
        }
        if (tooBig && settings.maxSkip() > 0 && p.windowStart.isBefore(p.previousWatermark)) {
            return dropOverlap(p);
        }
        if (tooBig) {
            p.endTooBig = p.windowEnd;
        } else {
            p.endSmallEnough = p.windowEnd;
        }
        // Never end a window at or before the last watermark: the watermark would move back, and the
        // next poll would find the same crowd again.
        Instant floor = p.previousWatermark.isAfter(p.windowStart) ? p.previousWatermark : p.windowStart;
        Instant low = p.endSmallEnough == null ? floor : p.endSmallEnough;
        Instant end = low.plusMillis((p.endTooBig.toEpochMilli() - low.toEpochMilli()) / 2);
        if (!end.isAfter(low) || !end.isBefore(p.endTooBig)) {
            return false;
        }
        p.fitAttempts++;
        LOG.info("{}: {} items in the window up to {} (at most {} a window); reading up to {} first",
                settings.resource(), p.expectedCount, p.windowEnd, max, end);
        p.narrowTo(end, links.first(p.windowStart, end));
        return true;
    }

    /**
     * A window too big for a collection whose $skip is limited (legacy alerts: 500): the re-read
     * overlap before the watermark goes first, since with a burst within the lag it alone could
     * hold more than a window may and the poll would crawl. This poll starts at the watermark,
     * giving up the re-read of late alerts for it, and says so; then the end is fitted as usual.
     */
    private boolean dropOverlap(PollProgress p) {
        LOG.warn("{}: {} items in the window, more than its $skip limit lets one window hold ({}); this poll reads"
                + " from the watermark {} on (items published late before it are not read again)", settings.resource(),
                p.expectedCount, settings.maxWindowItems(), p.previousWatermark);
        p.fitAttempts++;
        p.startAt(p.previousWatermark, links.first(p.previousWatermark, p.windowEnd));
        return true;
    }
}
