package io.graphsec.routes.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.state.EntityState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.apache.camel.Exchange;

/**
 * One poll of one collection, carried on the exchange as the property {@code graphPoll}: the
 * window being read, the paging state, and the counts the poll reports at the end. Split
 * sub-exchanges share this object by reference, which is how their counts reach the summary.
 */
public final class PollProgress {

    final String resource;
    final CollectionPoller poller;
    private final String collection;
    private final String routeCollection;
    Instant windowStart;
    Instant windowEnd;
    /** The window's end when the poll opened it (now): a window ending earlier was cut to fit a backlog. */
    private final Instant endAtOpen;
    /** Set when the window committed: it had been cut short, so more is waiting past its end. */
    boolean backlogLeft;
    /** The window reaches back the whole lag ({@link LagSweep}), not just the short overlap. */
    boolean sweep;
    final Instant previousWatermark;
    private String nextUrl;
    private final Set<String> visited = new HashSet<>();
    Long expectedCount;
    /** A page came back 206 (a provider failed): the window must be read again. */
    boolean partial;
    long fetched;
    int pages;
    final AtomicLong fresh = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final Map<String, AtomicLong> routed = new TreeMap<>();
    /** The next page, being read while this one is delivered ({@link PageReadAhead}). */
    record ReadAhead(String url, Future<Exchange> answer) {
    }

    volatile ReadAhead readAhead;
    /** The JSON text of each item of the page in flight, as Graph sent it (by identity of its tree). */
    Map<JsonNode, String> itemTexts = Map.of();
    /** The (key, state) pairs of the page in flight, recorded once its transaction committed. */
    final List<Map.Entry<String, String>> pageVersions = new ArrayList<>();
    private long[] countsAtPageStart = new long[3];
    private Map<String, Long> routedAtPageStart = Map.of();

    /** Marks the start of a page, so a page sent again does not count twice. */
    synchronized void pageStarted() {
        countsAtPageStart = new long[] {fresh.get(), duplicates.get(), deadLettered.get()};
        routedAtPageStart = routed();
    }

    synchronized void pageRestarted() {
        fresh.set(countsAtPageStart[0]);
        duplicates.set(countsAtPageStart[1]);
        deadLettered.set(countsAtPageStart[2]);
        routed.clear();
        routedAtPageStart.forEach((k, v) -> routed.put(k, new AtomicLong(v)));
    }

    PollProgress(CollectionPoller poller, PollSettings settings, Instant windowStart, Instant windowEnd,
                 Instant previousWatermark, String firstUrl) {
        this.poller = poller;
        this.resource = settings.resource();
        this.collection = settings.collection();
        this.routeCollection = settings.routeCollection();
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.endAtOpen = windowEnd;
        this.previousWatermark = previousWatermark;
        this.nextUrl = firstUrl;
    }

    /**
     * The item as message text: its JSON exactly as Graph sent it if it is an item of the page in
     * flight, otherwise written out. The texts stay until the next page is read: a page sent again
     * one by one after a refused commit needs them too, since its trees may hold only the fields
     * the poll reads ({@link ItemFields}).
     */
    public String textOf(JsonNode item, ObjectMapper mapper) throws JsonProcessingException {
        if (item == null) {
            return "null";
        }
        String asReceived = itemTexts.isEmpty() ? null : itemTexts.get(item);
        return asReceived != null ? asReceived : mapper.writeValueAsString(item);
    }

    /**
     * The entity of {@code key} is delivered in another state than the split noted (its route was
     * raised after enrichment): that state is what its page records once committed.
     */
    public void restate(String key, UnaryOperator<EntityState> change) {
        synchronized (pageVersions) {
            // Its entry was noted just before its enrichment: searched from the end, it is found at once.
            for (int i = pageVersions.size() - 1; i >= 0; i--) {
                if (pageVersions.get(i).getKey().equals(key)) {
                    pageVersions.set(i, Map.entry(key, change.apply(EntityState.parse(pageVersions.get(i).getValue())).format()));
                    return;
                }
            }
        }
    }

