package io.graphsec.routes.graph;

import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a poll may hold its scheduler worker for a failing Graph call. The polls of every tenant
 * share a few workers, so a tenant whose Graph is slow or failing must not keep one: a call that
 * timed out (it held the worker for the whole timeout already) is not retried on it, and the retries
 * of another failure (a connection lost, a 5xx, a short Retry-After) stop once the call first failed
 * {@code maxPollWait} ago. The poll then gives up its tick, its watermark stays, and its tenant backs
 * off ({@link TenantPauses#backOff}): the tenant's polls skip their ticks for a while, doubling with
 * each poll given up in a row, until one completes. Calls outside a poll (feedback, hunting) keep
 * their retries.
 *
 * <p>Wired beside {@link RetryAfterDelay} as {@code onExceptionOccurredRef}, which runs on each
 * failure before Camel decides on the retry.
 */
public final class PollRetryLimit implements Processor {

    /** When the call being retried first failed (epoch millis), on the poll's exchange. */
    static final String FIRST_FAILURE = "graphCallFirstFailure";
    private static final Logger LOG = LoggerFactory.getLogger(PollRetryLimit.class);

    private final TenantPauses pauses;
    private final long maxPollWaitMillis;
    private final Clock clock;

    public PollRetryLimit(TenantPauses pauses, Duration maxPollWait, Clock clock) {
        this.pauses = pauses;
        this.maxPollWaitMillis = maxPollWait.toMillis();
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        PollProgress poll = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        if (poll == null || exchange.getExchangeExtension().isRedeliveryExhausted()) {
            // Not a poll, or a poll already giving up (a long Retry-After paused its tenant).
            return;
        }
        long now = clock.millis();
        Integer retried = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        if (retried == null || retried == 0) {
            exchange.setProperty(FIRST_FAILURE, now);
        }
        long firstFailure = exchange.getProperty(FIRST_FAILURE, now, Long.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        boolean timedOut = timedOut(failure);
        if (!timedOut && now - firstFailure < maxPollWaitMillis) {
            return;
        }
        Instant until = pauses.backOff(poll.getTenant());
        LOG.warn("Graph {} for tenant {} ({}); its {} poll gives up this tick and its polls skip their ticks until {},"
                        + " then read on from the watermark",
                timedOut ? "did not answer in time" : "kept failing for " + (now - firstFailure) + " ms",
                poll.getTenant(), failure == null ? "unknown failure" : failure.getClass().getSimpleName(),
                poll.getCollection(), until);
        // No retry on this thread, which other tenants' polls share: the poll fails now, its watermark stays.
        exchange.getExchangeExtension().setRedeliveryExhausted(true);
    }

    /** A connect or read timeout (HttpClient's and the JDK's are {@link InterruptedIOException}s). */
    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }
}
