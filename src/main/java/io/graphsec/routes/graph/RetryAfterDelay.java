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

/**
 * Makes Camel's redelivery wait as long as Graph's {@code Retry-After} asks (429, 503).
 *
 * <p>Wired as {@code onExceptionOccurredRef}: that runs before the redelivery delay is computed, and
 * the {@code CamelRedeliveryDelay} header it sets overrides the policy's delay for this attempt.
 * Graph sends whole or fractional seconds ({@code 2.128}); RFC 9110 also allows an HTTP-date.
 * Without a usable value the policy's exponential back-off applies. Graph's failures are camel-http's
 * own; another system's client (the ticket delivery) throws a {@link Throttled} carrying the header.
 */
public final class RetryAfterDelay implements Processor {

    /** A failure that carries the Retry-After its system answered (absent when it sent none). */
    public interface Throttled {
        Optional<String> retryAfter();
    }

    private final long maxDelayMillis;
    private final java.util.function.Consumer<Exchange> onThrottled;

    /** @param onThrottled told of every throttled answer (metrics); may do nothing */
    public RetryAfterDelay(Duration maxDelay, java.util.function.Consumer<Exchange> onThrottled) {
        this.maxDelayMillis = maxDelay.toMillis();
        this.onThrottled = onThrottled;
    }

    @Override
    public void process(Exchange exchange) {
        Throttled throttled = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class) instanceof Throttled t ? t
                : exchange.getException() instanceof Throttled t ? t : null;
        if (throttled != null) {
            onThrottled.accept(exchange);
            throttled.retryAfter().flatMap(v -> parseMillis(v, Instant.now())).ifPresent(ms -> delay(exchange, ms));
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
                .ifPresent(ms -> delay(exchange, ms));
    }

    private void delay(Exchange exchange, long millis) {
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, Math.min(millis, maxDelayMillis));
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
