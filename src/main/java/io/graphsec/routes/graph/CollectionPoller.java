package io.graphsec.routes.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.state.DeliveredVersions;
import io.graphsec.routes.state.EntityState;
import io.graphsec.routes.state.Watermarks;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one Graph collection incrementally and checkpoints what was delivered.
 *
 * <p>Each poll reads the window {@code [watermark - lag, now)} on the watermark field. The upper
 * bound keeps the result set from growing while we page through it (an alert updated meanwhile
 * falls out and is read by the next poll), and {@code $count} tells us whether anything left the
 * set mid-way, which with {@code $skip} paging could have shifted an unread alert past us: then the
 * watermark stays put and the next poll reads the window again (the version store absorbs the
 * repeats). The watermark moves to the window's end only after every page of it was committed.
 */
public final class CollectionPoller {

    public static final String PROGRESS = "graphPoll";
    /** Put on a stub replacing an item that could not be read; its value says why. */
    public static final String UNREADABLE = "@graphRoutes.unreadable";
    /** On each new entity's exchange: its {@link EntityState} as delivered before, if remembered. */
    public static final String PREVIOUS_STATE = "graphPreviousState";
    private static final Logger LOG = LoggerFactory.getLogger(CollectionPoller.class);

    private final PollSettings settings;
    private final String baseUrl;
    private final Watermarks watermarks;
    private final DeliveredVersions versions;
    private final Clock clock;
    private final PageLinks links;
    private final WindowFitter fitter;
    private final DeepPageReader deepPages;
    private String tenant = "default";
    private ItemFields itemFields = ItemFields.WHOLE;
    private TenantPauses pauses;
    private LagSweep lagSweep;
    /** While a backlog is read: the span the next window starts with ({@link WindowFitter#spanAfter}). */
    private volatile Duration nextSpan;
    /** The end of the last window if it was opened a lag or more after it: the next one need not reach back. */
    private volatile Instant settledEnd;
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    public CollectionPoller(PollSettings settings, String baseUrl, Watermarks watermarks,
                            DeliveredVersions versions, Clock clock) {
        this.settings = settings;
        this.baseUrl = baseUrl;
        this.watermarks = watermarks;
        this.versions = versions;
        this.clock = clock;
        this.links = new PageLinks(settings, baseUrl);
        this.fitter = new WindowFitter(settings, links);
        this.deepPages = new DeepPageReader(settings);
        this.lagSweep = new LagSweep(settings.lag(), settings.lag(), Duration.ZERO, watermarks, settings.resource());
    }

    /**
     * Polls reach back only {@code overlap} before the watermark, and the whole lag once every
     * {@code interval} ({@link LagSweep}); without this, every poll reaches back the whole lag.
     */
    public CollectionPoller sweepingLag(Duration overlap, Duration interval) {
        this.lagSweep = new LagSweep(settings.lag(), overlap, interval, watermarks, settings.resource());
        return this;
    }

    /** Polls for this tenant of the deployment (its token and budget; its name on each message). */
    public CollectionPoller forTenant(String name) {
        this.tenant = name;
        return this;
    }

    /** Items become trees of these fields only: the ones the collection's enricher reads. */
    public CollectionPoller readingOnly(ItemFields fields) {
        this.itemFields = fields;
        return this;
    }

    /** Skips the ticks of a tenant Graph throttles for longer than a poll waits ({@link TenantPauses}). */
    public CollectionPoller pausedBy(TenantPauses tenantPauses) {
        this.pauses = tenantPauses;
        return this;
    }

