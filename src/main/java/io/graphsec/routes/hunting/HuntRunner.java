package io.graphsec.routes.hunting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.health.PollMetrics;
import io.graphsec.routes.state.DeliveredVersions;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of routes/7-hunting.camel.yaml that need Java: which hunts are due, reading each answer
 * (rows, or "result too large" and a split of the range), which rows are new, and what a finished
 * or failed run leaves behind (the slot marked, the rows remembered, the log line, the metrics).
 */
public final class HuntRunner {

    /** Exchange property holding the {@link HuntRun} of a hunting exchange. */
    public static final String RUN = "graphHuntRun";
    /** Header the too-large handler of routes/9-errors.camel.yaml sets instead of failing the call. */
    public static final String TOO_LARGE = "graphHuntingTooLarge";

    private static final Logger LOG = LoggerFactory.getLogger(HuntRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HuntSchedule schedule;
    private final DeliveredVersions seenRows;
    private final HuntRowEvents rowEvents;
    private final Duration minTimespan;
    private final PollMetrics metrics;
    private final Clock clock;
    private final String queryUrl;

    /** {@code graphBaseUrl}: the Graph root of the tenant the hunts run on. */
    public HuntRunner(HuntSchedule schedule, DeliveredVersions seenRows, HuntRowEvents rowEvents, Duration minTimespan,
                      PollMetrics metrics, Clock clock, String graphBaseUrl) {
        this.queryUrl = graphBaseUrl + "/v1.0/security/runHuntingQuery";
        this.schedule = schedule;
        this.seenRows = seenRows;
        this.rowEvents = rowEvents;
        this.minTimespan = minTimespan;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The hunts due at this tick. */
    public List<HuntRun> due() {
        return schedule.due();
    }

    /** Where every hunt is asked: Graph's runHuntingQuery. */
    public String queryUrl() {
        return queryUrl;
    }

    /** The exchange becomes the run of its body. */
    public void start(Exchange exchange) {
        HuntRun run = exchange.getIn().getBody(HuntRun.class);
        exchange.setProperty(RUN, run);
        LOG.debug("Hunt {} ('{}'): running slot {}", run.hunt().fileName(), run.hunt().name(), run.slot());
    }

    /** After a runHuntingQuery call: its rows join the run, or a too-large range is split in two. */
    public void answer(Exchange exchange) throws IOException {
        HuntRun run = run(exchange);
        if (exchange.getIn().getHeader(TOO_LARGE, false, Boolean.class)) {
            String how = run.split(minTimespan);
            LOG.info("Hunt {} ('{}'): Graph found the result too large; splitting {}", run.hunt().fileName(),
                    run.hunt().name(), how);
            count(exchange, "graph_hunting_splits", run.hunt().slug());
            return;
        }
        JsonNode answer = JSON.readTree(exchange.getIn().getBody(String.class));
        JsonNode results = answer == null ? null : answer.get("results");
        if (results == null || !results.isArray()) {
            throw new HuntRun.HuntRunException("hunt " + run.hunt().fileName() + ": Graph's answer has no results array",
                    false);
        }
        run.answered(results, rowEvents);
    }

    /** The run's events not delivered before (same row and time): re-running a window adds nothing. */
    public List<HuntRowEvent> newEvents(Exchange exchange) {
        return run(exchange).events().stream().filter(e -> seenRows.isNew(e.id(), e.time())).toList();
    }

    /** Once every new event was routed: they are remembered and the slot is not run again. */
    public void finished(Exchange exchange) {
        HuntRun run = run(exchange);
        if (run.failed()) {
            return;
        }
        List<HuntRowEvent> routed = newEvents(exchange);
        seenRows.remember(routed.stream()
                .map(e -> (Map.Entry<String, String>) new AbstractMap.SimpleEntry<>(e.id(), e.time())).toList());
        seenRows.forgetOlderThan(clock.instant().minus(HuntFile.MAX_TIMESPAN).minus(Duration.ofDays(1)));
        schedule.ran(run);
        count(exchange, "graph_hunting_runs", run.hunt().slug());
        metrics.count(exchange, "graph_hunting_events", routed.size(), "hunt", run.hunt().slug());
        LOG.info("Hunt {} ('{}') slot {}: {} row(s) in {} call(s){}, {} new event(s) routed as {}",
                run.hunt().fileName(), run.hunt().name(), run.slot(), run.rows(), run.calls(),
                run.splits().isEmpty() ? "" : " (split " + run.splits().size() + " time(s))", routed.size(),
                run.hunt().severity());
    }

    /**
     * A run that failed after the retries: it stops. A failure that would repeat for this slot (a
     * query Graph refuses, a result too large even over the smallest range) marks the slot done;
     * any other is tried again at the next tick.
     */
    public void failed(Exchange exchange) {
        HuntRun run = exchange.getProperty(RUN, HuntRun.class);
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (run == null || run.failed()) {
            return;
        }
        run.fail();
        count(exchange, "graph_hunting_failures", run.hunt().slug());
        String reason = reason(e);
        if (permanent(e)) {
            schedule.ran(run);
            LOG.warn("Hunt {} ('{}') slot {} failed and is not run again before its next slot: {}",
                    run.hunt().fileName(), run.hunt().name(), run.slot(), reason);
        } else {
            LOG.warn("Hunt {} ('{}') slot {} failed and is tried again at the next tick: {}",
                    run.hunt().fileName(), run.hunt().name(), run.slot(), reason);
        }
    }

    /** A runHuntingQuery call Graph throttled (the call quota or the execution-time quota). */
    public void throttled(Exchange exchange) {
        HuntRun run = exchange.getProperty(RUN, HuntRun.class);
        if (run != null) {
            count(exchange, "graph_hunting_throttled", run.hunt().slug());
        }
    }

    static boolean permanent(Exception e) {
        if (e instanceof HuntRun.HuntRunException h) {
            return h.permanent();
        }
        if (e instanceof HttpOperationFailedException h) {
            int s = h.getStatusCode();
            return s >= 400 && s < 500 && s != 401 && s != 408 && s != 429;
        }
        return false;
    }

    /** What went wrong, one line: Graph's error message (not its headers), never the request. */
    static String reason(Exception e) {
        if (e instanceof HttpOperationFailedException h) {
            String message = "";
            try {
                JsonNode body = JSON.readTree(h.getResponseBody() == null ? "" : h.getResponseBody());
                message = body == null ? "" : body.path("error").path("message").asText("");
            } catch (IOException notJson) {
                message = h.getResponseBody();
            }
            return "Graph answered " + h.getStatusCode() + (message.isEmpty() ? "" : ": " + oneLine(message));
        }
        return e == null ? "unknown" : oneLine(String.valueOf(e.getMessage()));
    }

    private static String oneLine(String s) {
        String line = s.replaceAll("\\p{Cntrl}", " ");
        return line.length() > 500 ? line.substring(0, 500) + "…" : line;
    }

    private static HuntRun run(Exchange exchange) {
        HuntRun run = exchange.getProperty(RUN, HuntRun.class);
        if (run == null) {
            throw new IllegalStateException("no hunt run on this exchange: call start first");
        }
        return run;
    }

    private void count(Exchange exchange, String name, String hunt) {
        metrics.count(exchange, name, 1, "hunt", hunt);
    }
}
