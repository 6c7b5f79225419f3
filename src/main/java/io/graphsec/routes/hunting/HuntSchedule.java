package io.graphsec.routes.hunting;

import io.graphsec.routes.state.Watermarks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.quartz.CronExpression;

/**
 * Which hunts are due at a tick: a hunt is due when its cron has a slot after the last slot it ran
 * for (kept under the state directory, so a restart does not run a slot again) and not after now.
 * After downtime only the latest missed slot runs: the hunt's timespan already covers the gap
 * when it is at least the interval, and a backlog of identical queries would only spend quota.
 * A hunt never run waits for its first slot after the start.
 */
public final class HuntSchedule {

    private final List<HuntFile> hunts;
    private final Watermarks slots;
    private final Clock clock;
    private final Instant started;

    public HuntSchedule(List<HuntFile> hunts, Watermarks slots, Clock clock) {
        this.hunts = List.copyOf(hunts);
        this.slots = slots;
        this.clock = clock;
        this.started = clock.instant();
    }

    public List<HuntFile> hunts() {
        return hunts;
    }

    /** The hunts due now, each with the slot it runs for. */
    public List<HuntRun> due() {
        Instant now = clock.instant();
        List<HuntRun> due = new ArrayList<>();
        for (HuntFile hunt : hunts) {
            Instant after = slots.read(stateName(hunt)).orElse(started);
            latestSlot(hunt.cron(), after, now).ifPresent(slot -> due.add(new HuntRun(hunt, slot)));
        }
        return due;
    }

    /** The slot has run (or cannot run, e.g. a query Graph refuses): it is not due again. */
    public void ran(HuntRun run) {
        slots.write(stateName(run.hunt()), run.slot());
    }

    static String stateName(HuntFile hunt) {
        return "hunting-" + hunt.slug();
    }

    /**
     * The latest fire time of the cron in {@code (after, now]}. Quartz only looks forward, so this
     * looks back from now in doubling steps until a fire time is in reach, then walks forward: a few
     * steps whatever the cron's frequency and however long the downtime.
     */
    static Optional<Instant> latestSlot(CronExpression cron, Instant after, Instant now) {
        Instant first = next(cron, after);
        if (first == null || first.isAfter(now)) {
            return Optional.empty();
        }
        Instant from = after;
        for (Duration back = Duration.ofSeconds(1); now.minus(back).isAfter(after); back = back.multipliedBy(2)) {
            Instant t = next(cron, now.minus(back));
            if (t != null && !t.isAfter(now)) {
                from = now.minus(back);
                break;
            }
        }
        Instant latest = first;
        for (Instant t = next(cron, from); t != null && !t.isAfter(now); t = next(cron, t)) {
            latest = t.isAfter(latest) ? t : latest;
        }
        return Optional.of(latest);
    }

    private static Instant next(CronExpression cron, Instant after) {
        Date d = cron.getTimeAfter(Date.from(after));
        return d == null ? null : d.toInstant();
    }
}