    public String tenant() {
        return tenant;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public PollSettings settings() {
        return settings;
    }

    /**
     * Whether the poll route opens a window (again) in this firing: the first time, and at once
     * after a window that was cut short to fit a backlog and committed, unless the route or the
     * application is stopping; not while Graph throttles the tenant (the tick is skipped). A backlog is read window after window, each committed, without
     * waiting a tick between them (up to a second of idle in three at a 1 s cron; docs/performance.md).
     */
    public boolean openAgain(Exchange exchange) {
        PollProgress p = exchange.getProperty(PROGRESS, PollProgress.class);
        if (p == null) {
            return pauses == null || pauses.due(tenant);
        }
        CamelContext camel = exchange.getContext();
        ServiceStatus route = exchange.getFromRouteId() == null ? null
                : camel.getRouteController().getRouteStatus(exchange.getFromRouteId());
        return p.backlogLeft && !camel.isStopping() && (route == null || route.isStarted());
    }

    /** Starts a poll: fixes the window and the first page's URL. */
    public void open(Exchange exchange) {
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        Instant watermark = watermarks.read(settings.resource())
                .orElse(now.minus(settings.initialLookback()));
        // The lag re-reads what Graph may have published late before the watermark (a short overlap on most polls,
        // the whole lag on a sweep); a window that was read a lag or more after its end already saw all of that
        // (in a dense backlog the re-read was up to half of each window).
        LagSweep.Start from = lagSweep.start(watermark, now, watermark.equals(settledEnd));
        Instant start = from.at();
        String url = links.first(start, now);
        PollProgress progress = new PollProgress(this, settings, start, now, watermark, url);
        progress.sweep = from.sweep();
        progress.markVisited(url);
        Duration span = nextSpan;
        if (span != null && !settings.snapshot() && start.plus(span).isAfter(watermark) && start.plus(span).isBefore(now)) {
            // A backlog is being read: start from the span the last window's density suggests rather than from
            // now, whose count would only be bisected down again (two or three requests of a whole page each).
            // Found too small, it widens towards now by the same bisection.
            progress.narrowTo(start.plus(span), links.first(start, start.plus(span)));
            progress.endTooBig = now;
        }
        exchange.setProperty(PROGRESS, progress);
    }

    /**
     * Right after a page arrived: a 206 is Graph's federation saying a provider failed (legacy
     * alerts, with a Warning header naming it). The page is delivered, but the window is read again
     * at the next poll (the watermark stays), so the failed provider's alerts are not lost.
     */
    public void noteResponse(Exchange exchange) {
        Integer code = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (code != null && code == 206) {
            PollProgress p = progress(exchange);
            p.partial = true;
            String warning = exchange.getIn().getHeader("Warning", String.class);
            LOG.warn("{}: Graph answered 206 Partial Content for page {} (a provider failed: {}); the window will be"
                    + " read again at the next poll", settings.resource(), p.pages + 1,
                    warning == null ? "no Warning header" : abbreviate(warning.replaceAll("\\p{Cntrl}", "?")));
        }
    }

    /**
     * Parses the page in the body, leaves its items as the body (a list of JSON trees, one per
     * entity, untouched) and moves the paging state to {@code @odata.nextLink}.
     */
    public List<JsonNode> readPage(Exchange exchange) {
        PollProgress p = progress(exchange);
        JsonNode page;
        byte[] bytes = null;
        try {
            // A page read ahead is already bytes; one fetched in the route is read from its stream here.
            bytes = exchange.getIn().getMandatoryBody(byte[].class);
            GraphPage read = GraphPage.read(mapper, bytes, itemFields);
            page = read.tree();
            p.itemTexts = read.itemTexts();
        } catch (StreamConstraintsException e) {
            page = deepPages.read(bytes, p);
            p.itemTexts = Map.of();
        } catch (JsonProcessingException e) {
            throw new GraphPageException(settings.resource() + " page " + (p.pages + 1)
                    + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException | org.apache.camel.InvalidPayloadException e) {
            throw new GraphPageException(settings.resource() + " page " + (p.pages + 1) + " could not be read", e);
        }
        if (page == null || !page.path("value").isArray()) {
            throw new GraphPageException(settings.resource() + " page " + (p.pages + 1)
                    + " has no \"value\" array; Graph answered: " + abbreviate(String.valueOf(page)));
        }
        if (p.pages == 0 && page.path("@odata.count").canConvertToLong()) {
            p.expectedCount = page.path("@odata.count").asLong();
            if (fitter.refit(p)) {
                return List.of();
            }
        }
        String next = links.next(page, p);
        if (!p.advanceTo(next)) {
            throw new GraphPageException(settings.resource() + " @odata.nextLink repeats a page already read in this poll"
                    + " (a paging loop); the window will be read again at the next poll");
        }
        p.pages++;
        List<JsonNode> items = new ArrayList<>(page.get("value").size());
        page.get("value").forEach(items::add);
        p.fetched += items.size();
        p.pageVersions.clear();
        p.pageStarted();
        // Entities without an id are keyed by their content, which enrichment may still change: looked up one by one.
        versions.prefetch(items.stream().filter(i -> i.path("id").isTextual() && !i.path("id").asText().isBlank())
                .map(ItemKeys::keyOf).toList());
        return items;
    }

    /**
     * Split filter: true if this version of the entity was not delivered before; then the state it
     * was delivered in last is left on the exchange ({@link #PREVIOUS_STATE}) for the change event.
     */
    public boolean isNew(JsonNode entity, Exchange exchange) {
        PollProgress p = progress(exchange);
        String key = ItemKeys.keyOf(entity);
        String version = versionOf(entity);
        EntityState previous = versions.lastState(key);
        // A version delivered before keeps the route it was raised to (PriorityRaise), seen again or not.
        EntityState now = new EntityState(version, Severity.normalize(textOrNull(entity, "severity")),
                textOrNull(entity, "status"), previous != null && previous.version().equals(version) ? previous.route() : null);
        synchronized (p.pageVersions) {
            p.pageVersions.add(Map.entry(key, now.format()));
        }
        if (previous == null || !previous.version().equals(version)) {
            if (previous != null) {
                exchange.setProperty(PREVIOUS_STATE, previous);
            }
            p.fresh.incrementAndGet();
            return true;
        }
        p.duplicates.incrementAndGet();
        return false;
    }

    /** Counts where an entity was sent ({@code graphRoute} header), for the poll summary. */
    /** Counted for the poll's summary; alert-like events (secure score, hunting) are routed outside any poll. */
    public void countRouted(Exchange exchange) {
        PollProgress p = exchange.getProperty(PROGRESS, PollProgress.class);
        if (p != null) {
            p.countRouted(exchange.getIn().getHeader("graphRoute", "unrouted", String.class));
        }
    }

    public void countDeadLetter(Exchange exchange) {
        PollProgress p = exchange.getProperty(PROGRESS, PollProgress.class);
        if (p != null) {
            p.deadLettered.incrementAndGet();
        }
    }

    /** Before the page is sent again (one by one): forget what the refused attempt noted. */
    public void restartPage(Exchange exchange) {
        PollProgress p = progress(exchange);
        synchronized (p.pageVersions) {
            p.pageVersions.clear();
        }
        p.pageRestarted();
    }

    /** After the page's transaction committed: its versions will not be sent again. */
    public void remember(Exchange exchange) {
        PollProgress p = progress(exchange);
        synchronized (p.pageVersions) {
            versions.remember(p.pageVersions);
            p.pageVersions.clear();
        }
    }

    /** Ends a poll whose every page was committed: moves the watermark and logs the summary. */
    public PollProgress close(Exchange exchange) {
        PollProgress p = progress(exchange);
        boolean complete = (p.expectedCount == null || p.fetched >= p.expectedCount) && !p.partial;
        Instant watermark = p.previousWatermark;
        if (complete && settings.snapshot()) {
            watermark = null;
        } else if (complete) {
            watermark = p.windowEnd;
            watermarks.write(settings.resource(), watermark);
            lagSweep.committed(p.sweep, watermark);
            // Nothing older than the next sweep's start can be fetched again as a duplicate; what is kept
            // beyond that (the change memory) is what tells an update from a new alert.
            java.time.Duration keep = lagSweep.reach();
            versions.forgetOlderThan(watermark.minus(keep.compareTo(settings.changeMemory()) > 0 ? keep
                    : settings.changeMemory()));
        } else if (!p.partial) {
            LOG.info("{}: {} of {} items changed while paging; the window will be read again at the next poll",
                    settings.resource(), p.expectedCount - p.fetched, p.expectedCount);
        }
        p.watermark = watermark;
        if (pauses != null) {
            // Graph answered the whole window: a back-off of the tenant starts afresh next time.
            pauses.recovered(tenant);
        }
        boolean windowCommitted = complete && !settings.snapshot();
        p.backlogLeft = windowCommitted && p.cutShort();
        nextSpan = p.backlogLeft ? fitter.spanAfter(p) : null;
        settledEnd = windowCommitted && p.sweep && p.readLagAfterItsEnd(settings.lag()) ? p.windowEnd : null;
        LOG.info("{} poll: fetched {} in {} page(s), {} new or updated, {} already delivered, {} dead-lettered; "
                        + "routed {}; watermark {}",
                settings.resource(), p.fetched, p.pages, p.fresh(), p.duplicates(), p.deadLettered(),
                p.routed(), watermark);
        return p;
    }

    private PollProgress progress(Exchange exchange) {
        PollProgress p = exchange.getProperty(PROGRESS, PollProgress.class);
        if (p == null) {
            throw new IllegalStateException("no poll in progress on this exchange: call open first");
        }
        return p;
    }

    private static String textOrNull(JsonNode entity, String field) {
        JsonNode v = entity.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    String versionOf(JsonNode entity) {
        return ItemKeys.versionOf(entity, settings.watermarkField());
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
