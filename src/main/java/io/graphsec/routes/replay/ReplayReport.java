package io.graphsec.routes.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a replay (or dry run) ended: refused up front, failed, or read to the end of its range; what
 * Graph counted, what was read, and per destination what went (or would go) there.
 */
public record ReplayReport(String id, ReplayRequest request, Long count, String refused, String failure,
                           boolean complete, long read, long deadLettered, Map<String, ReplayRun.Tally> destinations) {

    /** 0 only when every alert of the range was read and delivered (in a dry run: read and counted). */
    public int exitCode() {
        if (refused != null) {
            return 3;
        }
        return complete && failure == null && (request.dryRun() || deadLettered == 0) ? 0 : 1;
    }

    public long sent() {
        return destinations.values().stream().mapToLong(ReplayRun.Tally::count).sum();
    }

    /** What the command prints at the end: one line per destination, then the verdict. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        String verb = request.dryRun() ? "would go to" : "sent to";
        if (refused != null) {
            lines.add("Replay " + id + " refused: " + refused);
            return lines;
        }
        destinations.forEach((destination, tally) -> lines.add(String.format("  %6d %s %s (e.g. %s)",
                tally.count(), verb, destination, String.join(", ", tally.examples()))));
        if (destinations.isEmpty()) {
            lines.add("  nothing " + verb + " any destination");
        }
        lines.add(String.format("Replay %s%s %s: Graph counted %s, read %d, %s %d message(s)%s%s", id,
                request.dryRun() ? " (dry run)" : "", complete ? "complete" : "INCOMPLETE", count == null ? "?" : count,
                read, request.dryRun() ? "would send" : "sent", sent(),
                deadLettered > 0 ? ", " + deadLettered + " dead-lettered" : "",
                failure != null ? "; failed: " + failure : ""));
        return lines;
    }
}
