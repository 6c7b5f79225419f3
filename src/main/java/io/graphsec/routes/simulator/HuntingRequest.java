package io.graphsec.routes.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.format.DateTimeParseException;

/**
 * One runHuntingQuery call as the simulator understood it: the KQL text and the time range its
 * {@code timespan} names (shared/graph-security-api.md §5; 30 days up to now when absent).
 */
public record HuntingRequest(String query, Instant from, Instant to) {

    static final Duration DEFAULT_SPAN = Duration.ofDays(30);

    public Duration span() {
        return Duration.between(from, to);
    }

    /**
     * Reads the timespan forms Graph documents: {@code start/end}, {@code P30D/end}, {@code start/P30D},
     * {@code P30D} (ending now) and a lone start (up to now).
     *
     * @throws IllegalArgumentException naming what is wrong with the timespan
     */
    static HuntingRequest of(String query, String timespan, Instant now) {
        if (timespan == null || timespan.isBlank()) {
            return new HuntingRequest(query, now.minus(DEFAULT_SPAN), now);
        }
        String[] parts = timespan.trim().split("/", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("timespan '" + timespan + "' has more than two parts");
        }
        if (parts.length == 1) {
            return isDuration(parts[0])
                    ? new HuntingRequest(query, now.minus(duration(parts[0], timespan)), now)
                    : new HuntingRequest(query, instant(parts[0], timespan), now);
        }
        if (isDuration(parts[0]) && isDuration(parts[1])) {
            throw new IllegalArgumentException("timespan '" + timespan + "' has no point in time");
        }
        Instant from;
        Instant to;
        if (isDuration(parts[0])) {
            to = instant(parts[1], timespan);
            from = to.minus(duration(parts[0], timespan));
        } else if (isDuration(parts[1])) {
            from = instant(parts[0], timespan);
            to = from.plus(duration(parts[1], timespan));
        } else {
            from = instant(parts[0], timespan);
            to = instant(parts[1], timespan);
        }
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("timespan '" + timespan + "' ends before it starts");
        }
        return new HuntingRequest(query, from, to);
    }

    private static boolean isDuration(String s) {
        return s.startsWith("P") || s.startsWith("p");
    }

    private static Duration duration(String s, String whole) {
        try {
            int t = s.toUpperCase().indexOf('T');
            if (t < 0) {
                return days(Period.parse(s));
            }
            Duration time = Duration.parse("P" + s.substring(t));
            return t == 1 ? time : time.plus(days(Period.parse(s.substring(0, t))));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timespan '" + whole + "' has an invalid ISO-8601 duration '" + s + "'");
        }
    }

    private static Duration days(Period p) {
        return Duration.ofDays(p.getYears() * 365L + p.getMonths() * 30L + p.getDays());
    }

    private static Instant instant(String s, String whole) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("timespan '" + whole + "' has an invalid date-time '" + s + "'");
        }
    }
}
