package io.graphsec.routes.replay;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What two dry runs of the same range differ in: per destination the counts, and a few alerts that moved. */
public final class DryRunComparison {

    private static final int MOVED_EXAMPLES = 5;

    private DryRunComparison() {
    }

    public static List<String> of(ReplayReport deployed, ReplayReport changed) {
        Set<String> all = new LinkedHashSet<>(deployed.destinations().keySet());
        all.addAll(changed.destinations().keySet());
        List<String> lines = new ArrayList<>();
        for (String destination : all) {
            long a = count(deployed.destinations(), destination);
            long b = count(changed.destinations(), destination);
            lines.add(String.format("  %-40s %6d -> %6d%s", destination, a, b, a == b ? "" : String.format(" (%+d)", b - a)));
        }
        Map<String, String> moved = new TreeMap<>();
        for (String destination : all) {
            Set<String> after = ids(changed.destinations(), destination);
            for (String id : ids(deployed.destinations(), destination)) {
                if (!after.contains(id) && moved.size() < MOVED_EXAMPLES) {
                    moved.merge(id, destination + " -> " + wherever(changed, id), (x, y) -> x + "; " + y);
                }
            }
        }
        moved.entrySet().forEach(e -> lines.add("  e.g. " + e.getKey() + ": " + e.getValue()));
        if (moved.isEmpty() && lines.stream().noneMatch(l -> l.contains("("))) {
            lines.add("  no difference");
        }
        return lines;
    }

    private static String wherever(ReplayReport report, String id) {
        List<String> now = report.destinations().entrySet().stream().filter(e -> e.getValue().ids().contains(id))
                .map(Map.Entry::getKey).toList();
        return now.isEmpty() ? "nowhere" : String.join(", ", now);
    }

    private static long count(Map<String, ReplayRun.Tally> d, String destination) {
        ReplayRun.Tally t = d.get(destination);
        return t == null ? 0 : t.count();
    }

    private static Set<String> ids(Map<String, ReplayRun.Tally> d, String destination) {
        ReplayRun.Tally t = d.get(destination);
        return t == null ? Set.of() : t.ids();
    }
}
