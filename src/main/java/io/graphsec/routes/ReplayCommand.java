package io.graphsec.routes;

import io.graphsec.routes.config.ConfigFolder;
import io.graphsec.routes.replay.DryRunComparison;
import io.graphsec.routes.replay.ReplayReport;
import io.graphsec.routes.replay.ReplayRequest;
import io.graphsec.routes.replay.Replays;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * {@code java -jar graph-security-routes.jar replay --from ... --to ... [--to-destination ...]
 * [--dry-run [--compare FOLDER FOLDER]]}: a one-shot run of the configuration folder's routes over a
 * range, beside the running instance. Only the flows fed by direct: start (no schedule, no queue
 * consumer, no webhook server), the running instance's broker is used over TCP, and the process
 * ends when the range is done: 0 when every alert of it was delivered, 1 when not, 2 for wrong
 * arguments, 3 when the range was refused (too long, too many alerts).
 */
public final class ReplayCommand {

    private ReplayCommand() {
    }

    /** Runs the command; {@code overrides} are properties as -D would give them. Returns the exit code. */
    public static int run(List<String> args, Map<String, String> overrides, PrintStream out) throws Exception {
        ReplayRequest request;
        try {
            request = ReplayRequest.parse(args, System.getProperty("user.name", "unknown"));
        } catch (IllegalArgumentException e) {
            out.println("replay: " + e.getMessage());
            return 2;
        }
        if (!request.compareFolders().isEmpty()) {
            return compare(request, overrides, out);
        }
        ReplayReport report;
        try {
            report = runOnce(request, overrides, out);
        } catch (IllegalArgumentException e) {
            out.println("replay: " + e.getMessage());
            return 2;
        }
        report.summary().forEach(out::println);
        return report.exitCode();
    }

    /** A dry run of each of two configuration folders over the same range, and what differs. */
    private static int compare(ReplayRequest request, Map<String, String> overrides, PrintStream out) throws Exception {
        List<ReplayReport> reports = new ArrayList<>();
        String before = System.getProperty(ConfigFolder.KEY);
        try {
            for (String folder : request.compareFolders()) {
                System.setProperty(ConfigFolder.KEY, folder);
                ReplayReport report = runOnce(request, overrides, out);
                out.println("Configuration " + folder + ":");
                report.summary().forEach(out::println);
                reports.add(report);
                if (report.exitCode() != 0) {
                    return report.exitCode();
                }
            }
        } finally {
            if (before == null) {
                System.clearProperty(ConfigFolder.KEY);
            } else {
                System.setProperty(ConfigFolder.KEY, before);
            }
        }
        out.println("Difference (" + request.compareFolders().get(0) + " -> " + request.compareFolders().get(1) + "):");
        DryRunComparison.of(reports.get(0), reports.get(1)).forEach(out::println);
        return 0;
    }

    private static ReplayReport runOnce(ReplayRequest request, Map<String, String> overrides, PrintStream out)
            throws Exception {
        Main main = GraphSecurityApplication.newMain();
        oneShot(request).forEach(main::addOverrideProperty);
        overrides.forEach(main::addOverrideProperty);
        main.start();
        try {
            out.println("Replay of " + request.collection() + " (tenant " + request.tenant() + ") from " + request.from()
                    + " to " + request.to() + (request.dryRun() ? ", dry run" : "") + "; progress in the log");
            return main.getCamelContext().getRegistry().lookupByNameAndType(Replays.BEAN, Replays.class).run(request);
        } finally {
            main.stop();
        }
    }

    /** What makes the application a one-shot run beside the running instance. */
    static Map<String, String> oneShot(ReplayRequest request) {
        Map<String, String> p = new LinkedHashMap<>();
        // Only the flows an alert goes through: no poll, no consumer of the work queues, no webhook server.
        // The severity router is made from its Kamelet when graph-alerts-route first names it: its routes
        // (graph-alerts-severity and its -router) are let in by id, as their input is not known when routes are filtered.
        p.put("camel.main.route-filter-include-pattern", "direct:*,graph-alerts-route,graph-alerts-severity*");
        // Its own name: Quartz finds a context by name, and the running instance's is graph-security-routes.
        p.put("camel.main.name", "graph-security-replay");
        p.put("camel.server.enabled", "false");
        p.put("camel.management.enabled", "false");
        p.put("graph.broker.embedded.connect-only", "true");
        p.put("graph.replay.one-shot", "true");
        p.put("graph.replay.dry-run", String.valueOf(request.dryRun()));
        return p;
    }
}
