package io.graphsec.routes.securescore;

import io.graphsec.routes.state.Watermarks;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The day of the last published snapshot, kept as a watermark (one file replaced atomically), so a
 * restart, or a second tick, on a day already published publishes nothing. The day is Graph's, the
 * newest record's date, not this machine's clock.
 */
public final class SecureScoreLastDay {

    static final String RESOURCE = "secure-score-snapshot";
    private static final Logger LOG = LoggerFactory.getLogger(SecureScoreLastDay.class);

    private final Watermarks store;

    public SecureScoreLastDay(Watermarks store) {
        this.store = store;
    }

    /** Filter: the newest record is of a day after the last one published. */
    public boolean isNewDay(Exchange exchange) {
        LocalDate day = SecureScoreSnapshot.dateOf(reading(exchange).today());
        LocalDate last = store.read(RESOURCE).map(i -> LocalDate.ofInstant(i, ZoneOffset.UTC)).orElse(null);
        if (last != null && !day.isAfter(last)) {
            LOG.debug("Secure score of {} already published (last {}); nothing to do", day, last);
            return false;
        }
        return true;
    }

    /** After the snapshot and its events were sent. */
    public void remember(Exchange exchange) {
        SecureScoreReading reading = reading(exchange);
        LocalDate day = SecureScoreSnapshot.dateOf(reading.today());
        store.write(RESOURCE, day.atStartOfDay(ZoneOffset.UTC).toInstant());
        LOG.info("Secure score of {}: {} of {}, {} control(s) from {} page(s) published; {} regression(s) routed", day,
                reading.today().path("currentScore").asText(), reading.today().path("maxScore").asText(),
                reading.profiles().size(), reading.profilePages(), reading.regressions);
    }

    private static SecureScoreReading reading(Exchange exchange) {
        return exchange.getProperty(SecureScoreReader.READING, SecureScoreReading.class);
    }
}
