package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo tenant's life: a backlog of alerts spread over the last hours, then every tick a few
 * new alerts and a few status changes (new → inProgress → resolved), so a newcomer sees both new
 * alerts and updates flow without a real tenant. The alerts' incidents exist alongside them (the
 * simulator groups them); now and then one is resolved with its alerts, and once in a while one is
 * merged into another, so the incident lifecycle shows too. Microsoft ranks them ({@link DemoRanking}):
 * the first incident at 95, so the demo shows alerts raised to high by their incident's score.
 */
public final class DemoTimeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoTimeline.class);

    private final EntityStore alerts;
    private final AlertFactory factory;
    private final Random random = new Random(7);
    /** Microsoft's ranking of the demo's incidents, drawn apart so the rest of the demo stays as it was. */
    private final DemoRanking ranking = new DemoRanking(new Random(11));
    private final int initialAlerts;
    private final Duration tick;
    /** Incidents still taking new alerts: neither resolved nor merged away. */
    private final List<String> incidents = new ArrayList<>();
    private int nextIncident = 2_972_395;
    private ScheduledExecutorService scheduler;

    public DemoTimeline(EntityStore alerts, String tenant, int initialAlerts, Duration tick) {
        this.alerts = alerts;
        this.factory = new AlertFactory(42, tenant);
        this.initialAlerts = initialAlerts;
        this.tick = tick;
    }

    public void start() {
        Instant now = Instant.now();
        List<ObjectNode> backlog = new ArrayList<>();
        for (int i = 0; i < initialAlerts; i++) {
            // Every severity shows up in the first poll, whatever the mix draws.
            String severity = AlertFactory.SEVERITIES.get(i % AlertFactory.SEVERITIES.size());
            backlog.add(factory.newAlert(now.minusSeconds(60L * (initialAlerts - i)), severity, incident()));
        }
        alerts.putAll(backlog);
        if (alerts.incidentBook() != null) {
            ranking.rankBacklog(alerts.incidentBook(), List.copyOf(incidents));
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "graph-simulator-timeline");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::step, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void step() {
        try {
            alertsArriveAndProgress();
            incidentsProgress();
        } catch (RuntimeException e) {
            // An exception would end the scheduled task silently, and with it the demo.
            LOG.warn("demo timeline step failed; the next tick carries on", e);
        }
    }

    private void alertsArriveAndProgress() {
        int created = 1 + random.nextInt(3);
        for (int i = 0; i < created; i++) {
            ObjectNode alert = factory.newAlert(GraphTime.uniqueNow(), incident());
            alerts.put(alert);
        }
        List<ObjectNode> open = alerts.snapshot().stream()
                .filter(a -> !"resolved".equals(a.path("status").asText())).toList();
        for (int i = 0; i < Math.min(2, open.size()); i++) {
            ObjectNode a = open.get(random.nextInt(open.size()));
            String next = "new".equals(a.path("status").asText()) ? "inProgress" : "resolved";
            alerts.update(a.get("id").asText(), e -> {
                e.put("status", next);
                if ("resolved".equals(next)) {
                    e.put("resolvedDateTime", GraphTime.format(Instant.now()));
                    e.put("classification", "truePositive");
                    e.put("determination", "malware");
                }
            });
        }
    }

    private void incidentsProgress() {
        IncidentBook book = alerts.incidentBook();
        if (book == null || incidents.size() < 3) {
            return;
        }
        ranking.step(book, incidents);
        if (random.nextInt(4) == 0) {
            String resolved = incidents.remove(random.nextInt(incidents.size()));
            book.resolve(resolved, ranking.resolvingComment());
            LOG.info("demo: resolved incident {} with its alerts", resolved);
        } else if (random.nextInt(8) == 0) {
            String from = incidents.remove(random.nextInt(incidents.size()));
            String into = incidents.get(random.nextInt(incidents.size()));
            book.merge(from, into);
            LOG.info("demo: merged incident {} into {}", from, into);
        }
    }

    private String incident() {
        if (incidents.isEmpty() || random.nextInt(3) == 0) {
            incidents.add(String.valueOf(nextIncident++));
        }
        return incidents.get(random.nextInt(incidents.size()));
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                // A step half done when the simulator closes would log a confusing failure.
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
