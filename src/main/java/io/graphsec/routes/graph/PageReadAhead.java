package io.graphsec.routes.graph;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Reads a poll's next page while the current one is delivered (graph.poll.read-ahead). Waiting for
 * Graph's answer and reading it (TLS, the body's copy) took a quarter of the poll thread while
 * catching up a backlog (docs/performance.md); read ahead, the thread goes straight on.
 *
 * <p>At most one page per poll is read ahead, and only for the URL the poll then asks for: if the
 * poll's next URL changed meanwhile (a window refit, {@code $expand} dropped) the answer is thrown
 * away. A read ahead that failed fails where the page would have been read, with the same
 * exception, so the route's error handling (Retry-After, token renewal, retries) treats it exactly
 * as a failed read of that page; the retry reads the page in the route. The read is sent through
 * the flow every Graph request takes (routes/1-call-graph.camel.yaml: token, budget, URL check).
 */
public final class PageReadAhead extends ServiceSupport {

    /** Exchange property: true when the page in the body was read ahead, so the route does not read it again. */
    public static final String TAKEN = "graphPageReadAhead";

    private final CamelContext context;
    private final String endpointUri;
    private final boolean enabled;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private ExecutorService executor;
    private ProducerTemplate template;

    /** {@code endpointUri}: the flow that calls Graph ({@code direct:graph-call}). */
    public PageReadAhead(CamelContext context, String endpointUri, boolean enabled) {
        this.context = context;
        this.endpointUri = endpointUri;
        this.enabled = enabled;
    }

    /** Right after a page was read: starts reading the next one, if there is one. */
    public void start(Exchange exchange) {
        PollProgress p = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        if (!enabled || p == null || !p.hasMorePages()) {
            return;
        }
        String url = p.getNextUrl();
        Exchange request = new DefaultExchange(context);
        // The poll's progress says whose token and request budget the read uses.
        request.setProperty(CollectionPoller.PROGRESS, p);
        p.readAhead = new PollProgress.ReadAhead(url, executor().submit(() -> read(request, url)));
    }

    private Exchange read(Exchange request, String url) {
        request.getIn().setHeader(Exchange.HTTP_URI, url);
        request.getIn().setHeader(Exchange.HTTP_METHOD, "GET");
        Exchange done = template().send(endpointUri, request);
        if (done.getException() == null) {
            // Read here, while the answer is fresh: the poll thread then only parses it.
            done.getMessage().setBody(done.getMessage().getBody(byte[].class));
        }
        return done;
    }

    /**
     * Before a page is read: puts the page read ahead for it on the exchange as the read would (body
     * and Graph's response headers) and sets {@link #TAKEN}; or throws what the read ahead failed with.
     */
    public void take(Exchange exchange) throws Exception {
        exchange.setProperty(TAKEN, false);
        PollProgress p = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        PollProgress.ReadAhead ahead = p == null ? null : p.readAhead;
        if (ahead == null) {
            return;
        }
        p.readAhead = null;
        if (!ahead.url().equals(p.getNextUrl())) {
            return;
        }
        Exchange done;
        try {
            done = ahead.answer().get();
        } catch (ExecutionException e) {
            return;
        }
        if (done.getException() != null) {
            failed.incrementAndGet();
            throw done.getException();
        }
        used.incrementAndGet();
        exchange.getIn().setHeaders(done.getMessage().getHeaders());
        exchange.getIn().setBody(done.getMessage().getBody());
        exchange.setProperty(TAKEN, true);
    }

    /** Pages delivered from a read ahead. */
    public long used() {
        return used.get();
    }

    /** Reads ahead that failed, and were retried in the route. */
    public long failed() {
        return failed.get();
    }

    private synchronized ExecutorService executor() {
        if (executor == null) {
            executor = context.getExecutorServiceManager().newCachedThreadPool(this, "GraphPageReadAhead");
        }
        return executor;
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (template != null) {
            template.stop();
            template = null;
        }
        if (executor != null) {
            context.getExecutorServiceManager().shutdownNow(executor);
            executor = null;
        }
    }
}
