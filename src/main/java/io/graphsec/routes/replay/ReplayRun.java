package io.graphsec.routes.replay;

import io.graphsec.routes.graph.CollectionPoller;
import io.graphsec.routes.graph.PollProgress;
import io.graphsec.routes.state.DeliveredVersions;
import io.graphsec.routes.state.Watermarks;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One replay while it runs: its request and id, the poller reading its range with the replay's own
 * throwaway watermark and version store (never the live ones), and what it counted: windows, pages,
 * alerts, and per destination how many went there, with a few example ids. Rides on each exchange
 * of the replay as the property {@link #PROPERTY}.
 */
public final class ReplayRun {

    public static final String PROPERTY = "graphReplay";
    /** The message header every replayed message carries, and the one with the replay's id. */
    public static final String HEADER = "graphReplay";
    public static final String ID_HEADER = "graphReplayId";
    static final int EXAMPLES = 3;

    private final String id;
    private final ReplayRequest request;
    private final CollectionPoller poller;
    private final Watermarks watermarks;
    private final DeliveredVersions versions;
    private final String resource;
    private final Path stateDir;
    private final String countUrl;
    private final Instant started = Instant.now();
    private final Map<String, Tally> destinations = new LinkedHashMap<>();
    private volatile Long count;
    private volatile String refused;
    private int windows;
    private int pages;
    private long alerts;
    /** The window being read: its pages and alerts count until it is closed. */
    private volatile PollProgress reading;
    int stalledWindows;
    long deadLettered;

    ReplayRun(String id, ReplayRequest request, CollectionPoller poller, Watermarks watermarks,
              DeliveredVersions versions, Path stateDir, String countUrl) {
        this.id = id;
        this.request = request;
        this.poller = poller;
        this.watermarks = watermarks;
        this.versions = versions;
        this.resource = poller.settings().resource();
        this.stateDir = stateDir;
        this.countUrl = countUrl;
    }

    /** How many alerts went (or in a dry run: would go) to one destination, and the first few ids. */
    public static final class Tally {
        private final AtomicLong count = new AtomicLong();
        private final List<String> examples = new ArrayList<>();
        /** Every id, kept by a dry run only (bounded by graph.replay.max-alerts): two runs are compared by them. */
        private final Set<String> ids;

        Tally(boolean keepIds) {
            this.ids = keepIds ? new HashSet<>() : null;
        }

        synchronized void add(String alertId) {
            count.incrementAndGet();
            if (examples.size() < EXAMPLES && alertId != null) {
                examples.add(alertId);
            }
            if (ids != null && alertId != null) {
                ids.add(alertId);
            }
        }

        synchronized void addCount(long n) {
            count.addAndGet(n);
        }

        public synchronized Set<String> ids() {
            return ids == null ? Set.of() : Set.copyOf(ids);
        }

        public long count() {
            return count.get();
        }

        public synchronized List<String> examples() {
            return List.copyOf(examples);
        }
    }

    public String getId() {
        return id;
    }

    public ReplayRequest request() {
        return request;
    }

    public String getDestination() {
        return request.destination();
    }

    public String getCountUrl() {
        return countUrl;
    }

    public boolean isRefused() {
        return refused != null;
    }

    public String refusal() {
        return refused;
    }

    void refuse(String reason) {
        this.refused = reason;
    }

    public Long count() {
        return count;
    }

    void counted(long count) {
        this.count = count;
    }

    CollectionPoller poller() {
        return poller;
    }

    DeliveredVersions versions() {
        return versions;
    }

    Path stateDir() {
        return stateDir;
    }

    /** Where the replay has read up to: its own watermark, the range's start before the first window closed. */
    public Instant readUpTo() {
        return watermarks.read(resource).orElse(request.from());
    }

    /** Whether every window of the range was read and committed. */
    public boolean complete() {
        return !readUpTo().isBefore(request.to());
    }

    void sent(String destination, String alertId) {
        Tally tally;
        synchronized (destinations) {
            tally = destinations.computeIfAbsent(destination, d -> new Tally(request.dryRun()));
        }
        tally.add(alertId);
    }

    /** Without the command's counting of sends (in a host): a count without examples. */
    void sent(String destination, long n) {
        synchronized (destinations) {
            destinations.computeIfAbsent(destination, d -> new Tally(false)).addCount(n);
        }
    }

    public Map<String, Tally> destinations() {
        synchronized (destinations) {
            return new LinkedHashMap<>(destinations);
        }
    }

    /** A window was opened: what its pages bring counts from now on. */
    void reading(PollProgress window) {
        reading = window;
        windows++;
    }

    /** The window was closed: its pages and alerts count for good. */
    void closed(PollProgress window) {
        pages += window.pages();
        alerts += window.fetched();
        reading = null;
    }

    /** Alerts read so far, the window being read included. */
    long alerts() {
        PollProgress window = reading;
        return alerts + (window == null ? 0 : window.fetched());
    }

    /** One progress line: windows, pages, alerts, rate. */
    String progress() {
        double seconds = Math.max(0.001, Duration.between(started, Instant.now()).toMillis() / 1000.0);
        return String.format("Replay %s: %d window(s), %d page(s), %d alert(s) read (%.0f/s), read up to %s of %s",
                id, windows, pages, alerts, alerts / seconds, readUpTo(), request.to());
    }

    public Duration elapsed() {
        return Duration.between(started, Instant.now());
    }
}
