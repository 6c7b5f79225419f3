package io.graphsec.routes.hunting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One hunt run for one slot: the time ranges still to ask Graph for (the hunt's timespan ending at
 * the slot, or its halves after a "result too large" answer), the rows collected so far, and the
 * splits made. The range is absolute ({@code start/end}), so running the same slot again asks for
 * exactly the same window.
 */
public final class HuntRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuntFile hunt;
    private final Instant slot;
    private final Deque<Range> ranges = new ArrayDeque<>();
    private final Map<String, HuntRowEvent> events = new LinkedHashMap<>();
    private final List<String> splits = new ArrayList<>();
    private int calls;
    private int rows;
    private volatile boolean failed;

    public HuntRun(HuntFile hunt, Instant slot) {
        this.hunt = hunt;
        this.slot = slot;
        ranges.push(new Range(slot.minus(hunt.timespan()), slot));
    }

    public HuntFile hunt() {
        return hunt;
    }

    public Instant slot() {
        return slot;
    }

    public boolean hasNextRange() {
        return !failed && !ranges.isEmpty();
    }

    /** The runHuntingQuery body for the next range (the action's parameters are query and timespan). */
    public String nextRequestBody() {
        ObjectNode body = JSON.createObjectNode();
        body.put("query", hunt.query());
        body.put("timespan", ranges.peek().timespan());
        calls++;
        return body.toString();
    }

    /** Graph answered the current range with rows: they join the run (a row seen twice counts once). */
    void answered(JsonNode results, HuntRowEvents mapper) {
        ranges.pop();
        for (JsonNode row : results) {
            rows++;
            HuntRowEvent event = mapper.eventOf(this, row);
            events.putIfAbsent(event.id() + "|" + event.time(), event);
        }
    }

    /**
     * Graph found the current range's result too large: it is asked again as two halves, unless
     * a half would be shorter than {@code minimum}.
     *
     * @return what was split, for the log
     */
    String split(Duration minimum) {
        Range r = ranges.peek();
        Duration half = r.span().dividedBy(2);
        if (half.compareTo(minimum) < 0) {
            throw new HuntRunException("hunt " + hunt.fileName() + " ('" + hunt.name() + "'): the result over "
                    + r.timespan() + " (" + r.span() + ") is still too large for Graph and halves would be shorter than"
                    + " graph.hunting.min-timespan " + minimum + "; narrow the query (fewer columns, a summarize)", true);
        }
        ranges.pop();
        Instant middle = r.from().plus(half);
        ranges.push(new Range(middle, r.to()));
        ranges.push(new Range(r.from(), middle));
        String how = r.timespan() + " (" + r.span() + ") into two halves of " + half;
        splits.add(how);
        return how;
    }

    /** The events of the run, one per distinct row, in the order Graph returned them. */
    public List<HuntRowEvent> events() {
        return List.copyOf(events.values());
    }

    public List<String> splits() {
        return List.copyOf(splits);
    }

    public int calls() {
        return calls;
    }

    public int rows() {
        return rows;
    }

    public boolean failed() {
        return failed;
    }

    void fail() {
        failed = true;
    }

    /** A half-open time range as Graph's {@code timespan} takes it. */
    record Range(Instant from, Instant to) {
        Duration span() {
            return Duration.between(from, to);
        }

        String timespan() {
            return from + "/" + to;
        }
    }

    /** A run that cannot finish; {@code permanent}: running the same slot again would fail the same way. */
    public static final class HuntRunException extends RuntimeException {
        private final boolean permanent;

        public HuntRunException(String message, boolean permanent) {
            super(message);
            this.permanent = permanent;
        }

        public boolean permanent() {
            return permanent;
        }
    }
}
