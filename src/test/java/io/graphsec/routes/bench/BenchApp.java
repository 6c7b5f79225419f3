package io.graphsec.routes.bench;

import io.graphsec.routes.GraphSecurityApplication;
import io.graphsec.routes.support.RunningApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * The real application under test, started the way {@link RunningApp} starts it (Camel Main,
 * application.properties, routes/*.camel.yaml, properties overridden as -D options would), plus
 * an event notifier that counts the poll route's exchanges: how many polls began, completed and
 * failed, and when. It counts only the poll exchange itself, not the alerts split from it.
 */
final class BenchApp implements AutoCloseable {

    static final String POLL_ROUTE = "graph-alerts-poll";

    final int brokerPort;
    final Polls polls = new Polls();
    /** Nanos (System.nanoTime) when start was called and when Camel Main's start returned. */
    final long startCalled;
    final long started;
    private final Main main;

    private BenchApp(Map<String, String> properties, int brokerPort) throws Exception {
        this.brokerPort = brokerPort;
        this.main = GraphSecurityApplication.newMain();
        properties.forEach(main::addOverrideProperty);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                m.getCamelContext().getManagementStrategy().addEventNotifier(polls);
            }
        });
        startCalled = System.nanoTime();
        main.start();
        started = System.nanoTime();
    }

    /** The properties the benchmark runs the application with: fresh state and broker under dataDir. */
    static Map<String, String> properties(Path dataDir, int brokerPort, BenchTenant tenant, int pageSize) {
        Map<String, String> p = new LinkedHashMap<>(RunningApp.defaults(dataDir, brokerPort));
        p.putAll(tenant.appProperties());
        p.put("graph.alerts.page-size", String.valueOf(pageSize));
        p.put("graph.alerts.poll.cron", "0/1 * * * * ?");
        return p;
    }

    static BenchApp start(Path dataDir, BenchTenant tenant, int pageSize) throws Exception {
        return start(dataDir, tenant, pageSize, Map.of());
    }

    static BenchApp start(Path dataDir, BenchTenant tenant, int pageSize, Map<String, String> more) throws Exception {
        int port = RunningApp.freePort();
        Map<String, String> p = properties(dataDir, port, tenant, pageSize);
        p.putAll(more);
        return new BenchApp(p, port);
    }

    /** For progress lines: how the polls are doing. */
    String status() {
        Snapshot p = polls.now();
        return "; polls begun " + p.begun() + ", completed " + p.completed() + ", failed " + p.failed();
    }

    /**
     * The poll counts at one moment; times are System.nanoTime() values.
     *
     * @param backToBack polls that began within 100 ms of the previous one's end
     */
    record Snapshot(int begun, int completed, int failed, int backToBack, long firstBegun, long lastEnded) {
    }

    @Override
    public void close() {
        main.stop();
    }

    /**
     * Counts of the poll route's exchanges, with the time of the first begin and the last
     * end, and how many polls began right on the heels of the previous one (a cron firing
     * Quartz held back while a long poll ran, replayed at once).
     */
    static final class Polls extends EventNotifierSupport {
        private static final long BACK_TO_BACK_NANOS = 100_000_000L;
        private final Map<String, Long> inFlight = new java.util.HashMap<>();
        private final java.util.List<Double> durationsMillis = new java.util.ArrayList<>();
        private int begun;
        private int completed;
        private int failed;
        private int backToBack;
        private long firstBegun;
        private long firstBegunCpu;
        private long lastEnded;

        Polls() {
            setIgnoreCamelContextEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreExchangeSendingEvents(true);
            setIgnoreExchangeSentEvents(true);
            setIgnoreExchangeRedeliveryEvents(true);
            setIgnoreStepEvents(true);
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof ExchangeEvent;
        }

        @Override
        public void notify(CamelEvent event) {
            Exchange exchange = ((ExchangeEvent) event).getExchange();
            if (!POLL_ROUTE.equals(exchange.getFromRouteId()) || exchange.getProperty(ExchangePropertyKey.SPLIT_INDEX) != null) {
                return;
            }
            long now = System.nanoTime();
            synchronized (this) {
                if (event instanceof CamelEvent.ExchangeCreatedEvent) {
                    inFlight.put(exchange.getExchangeId(), now);
                    if (completed > 0 && now - lastEnded < BACK_TO_BACK_NANOS) {
                        backToBack++;
                    }
                    if (begun++ == 0) {
                        firstBegun = now;
                        firstBegunCpu = Stats.processCpuNanos();
                    }
                    return;
                }
                boolean failure = event instanceof CamelEvent.ExchangeFailedEvent;
                if (!failure && !(event instanceof CamelEvent.ExchangeCompletedEvent)) {
                    return;
                }
                Long began = inFlight.remove(exchange.getExchangeId());
                if (began == null) {
                    // A unit of work inside the poll (the transacted page) ends with the same exchange: not a poll's end.
                    return;
                }
                durationsMillis.add((now - began) / 1e6);
                if (failure) {
                    failed++;
                } else {
                    completed++;
                }
                lastEnded = now;
                notifyAll();
            }
        }

        /** CPU time of this JVM (all threads) when the first poll began. */
        synchronized long firstBegunCpu() {
            return firstBegunCpu;
        }

        /** How long each poll took from its exchange's creation to its end, in order. */
        synchronized java.util.List<Double> durationsMillis() {
            return new java.util.ArrayList<>(durationsMillis);
        }

        synchronized Snapshot now() {
            return new Snapshot(begun, completed, failed, backToBack, firstBegun, lastEnded);
        }

        /** Waits until at least {@code count} polls completed; false on timeout. */
        synchronized boolean awaitCompleted(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (completed < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}
