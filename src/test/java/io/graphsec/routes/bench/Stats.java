package io.graphsec.routes.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median and spread of repeated measurements, and percentiles of latencies. */
final class Stats {

    private Stats() {
    }

    /**
     * CPU time of this JVM, all threads (the contender, its broker, the consumers): the work done,
     * which other load on the machine stretches far less than it stretches the wall clock.
     */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static double median(List<Double> values) {
        List<Double> s = sorted(values);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Nearest-rank percentile, p in (0, 100]. */
    static double percentile(List<Double> values, double p) {
        List<Double> s = sorted(values);
        int rank = (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
    }

    /** "median (min-max)" with the given number format, or "-" when nothing was measured. */
    static String summary(List<Double> values, String format) {
        if (values.isEmpty()) {
            return "-";
        }
        List<Double> s = sorted(values);
        String median = String.format(Locale.ROOT, format, median(s));
        return s.size() == 1 ? median : median + " (" + String.format(Locale.ROOT, format, s.get(0)) + " - "
                + String.format(Locale.ROOT, format, s.get(s.size() - 1)) + ")";
    }

    private static List<Double> sorted(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s;
    }
}
