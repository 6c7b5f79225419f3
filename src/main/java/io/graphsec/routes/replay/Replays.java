package io.graphsec.routes.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.enrich.AlertEnricher;
import io.graphsec.routes.graph.CollectionPoller;
import io.graphsec.routes.graph.ItemFields;
import io.graphsec.routes.graph.PollProgress;
import io.graphsec.routes.graph.PollSettings;
import io.graphsec.routes.state.DeliveredVersions;
import io.graphsec.routes.state.StateStores;
import io.graphsec.routes.state.Watermarks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.util.FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a range of one tenant's collection through the normal flow (routes/8-replay.camel.yaml):
 * the live poll's settings, paging, budget, token and Retry-After handling (every request through
 * direct:graph-call), but a watermark and version store of its own under
 * {@code graph.state.dir/replays/<key>}, so the live ones are never read or written. A replay
 * killed mid-way keeps its own state: run again with the same arguments, it goes on from where
 * it stopped; one that completed removes it. Called by the command line ({@code replay}) and by an
 * embedding host ({@link #run}).
 */
public final class Replays {

    public static final String BEAN = "graphReplays";
    private static final Logger LOG = LoggerFactory.getLogger(Replays.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Windows in a row that end where they started (Graph's set changed under the paging) before giving up. */
    private static final int MAX_STALLED_WINDOWS = 3;

    private final CamelContext context;
    private final Path stateDir;
    private final Duration maxRange;
    private final long maxAlerts;
    private final int maxVersions;
    private final String osUser;
    private final boolean sendsCounted;

    /** {@code sendsCounted}: the replay command's process counts each send ({@link SendTally}); a host's does not. */
    public Replays(CamelContext context, Path stateDir, Duration maxRange, long maxAlerts, int maxVersions, String osUser,
                   boolean sendsCounted) {
        this.sendsCounted = sendsCounted;
        this.context = context;
        this.stateDir = stateDir;
        this.maxRange = maxRange;
        this.maxAlerts = maxAlerts;
        this.maxVersions = maxVersions;
        this.osUser = osUser;
    }

    /** Runs one replay to its end (or refusal) in the caller's thread; the report says how it went. */
    public ReplayReport run(ReplayRequest request) throws IOException {
        ReplayAudit audit = new ReplayAudit(stateDir, osUser);
        CollectionPoller live = context.getRegistry().lookupByNameAndType(
                "graphPoller-" + request.collection() + "-" + request.tenant(), CollectionPoller.class);
        if (live == null) {
            throw new IllegalArgumentException("--tenant " + ReplayRequest.quoted(request.tenant())
                    + " is not a configured tenant (default or a name of graph.tenants)");
        }
        if (request.range().compareTo(maxRange) > 0) {
            return refused(audit, "none", request, null, "the range " + ReplayRequest.describe(request.range())
                    + " is longer than graph.replay.max-range " + ReplayRequest.describe(maxRange)
                    + "; split it into shorter replays");
        }
        String key = keyOf(request);
        Path dir = request.dryRun() ? Files.createTempDirectory("graph-dry-run-")
                : stateDir.resolve("replays").resolve(key);
        String id = idOf(dir, key);
        PollSettings own = replaySettings(live.settings(), request);
        StateStores files = StateStores.files();
        Watermarks watermarks = files.watermarks(dir);
        DeliveredVersions versions = files.versions(dir, own.resource(), maxVersions);
        ItemFields fields = own.collection().equals("alerts") ? AlertEnricher.FIELDS_READ : ItemFields.WHOLE;
        CollectionPoller poller = new CollectionPoller(own, live.baseUrl(), watermarks, versions,
                Clock.fixed(request.to(), ZoneOffset.UTC)).forTenant(live.tenant()).readingOnly(fields);
        ReplayRun run = new ReplayRun(id, request, poller, watermarks, versions, dir, countUrl(own, live, request));
        audit.record("started", id, request, null);
        LOG.info("Replay {}: {} of tenant {} from {} to {}, to {}{}; its state in {}", id, request.collection(),
                request.tenant(), request.from(), request.to(),
                request.destination() == null ? "the configured destinations" : request.destination(),
                request.dryRun() ? " (dry run: nothing is sent)" : "", dir);

        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(ReplayRun.PROPERTY, run);
        exchange.setProperty("graphTenant", live.tenant());
        exchange = context.createProducerTemplate().send("direct:graph-replay", exchange);
        versions.close();
        Exception failed = exchange.getException();
        if (run.isRefused()) {
            FileUtil.removeDir(dir.toFile());
            return refused(audit, id, request, run.count(), run.refusal());
        }
        ReplayReport report = new ReplayReport(id, request, run.count(),
                null, failed == null ? null : failed.getMessage(), run.complete() && failed == null, run.alerts(),
                run.deadLettered, run.destinations());
        if (report.complete() || request.dryRun()) {
            // Done: a later replay of the same range starts afresh.
            FileUtil.removeDir(dir.toFile());
        }
        audit.record("finished", id, request, ReplayAudit.outcome().put("count", run.count())
                .put("read", run.alerts()).put("sent", report.sent()).put("complete", report.complete())
                .put("exitCode", report.exitCode()));
        report.summary().forEach(LOG::info);
        return report;
    }

    private ReplayReport refused(ReplayAudit audit, String id, ReplayRequest request, Long count, String reason) {
        audit.record("refused", id, request, ReplayAudit.outcome().put("reason", reason));
        LOG.warn("Replay {} refused: {}", id, reason);
        return new ReplayReport(id, request, count, reason, null, false, 0, 0, java.util.Map.of());
    }

    // --- called by routes/8-replay.camel.yaml, in this order ---

    /** After Graph's $count of the whole range: refuses a range holding more than graph.replay.max-alerts. */
    public void checkCount(Exchange exchange) throws IOException, org.apache.camel.InvalidPayloadException {
        ReplayRun run = run(exchange);
        JsonNode page = JSON.readTree(exchange.getIn().getMandatoryBody(byte[].class));
        if (!page.path("@odata.count").canConvertToLong()) {
            run.refuse("Graph did not count the range (no @odata.count); a replay needs the count to stay bounded");
            return;
        }
        long count = page.path("@odata.count").asLong();
        run.counted(count);
        if (count > maxAlerts) {
            run.refuse("the range holds " + count + " " + run.request().collection() + " (Graph's $count), more than"
                    + " graph.replay.max-alerts " + maxAlerts + "; split it into shorter replays");
        } else {
            LOG.info("Replay {}: Graph counts {} {} in the range", run.getId(), count, run.request().collection());
        }
    }

    /** Whether another window is to be read: not refused, not at the range's end, not stalled. */
    public boolean windowLeft(Exchange exchange) {
        ReplayRun run = run(exchange);
        return !run.isRefused() && !run.complete() && run.stalledWindows < MAX_STALLED_WINDOWS
                && !exchange.getContext().isStopping();
    }

    /** Opens the next window; its pages are read by the poll's page loop (routes/1-read-window.camel.yaml). */
    public void open(Exchange exchange) {
        ReplayRun run = run(exchange);
        run.poller().open(exchange);
        run.reading(exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class));
    }

    public void close(Exchange exchange) {
        ReplayRun run = run(exchange);
        Instant before = run.readUpTo();
        PollProgress p = run.poller().close(exchange);
        run.closed(p);
        LOG.info(run.progress());
        run.deadLettered += p.deadLettered();
        if (!sendsCounted && run.getDestination() != null) {
            run.sent(run.getDestination(), p.fresh() - p.deadLettered());
        } else if (!sendsCounted) {
            p.routed().forEach((route, n) -> run.sent("route " + route, n));
        }
        run.stalledWindows = run.readUpTo().equals(before) ? run.stalledWindows + 1 : 0;
    }

    private static ReplayRun run(Exchange exchange) {
        ReplayRun run = exchange.getProperty(ReplayRun.PROPERTY, ReplayRun.class);
        if (run == null) {
            throw new IllegalStateException("no replay on this exchange: direct:graph-replay is started by Replays.run");
        }
        return run;
    }

    /** The live poll's settings, but reading exactly [from, to): no lag, the first window at --from. */
    static PollSettings replaySettings(PollSettings live, ReplayRequest request) {
        return new PollSettings(live.resource(), live.path(), live.watermarkField(), live.pageSize(), Duration.ZERO,
                request.range(), live.extraQuery(), live.maxWindowItems(), live.changeMemory(), live.collection(),
                live.routeCollection(), live.extraFilter(), live.maxSkip(), true);
    }

    /** The range's first page of one item with $count, read by a poller of its own that remembers nothing. */
    private String countUrl(PollSettings own, CollectionPoller live, ReplayRequest request) {
        PollSettings one = new PollSettings(own.resource(), own.path(), own.watermarkField(), 1, Duration.ZERO,
                request.range(), "", own.maxWindowItems(), own.changeMemory(), own.collection(),
                own.routeCollection(), own.extraFilter(), own.maxSkip(), true);
        Watermarks none = new Watermarks() {
            @Override
            public Optional<Instant> read(String resource) {
                return Optional.empty();
            }

            @Override
            public void write(String resource, Instant watermark) {
            }
        };
        Exchange probe = new DefaultExchange(context);
        new CollectionPoller(one, live.baseUrl(), none, null, Clock.fixed(request.to(), ZoneOffset.UTC)).open(probe);
        return probe.getProperty(CollectionPoller.PROGRESS, PollProgress.class).getNextUrl();
    }

    /** The same arguments, the same key: a replay run again after a kill finds its own state. */
    static String keyOf(ReplayRequest r) {
        String text = String.join("|", r.collection(), r.tenant(), r.from().toString(), r.to().toString(),
                String.valueOf(r.destination()));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The id of the replay kept in its state: a resumed replay carries on under the id it started with. */
    private static String idOf(Path dir, String key) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("replay.id");
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String id = "replay-" + key.substring(0, 8) + "-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(file, id, StandardCharsets.UTF_8);
        return id;
    }
}
