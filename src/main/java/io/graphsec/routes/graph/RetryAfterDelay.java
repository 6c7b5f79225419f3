package io.graphsec.routes.graph;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Camel's redelivery wait as long as Graph's {@code Retry-After} asks (429, 503).
 *
 * <p>Wired as {@code onExceptionOccurredRef}: that runs before the redelivery delay is computed, and
 * the {@code CamelRedeliveryDelay} header it sets overrides the policy's delay for this attempt.
 * Graph sends whole or fractional seconds ({@code 2.128}); RFC 9110 also allows an HTTP-date.
 * Without a usable value the policy's exponential back-off applies. Graph's failures are camel-http's
 * own; another system's client (the ticket delivery) throws a {@link Throttled} carrying the header.
 *
 * <p>A poll shares a few scheduler threads with every other tenant's polls, so it waits out no more
 * than {@code maxPollWait} on its thread: asked to wait longer, it pauses its tenant until then
 * ({@link TenantPauses}) and is not retried, so the poll gives up the tick (the watermark stays)
 * and the tenant's next ticks are skipped until then.
 */
public final class RetryAfterDelay implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RetryAfterDelay.class);

    /** A failure that carries the Retry-After its system answered (absent when it sent none). */
    public interface Throttled {
        Optional<String> retryAfter();
    }

    private final long maxDelayMillis;
    private final java.util.function.Consumer<Exchange> onThrottled;
    private final TenantPauses pauses;
    private final long maxPollWaitMillis;

    /** @param onThrottled told of every throttled answer (metrics); may do nothing */
    public RetryAfterDelay(Duration maxDelay, java.util.function.Consumer<Exchange> onThrottled) {
        this(maxDelay, onThrottled, null, maxDelay);
    }

    /** @param pauses where a poll asked to wait longer than {@code maxPollWait} pauses its tenant */
    public RetryAfterDelay(Duration maxDelay, java.util.function.Consumer<Exchange> onThrottled, TenantPauses pauses,
                           Duration maxPollWait) {
        this.maxDelayMillis = maxDelay.toMillis();
        this.onThrottled = onThrottled;
        this.pauses = pauses;
        this.maxPollWaitMillis = maxPollWait.toMillis();
    }

    @Override
    public void process(Exchange exchange) {
        Throttled throttled = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class) instanceof Throttled t ? t
                : exchange.getException() instanceof Throttled t ? t : null;
        if (throttled != null) {
            onThrottled.accept(exchange);
            throttled.retryAfter().flatMap(v -> parseMillis(v, Instant.now()))
                    .ifPresent(ms -> delay(exchange, Math.min(ms, maxDelayMillis)));
            return;
        }
        HttpOperationFailedException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT,
                HttpOperationFailedException.class);
        if (failure == null) {
            failure = exchange.getException(HttpOperationFailedException.class);
        }
        if (failure == null) {
            return;
        }
        onThrottled.accept(exchange);
        if (failure.getResponseHeaders() == null) {
            return;
        }
        header(failure.getResponseHeaders(), "Retry-After")
                .flatMap(v -> parseMillis(v, Instant.now()))
                .ifPresent(ms -> delay(exchange, Math.min(ms, maxDelayMillis)));
    }

    private void delay(Exchange exchange, long ms) {
        PollProgress poll = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        if (pauses != null && poll != null && ms > maxPollWaitMillis) {
            Instant until = Instant.now().plusMillis(ms);
            pauses.pause(poll.getTenant(), until);
            LOG.warn("Graph throttles tenant {} for {} ms (Retry-After); its {} poll gives up this tick and its polls"
                    + " skip their ticks until {}, then read on from the watermark", poll.getTenant(), ms,
                    poll.getCollection(), until);
            // No retry on this thread, which other tenants' polls share: the poll fails now, its watermark stays.
            exchange.getExchangeExtension().setRedeliveryExhausted(true);
            return;
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, ms);
    }

    static Optional<Long> parseMillis(String value, Instant now) {
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            if (seconds >= 0 && !Double.isInfinite(seconds)) {
                return Optional.of((long) Math.ceil(seconds * 1000));
            }
            return Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(Math.max(0, Duration.between(now, at).toMillis()));
            } catch (RuntimeException junk) {
                return Optional.empty();
            }
        }
    }

    private static Optional<String> header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst();
    }
}