    public boolean hasMorePages() {
        return nextUrl != null;
    }

    public String getNextUrl() {
        return nextUrl;
    }

    /** True while the page about to be read asks for {@code $expand} and that was not given up yet. */
    public boolean canDropExpand() {
        return !expandDropped && nextUrl != null && EXPAND.matcher(nextUrl).find();
    }

    /**
     * Reads the rest of this poll without {@code $expand}: Graph answers 500 to the expanded
     * incidents query on some large tenants, and a poller stuck on it is the worst outcome.
     */
    public String dropExpand() {
        expandDropped = true;
        nextUrl = EXPAND.matcher(nextUrl).replaceAll("").replace("?&", "?").replaceAll("&$", "");
        visited.add(nextUrl);
        return nextUrl;
    }

    /** True once this poll reads without {@code $expand}: each entity's related items must be fetched apart. */
    public boolean isExpandDropped() {
        return expandDropped;
    }

    private static final java.util.regex.Pattern EXPAND =
            java.util.regex.Pattern.compile("(?<=[?&])(\\$|%24)expand=[^&]*&?");
    private boolean expandDropped;

    /** Moves to the next page; false if Graph handed back a link it already gave in this poll. */
    boolean advanceTo(String url) {
        nextUrl = url;
        return url == null || visited.add(url);
    }

    void markVisited(String url) {
        visited.add(url);
    }

    /** Bisection state while fitting a large backlog into a window: ends known to be too big / small enough. */
    Instant endTooBig;
    Instant endSmallEnough;
    int fitAttempts;

    /**
     * Whether the window was opened at least {@code lag} after its end: everything Graph publishes
     * up to a lag late with a time before the end was there to be read.
     */
    boolean readLagAfterItsEnd(Duration lag) {
        return !windowEnd.plus(lag).isAfter(endAtOpen);
    }

    /** Whether the window ends before the end it was opened with (it was cut to fit a backlog). */
    boolean cutShort() {
        return windowEnd.isBefore(endAtOpen);
    }

    /** Starts the window again with another end: what was read of it so far is not delivered. */
    void narrowTo(Instant end, String firstUrl) {
        windowEnd = end;
        visited.clear();
        visited.add(firstUrl);
        nextUrl = firstUrl;
        pages = 0;
        fetched = 0;
        expectedCount = null;
    }

    /** Starts the window later (and the bisection afresh): what was read of it so far is not delivered. */
    void startAt(Instant start, String firstUrl) {
        windowStart = start;
        endTooBig = null;
        endSmallEnough = null;
        narrowTo(windowEnd, firstUrl);
    }

    synchronized void countRouted(String route) {
        routed.computeIfAbsent(route, r -> new AtomicLong()).incrementAndGet();
    }

    Instant watermark;

    public String resource() { return resource; }
    /** The deployment's tenant this poll is for ("default" for the plain graph.* settings). */
    public String getTenant() { return poller.tenant(); }
    /** The Graph base URL (its cloud's host) this poll reads from. */
    public String getBaseUrl() { return poller.baseUrl(); }
    /** Names the enrich flow of this collection's items: direct:graph-{collection}-enrich. */
    public String getCollection() { return collection; }
    /** Names the route flow of this collection's items: direct:graph-{routeCollection}-route. */
    public String getRouteCollection() { return routeCollection; }
    /** The watermark after the poll closed (moved, or kept when the window must be read again). */
    public Instant watermark() { return watermark; }
    public long fetched() { return fetched; }
    public long fresh() { return fresh.get(); }
    public long duplicates() { return duplicates.get(); }
    public long deadLettered() { return deadLettered.get(); }
    public int pages() { return pages; }
    public synchronized Map<String, Long> routed() {
        Map<String, Long> copy = new TreeMap<>();
        routed.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }
}
