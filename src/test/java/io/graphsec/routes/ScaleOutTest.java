package io.graphsec.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.broker.StandaloneBroker;
import io.graphsec.routes.simulator.AlertFactory;
import io.graphsec.routes.simulator.FakeTicketing;
import io.graphsec.routes.support.ForkedJvm;
import io.graphsec.routes.support.FreshDatabase;
import io.graphsec.routes.support.Queues;
import io.graphsec.routes.support.Queues.Received;
import io.graphsec.routes.support.RunningApp;
import io.graphsec.routes.support.SimulatedTenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances of the application, each in its own JVM, sharing one PostgreSQL database (state and
 * Quartz's clustered job store) and one Artemis broker in a process of its own, while the simulator
 * publishes alerts and updates and analysts' feedback arrives. The instance running the alerts poll
 * at that moment (as Quartz's fired-triggers table says) is killed with SIGKILL; another takes the
 * polls over. At the end every alert's last version is in its queue, none twice, and every feedback
 * was PATCHed exactly once, and ticketing (competing consumers too) opened one ticket per incident that
 * has a high or medium alert. The survivors sent again at most the page the killed poller had not
 * recorded: the shared record of delivered versions, not the broker's duplicate detection, keeps the rest out.
 * The take-over time goes to target/scale-out-test.txt (docs/reliability.md).
 */
class ScaleOutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int INSTANCES = 3;
    private static final int BACKLOG = 120;
    private static final int FEEDBACK = 20;
    private static final String POLL_SUMMARY = "alerts_v2 poll:";
    private static final String STARTED = "(graph-security-routes) started in";
    private static final String SN_USER = "scale-out";
    private static final String SN_PASSWORD = "sn-Passw0rd";
    private static final int TENANTS = 8;
    private static final int BUDGET = 2;
    private static final long PERIOD_MS = 2_000;
    private static final long WINDOW_MS = 10_000;
    private static final int TICK_S = 2;

    @TempDir
    Path dir;

    @Test
    void three_instances_deliver_each_alert_version_once_and_patch_each_feedback_once_across_a_kill_of_the_poller()
            throws Exception {
        Random random = new Random(20261125);
        Path logs = Files.createDirectories(Path.of("target", "scale-out-test-logs"));
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger mostPollsAtOnce = new AtomicInteger();
        AtomicInteger samplerErrors = new AtomicInteger();
        // Closed in reverse: the JVMs go before the database is dropped.
        try (FreshDatabase db = FreshDatabase.create();
             SimulatedTenant tenant = new SimulatedTenant(dir, "SecurityAlert.ReadWrite.All");
             Connection watch = db.connect();
             FakeTicketing serviceNow = new FakeTicketing(0).acceptBasic(SN_USER, SN_PASSWORD).start();
             Forked jvms = new Forked()) {
            tenant.simulator.requestsPerMinute(0);
            List<String> ids = tenant.addAlerts(BACKLOG).stream().map(a -> a.get("id").asText()).toList();
            // Feedback goes to alerts the publisher leaves alone, so each PATCH is the feedback's own.
            List<String> updated = ids.subList(0, BACKLOG - FEEDBACK);
            List<String> judged = ids.subList(BACKLOG - FEEDBACK, BACKLOG);

            int brokerPort = startBroker(jvms, logs);
            Map<String, Path> nodeLogs = new LinkedHashMap<>();
            for (int i = 1; i <= INSTANCES; i++) {
                String node = "node-" + i;
                nodeLogs.put(node, jvms.start(node, GraphSecurityApplication.class,
                        instance(node, tenant, db, brokerPort, serviceNow), logs, "384m"));
                if (i == 1) {
                    // The first one schedules the polls in the shared job store; the others find them there.
                    awaitLog(nodeLogs.get(node), STARTED, Duration.ofSeconds(90));
                }
            }
            for (Path log : nodeLogs.values()) {
                awaitLog(log, STARTED, Duration.ofSeconds(90));
            }

            try (Queues queues = new Queues(brokerPort)) {
                publisher.scheduleAtFixedRate(() -> {
                    tenant.addAlerts(1);
                    for (int i = 0; i < 2; i++) {
                        tenant.alerts().update(updated.get(random.nextInt(updated.size())), a -> a.put("status",
                                "new".equals(a.path("status").asText()) ? "inProgress" : "resolved"));
                    }
                }, 0, 500, TimeUnit.MILLISECONDS);
                watcher.scheduleWithFixedDelay(() -> mostPollsAtOnce.accumulateAndGet(executingPolls(watch, samplerErrors),
                        Math::max), 0, 50, TimeUnit.MILLISECONDS);
                for (String id : judged.subList(0, FEEDBACK / 2)) {
                    queues.send("graph.feedback", feedback(id));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> summaries(nodeLogs.values()) >= 3);

                // Kill the instance that is running the alerts poll right now, mid-poll.
                String active;
                try (Connection c = db.connect()) {
                    active = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                            .until(() -> executingPoller(c), n -> n != null);
                }
                jvms.kill(active);
                long killed = System.nanoTime();
                List<Path> survivors = nodeLogs.entrySet().stream().filter(e -> !e.getKey().equals(active))
                        .map(Map.Entry::getValue).toList();
                int before = summaries(survivors);
                for (String id : judged.subList(FEEDBACK / 2, FEEDBACK)) {
                    queues.send("graph.feedback", feedback(id));
                }
                // A liveness bound, not a timing assertion: Quartz notices the missed check-in (1 s + 7.5 s).
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                        .until(() -> summaries(survivors) > before);
                Duration takeOver = Duration.ofNanos(System.nanoTime() - killed);

                await().atMost(Duration.ofSeconds(30)).until(() -> summaries(survivors) > before + 3);
                publisher.shutdownNow();
                // Feedback and ticket comments change alerts in Graph too: let them settle, then drain.
                await().atMost(Duration.ofSeconds(30)).until(() -> judged.stream().allMatch(id ->
                        tenant.alerts().get(id).map(a -> "resolved".equals(a.path("status").asText())).orElse(false)));
                // Ticketing drains its queue on the survivors: wait until two rounds of polls open no more tickets.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(new Callable<>() {
                    private int tickets = -1;
                    private int polls = -1;

                    @Override
                    public Boolean call() throws Exception {
                        int now = serviceNow.serviceNowIncidents().size();
                        if (now != tickets) {
                            tickets = now;
                            polls = summaries(survivors);
                        }
                        return summaries(survivors) >= polls + 2;
                    }
                });
                Map<String, Integer> delivered = drainUntilQuiet(queues, survivors);
                watcher.shutdownNow();
                watcher.awaitTermination(5, TimeUnit.SECONDS);
                List<String> ticketKeys = serviceNow.serviceNowIncidents().stream()
                        .map(t -> t.path("correlation_id").asText()).toList();

                Set<String> finalVersions = new HashSet<>();
                tenant.alerts().snapshot().forEach(a -> finalVersions.add(version(a)));
                // graph.tickets.severities: an incident gets a ticket once it has a high or medium alert.
                Set<String> ticketedIncidents = new HashSet<>();
                tenant.alerts().snapshot().stream().filter(a -> Set.of("high", "medium").contains(a.path("severity").asText()))
                        .forEach(a -> ticketedIncidents.add(a.path("incidentId").asText()));
                Set<String> lost = new HashSet<>(finalVersions);
                lost.removeAll(delivered.keySet());
                List<String> duplicated = delivered.entrySet().stream().filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey).toList();
                int patches = tenant.simulator.graphRequests("PATCH");
                int recoveries = count(survivors, "refused the commit");
                String figures = String.format("scale-out test: %d instances (one PostgreSQL, one Artemis process);"
                                + " killed %s mid-poll; take-over (kill -9 to the next completed alerts poll on another"
                                + " instance) %.1f s; %d alerts, %d messages, %d distinct versions delivered, %d final"
                                + " versions lost, %d versions duplicated; %d feedback messages, %d PATCHes; at most %d"
                                + " alerts poll(s) executing at once; %d page(s) the broker refused as duplicates and"
                                + " re-sent one by one after the take-over; %d tickets for %d incidents%n",
                        INSTANCES, active, takeOver.toMillis() / 1000.0, finalVersions.size(),
                        delivered.values().stream().mapToInt(Integer::intValue).sum(), delivered.size(), lost.size(),
                        duplicated.size(), FEEDBACK, patches, mostPollsAtOnce.get(), recoveries, ticketKeys.size(),
                        ticketedIncidents.size());
                System.out.print(figures);
                Files.writeString(Path.of("target", "scale-out-test.txt"), figures);

                assertThat(lost).as("every alert's last version is delivered").isEmpty();
                assertThat(duplicated).as("no alert version delivered twice").isEmpty();
                assertThat(patches).as("each feedback PATCHed once").isEqualTo(FEEDBACK);
                assertThat(samplerErrors.get()).as("failed samples of the executing polls").isZero();
                assertThat(mostPollsAtOnce.get()).as("one active alerts poller across the instances").isEqualTo(1);
                assertThat(ticketKeys).as("one ticket per incident with a high or medium alert, across the instances")
                        .extracting(k -> k.substring(k.lastIndexOf(':') + 1))
                        .containsExactlyInAnyOrderElementsOf(ticketedIncidents);
                // The broker's duplicate detection only has to catch the page the killed poller committed but had not
                // yet recorded; everything else the survivors know from the shared record of delivered versions.
                assertThat(recoveries).as("pages the survivors sent again and the broker refused").isLessThanOrEqualTo(1);
            }
        } finally {
            publisher.shutdownNow();
            watcher.shutdownNow();
            watcher.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Two instances share each tenant's Graph budget: eight tenants (each its own app registration in
     * the one simulator) polled every second for alerts and incidents, pages of two, new alerts
     * arriving, so each tenant asks for more than its budget of 2 requests each 2 s. Quartz spreads the
     * polls over both instances, and the requests of both together stay within one budget. Then one
     * instance is killed and the other polls every tenant.
     */
    @Test
    void two_instances_keep_each_tenants_combined_requests_within_its_budget_and_one_polls_every_tenant_after_the_other_is_killed()
            throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "scale-out-budget-test-logs"));
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        try (FreshDatabase db = FreshDatabase.create();
             SimulatedTenant tenant = new SimulatedTenant(dir, "SecurityAlert.Read.All", "SecurityIncident.Read.All");
             Forked jvms = new Forked()) {
            tenant.simulator.requestsPerMinute(0);
            Map<String, String> tenantIds = new LinkedHashMap<>();
            tenantIds.put("default", SimulatedTenant.TENANT);
            Map<String, String> tenantProps = new LinkedHashMap<>();
            for (int i = 1; i < TENANTS; i++) {
                String name = "t" + i;
                String tid = String.format("%08d-0000-4000-8000-000000000000", i);
                String client = String.format("%08d-1111-4000-8000-000000000000", i);
                tenant.simulator.registerClient(tid, client, "secret-" + name, "SecurityAlert.Read.All",
                        "SecurityIncident.Read.All");
                tenantIds.put(name, tid);
                tenantProps.put("graph.tenant." + name + ".tenant-id", tid);
                tenantProps.put("graph.tenant." + name + ".client-id", client);
                tenantProps.put("graph.tenant." + name + ".client-secret", "secret-" + name);
            }
            tenantProps.put("graph.tenants", String.join(",", tenantIds.keySet().stream().skip(1).toList()));
            Map<String, AlertFactory> factories = new LinkedHashMap<>();
            tenantIds.forEach((name, tid) -> factories.put(tid, new AlertFactory(900L + factories.size(), tid)));
            AtomicInteger incident = new AtomicInteger(5000);
            Runnable publish = () -> factories.forEach((tid, f) -> tenant.simulator.alerts(tid)
                    .put(f.newAlert(Instant.now().minusSeconds(1), "high", String.valueOf(incident.incrementAndGet()))));
            for (int i = 0; i < 6; i++) {
                publish.run();
            }

            int brokerPort = startBroker(jvms, logs);
            // Each poll waits for its tenant's permit on a Quartz worker: a worker per poll job (two per tenant),
            // so that after the kill the survivor holds them all and no tenant waits for a worker.
            Path quartz = dir.resolve("budget-quartz.properties");
            try (java.io.InputStream base = getClass().getResourceAsStream("/graph-security-quartz.properties")) {
                String text = new String(base.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(text).contains("threadCount = 10");
                Files.writeString(quartz, text.replace("threadCount = 10", "threadCount = " + (2 * TENANTS + 2)));
            }
            Map<String, Integer> managementPorts = new LinkedHashMap<>();
            Map<String, Path> nodeLogs = new LinkedHashMap<>();
            for (String node : List.of("node-1", "node-2")) {
                Map<String, String> props = budgetInstance(node, tenant, db, brokerPort);
                props.putAll(tenantProps);
                props.put("camel.component.quartz.properties-file", "file:" + quartz);
                managementPorts.put(node, Integer.valueOf(props.get("camel.management.port")));
                nodeLogs.put(node, jvms.start(node, GraphSecurityApplication.class, props, logs, "384m"));
                // The first one schedules the polls in the shared job store; the other finds them there.
                awaitLog(nodeLogs.get(node), STARTED, Duration.ofSeconds(90));
            }
            publisher.scheduleAtFixedRate(publish, 0, 1, TimeUnit.SECONDS);

            // Both instances at work for at least 20 s, until each has made requests of two tenants or more
            // (Quartz hands the polls to whichever instance acquires their trigger first: the one started
            // later may take a while); then each one's permits taken per tenant.
            long bothRunning = System.currentTimeMillis();
            Map<String, Integer> callsBefore = new LinkedHashMap<>();
            Map<String, Map<String, Double>> permits = new LinkedHashMap<>();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                callsBefore.clear();
                tenantIds.forEach((name, tid) -> callsBefore.put(name, tenant.simulator.graphCallsOf(tid).size()));
                permits.clear();
                for (Map.Entry<String, Integer> node : managementPorts.entrySet()) {
                    String metrics = metrics(node.getValue());
                    Map<String, Double> byTenant = new LinkedHashMap<>();
                    tenantIds.keySet().forEach(name -> byTenant.put(name,
                            PerTenantOperationsTest.sum(metrics, "graph_budget_permits_total", name)));
                    permits.put(node.getKey(), byTenant);
                }
                return System.currentTimeMillis() > bothRunning + 20_000 && permits.values().stream()
                        .allMatch(byTenant -> byTenant.values().stream().filter(n -> n > 0).count() >= 2);
            });

            jvms.kill("node-1");
            long killed = System.currentTimeMillis();
            // Quartz gives the killed instance's running polls to the survivor once its check-in is missed
            // (check-in 1 s + Quartz's 7.5 s); from then on the survivor polls every tenant.
            long recovered = killed + 10_000;
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> tenantIds.values()
                    .stream().allMatch(tid -> tenant.simulator.graphCallsOf(tid).stream().filter(t -> t > recovered)
                            .count() >= 2));
            publisher.shutdownNow();

            Map<String, Integer> busiestWindow = new LinkedHashMap<>();
            Map<String, Long> firstCallAfterKill = new LinkedHashMap<>();
            tenantIds.forEach((name, tid) -> {
                List<Long> calls = tenant.simulator.graphCallsOf(tid).stream().sorted().toList();
                busiestWindow.put(name, busiestWindow(calls, WINDOW_MS));
                firstCallAfterKill.put(name, calls.stream().filter(t -> t > killed).findFirst().orElseThrow() - killed);
            });
            String figures = String.format("scale-out budget test: %d tenants, budget %d requests per %d ms, two"
                            + " instances; most Graph requests of one tenant in any %d ms (both instances together): %s;"
                            + " permits per tenant taken by each instance before the kill: %s; ms from the kill of"
                            + " node-1 to each tenant's next Graph request: %s%n", TENANTS, BUDGET, PERIOD_MS, WINDOW_MS,
                    busiestWindow, permits, firstCallAfterKill);
            System.out.print(figures);
            Files.writeString(Path.of("target", "scale-out-budget-test.txt"), figures);

            // The bucket holds 2 permits and gets 2 more each 2 s, so any 10 s grant at most 2 + 2 x 5; a
            // request arrives after its grant by less than a period, which lets one more refill in: 14.
            int allowed = BUDGET + BUDGET * (int) Math.ceil((double) (WINDOW_MS + PERIOD_MS) / PERIOD_MS);
            assertThat(busiestWindow).as("each tenant's Graph requests in any %d ms, both instances together", WINDOW_MS)
                    .allSatisfy((name, n) -> assertThat(n).as(name).isLessThanOrEqualTo(allowed));
            for (Map.Entry<String, Map<String, Double>> node : permits.entrySet()) {
                assertThat(node.getValue().values().stream().filter(n -> n > 0).count())
                        .as("tenants whose Graph requests %s made before the kill", node.getKey())
                        .isGreaterThanOrEqualTo(2);
            }
            // Every request took a permit first: the two instances' counts cover what the simulator saw.
            callsBefore.forEach((name, calls) -> assertThat(permits.values().stream()
                    .mapToDouble(byTenant -> byTenant.get(name)).sum()).as("permits of %s", name)
                    .isGreaterThanOrEqualTo(calls));
        } finally {
            publisher.shutdownNow();
        }
    }

    /**
     * Two instances follow one tenants file (the same file for both, as one ConfigMap would give them):
     * tenant b, added while both run, is polled within a tick or two, each of its ticks by one instance
     * only, and each of its alerts is in its queue once; taken out of the file again, it is polled by
     * neither and its job leaves the shared Quartz store. The default tenant and a are polled throughout.
     */
    @Test
    void a_tenant_added_to_the_tenants_file_of_two_instances_is_polled_once_a_tick_and_removed_from_both()
            throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "scale-out-tenants-test-logs"));
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        try (FreshDatabase db = FreshDatabase.create();
             SimulatedTenant tenant = new SimulatedTenant(dir, "SecurityAlert.Read.All");
             Forked jvms = new Forked()) {
            tenant.simulator.requestsPerMinute(0);
            Map<String, String> tenantIds = new LinkedHashMap<>();
            tenantIds.put("default", SimulatedTenant.TENANT);
            for (String name : List.of("a", "b")) {
                TenantsAddedAndRemovedWhileRunningTest.register(tenant.simulator, name);
                tenantIds.put(name, TenantsAddedAndRemovedWhileRunningTest.tid(name));
            }
            String b = tenantIds.get("b");
            Map<String, AlertFactory> factories = new LinkedHashMap<>();
            tenantIds.forEach((name, tid) -> factories.put(name, new AlertFactory(700L + factories.size(), tid)));
            AtomicInteger incident = new AtomicInteger(7000);
            List<String> publishedOfB = new CopyOnWriteArrayList<>();
            AtomicBoolean publishB = new AtomicBoolean(true);
            Runnable publish = () -> factories.forEach((name, f) -> {
                if (!name.equals("b") || publishB.get()) {
                    ObjectNode alert = f.newAlert(Instant.now().minusSeconds(1), "high",
                            String.valueOf(incident.incrementAndGet()));
                    tenant.simulator.alerts(tenantIds.get(name)).put(alert);
                    if (name.equals("b")) {
                        publishedOfB.add(alert.get("id").asText());
                    }
                }
            });
            publish.run();
            Path file = dir.resolve("tenants.properties");
            TenantsAddedAndRemovedWhileRunningTest.write(file, "a", "a");

            int brokerPort = startBroker(jvms, logs);
            Map<String, Integer> managementPorts = new LinkedHashMap<>();
            for (String node : List.of("node-1", "node-2")) {
                Map<String, String> props = clustered(node, tenant, db, brokerPort);
                props.put("graph.tenants.file", file.toString());
                props.put("graph.tenants.reload-interval", "PT1S");
                props.put("graph.alerts.poll.cron", "0/" + TICK_S + " * * * * ?");
                managementPorts.put(node, Integer.valueOf(props.get("camel.management.port")));
                // The first one schedules the polls in the shared job store; the other finds them there.
                awaitLog(jvms.start(node, GraphSecurityApplication.class, props, logs, "384m"), STARTED,
                        Duration.ofSeconds(90));
            }

            try (Queues queues = new Queues(brokerPort)) {
                publisher.scheduleAtFixedRate(publish, 0, 1, TimeUnit.SECONDS);
                List<Received> delivered = new ArrayList<>();
                await("alerts of the default tenant and a delivered").atMost(Duration.ofSeconds(60)).until(() -> {
                    delivered.addAll(queues.drain("graph.alerts.high"));
                    return delivered.stream().map(m -> m.property("graphTenant")).distinct().count() == 2;
                });

                // b is added to the file while both run: each instance makes its poll route (its health check
                // says so), the first to read the file schedules its job in the shared store.
                TenantsAddedAndRemovedWhileRunningTest.write(file, "a,b", "a", "b");
                long added = System.currentTimeMillis();
                Map<String, Integer> callsAtAdd = new LinkedHashMap<>();
                List.of("default", "a").forEach(name -> callsAtAdd.put(name,
                        tenant.simulator.graphCallsOf(tenantIds.get(name)).size()));
                await("both instances serve b").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> servingB(managementPorts), serving -> serving.size() == 2);
                long bothServe = System.currentTimeMillis();
                await("an alert of b delivered").atMost(Duration.ofSeconds(60)).until(() -> {
                    delivered.addAll(queues.drain("graph.alerts.high"));
                    return delivered.stream().anyMatch(m -> "b".equals(m.property("graphTenant")));
                });
                long firstDelivery = System.currentTimeMillis() - added;
                // Six polls of b while both instances serve it: each reaches Graph in one request (a page of the
                // few alerts of a tick), so six requests are six ticks only if no tick ran on both instances.
                List<Long> callsOfB = await("six Graph requests of b").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> tenant.simulator.graphCallsOf(b).stream().filter(t -> t > bothServe).sorted().toList(),
                                calls -> calls.size() >= 6);
                List<Long> six = callsOfB.subList(0, 6);
                // Which instance ran b's ticks is Quartz's choice: reported, not asserted.
                Map<String, Double> pollsOfB = new LinkedHashMap<>();
                for (Map.Entry<String, Integer> node : managementPorts.entrySet()) {
                    pollsOfB.put(node.getKey(), PerTenantOperationsTest.sum(metrics(node.getValue()), "graph_polls_total", "b"));
                }

                // b leaves the file: once neither instance serves it, Graph hears nothing more from it.
                publishB.set(false);
                await("every alert published for b delivered").atMost(Duration.ofSeconds(60)).until(() -> {
                    delivered.addAll(queues.drain("graph.alerts.high"));
                    return delivered.stream().filter(m -> "b".equals(m.property("graphTenant")))
                            .map(m -> m.property("graphAlertId")).toList().containsAll(publishedOfB);
                });
                TenantsAddedAndRemovedWhileRunningTest.write(file, "a", "a");
                await("neither instance serves b").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> servingB(managementPorts), List::isEmpty);
                long removed = System.currentTimeMillis();
                Map<String, Integer> callsAtRemoval = new LinkedHashMap<>();
                tenantIds.forEach((name, tid) -> callsAtRemoval.put(name, tenant.simulator.graphCallsOf(tid).size()));
                await("three more Graph requests of the default tenant and of a").atMost(Duration.ofSeconds(60))
                        .until(() -> List.of("default", "a").stream().allMatch(name ->
                        tenant.simulator.graphCallsOf(tenantIds.get(name)).size() >= callsAtRemoval.get(name) + 3));
                publisher.shutdownNow();
                delivered.addAll(queues.drain("graph.alerts.high"));

                Map<String, Integer> deliveriesOfB = new HashMap<>();
                delivered.stream().filter(m -> "b".equals(m.property("graphTenant")))
                        .forEach(m -> deliveriesOfB.merge(m.property("graphAlertId"), 1, Integer::sum));
                List<Long> gaps = new ArrayList<>();
                for (int i = 1; i < six.size(); i++) {
                    gaps.add(six.get(i) - six.get(i - 1));
                }
                System.out.printf("scale-out tenants test: b first delivered %d ms after it was added to the file;"
                                + " ms between its Graph requests while both instances served it: %s; its polls by"
                                + " instance: %s; %d of its alerts published, %d messages of it delivered%n",
                        firstDelivery, gaps, pollsOfB,
                        publishedOfB.size(), deliveriesOfB.values().stream().mapToInt(Integer::intValue).sum());

                // A tick starts its poll within the misfire threshold (1 s) and its request follows, within 2 s even
                // on a loaded machine: six requests of six ticks span five periods less that lateness (8 s); six of
                // two instances firing the same ticks span three ticks or so (4 to 6 s).
                assertThat(six.get(5) - six.get(0)).as("ms spanned by six Graph requests of b, ticks every %d s: %s",
                        TICK_S, gaps).isGreaterThanOrEqualTo(5 * TICK_S * 1000L - 2000);
                assertThat(deliveriesOfB).as("messages per alert of b").containsOnlyKeys(publishedOfB)
                        .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
                assertThat(tenant.simulator.graphCallsOf(b).stream().filter(t -> t > removed))
                        .as("Graph requests of b after neither instance served it").isEmpty();
                assertThat(TenantsAddedAndRemovedWhileRunningTest.column(db, "SELECT job_name FROM qrtz_job_details"))
                        .as("jobs in the shared store").contains("graph-alerts-poll", "alerts-a-poll")
                        .doesNotContain("alerts-b-poll");
                assertThat(TenantsAddedAndRemovedWhileRunningTest.column(db, "SELECT job_name FROM qrtz_triggers"))
                        .as("triggers in the shared store").contains("graph-alerts-poll", "alerts-a-poll")
                        .doesNotContain("alerts-b-poll");
                callsAtAdd.forEach((name, calls) -> assertThat(callsAtRemoval.get(name))
                        .as("Graph requests of %s while b was served", name).isGreaterThanOrEqualTo(calls + 3));
            }
        } finally {
            publisher.shutdownNow();
        }
    }

    /** The instances whose readiness has a check of b's alerts poll, i.e. that serve tenant b now. */
    private static List<String> servingB(Map<String, Integer> managementPorts) throws Exception {
        List<String> serving = new ArrayList<>();
        for (Map.Entry<String, Integer> node : managementPorts.entrySet()) {
            if (PerTenantOperationsTest.get(node.getValue(), "/observe/health?exposureLevel=full&data=true").body()
                    .contains("graph-poll-alerts_v2@b")) {
                serving.add(node.getKey());
            }
        }
        return serving;
    }

    /** The Artemis broker the instances share, in a JVM of its own; returns its port once it listens. */
    private int startBroker(Forked jvms, Path logs) throws Exception {
        int brokerPort = RunningApp.freePort();
        jvms.start("broker", StandaloneBroker.class, Map.of(
                "graph.broker.embedded.data-dir", dir.resolve("broker").toString(),
                "graph.broker.embedded.port", String.valueOf(brokerPort),
                "graph.broker.embedded.password", RunningApp.BROKER_PASSWORD), logs, "256m");
        awaitLog(logs.resolve("broker.log"), "Embedded Artemis broker started", Duration.ofSeconds(60));
        return brokerPort;
    }

    /** The most of {@code sorted} (arrival times) that fall in any {@code window} milliseconds. */
    private static int busiestWindow(List<Long> sorted, long window) {
        int most = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (sorted.get(to) - sorted.get(from) >= window) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }

    private static String metrics(int port) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * One instance of the budget test: the tenants' budget small and their polls (alerts, incidents)
     * each second in pages of two, so the budget binds.
     */
    private Map<String, String> budgetInstance(String node, SimulatedTenant tenant, FreshDatabase db, int brokerPort) {
        Map<String, String> props = clustered(node, tenant, db, brokerPort);
        props.put("graph.rate.requests-per-period", String.valueOf(BUDGET));
        props.put("graph.rate.period", "PT" + PERIOD_MS / 1000 + "S");
        props.put("graph.alerts.page-size", "2");
        props.put("graph.incidents.enabled", "true");
        props.put("graph.incidents.poll.cron", "0/1 * * * * ?");
        props.put("graph.incidents.page-size", "2");
        return props;
    }

    /** One instance of the first test, opening its tickets in the fake ServiceNow. */
    private Map<String, String> instance(String node, SimulatedTenant tenant, FreshDatabase db, int brokerPort,
                                         FakeTicketing serviceNow) {
        Map<String, String> props = clustered(node, tenant, db, brokerPort);
        props.put("graph.alerts.page-size", "50");
        props.put("graph.tickets.system", "servicenow");
        props.put("graph.tickets.servicenow.url", serviceNow.baseUrl());
        props.put("graph.tickets.servicenow.user", SN_USER);
        props.put("graph.tickets.servicenow.password", SN_PASSWORD);
        props.put("graph.tickets.retry-delay-ms", "100");
        return props;
    }

    /** One instance: the shared database and broker, clustered Quartz checking in each second. */
    private Map<String, String> clustered(String node, SimulatedTenant tenant, FreshDatabase db, int brokerPort) {
        Map<String, String> props = RunningApp.against(tenant, dir.resolve(node), brokerPort);
        props.put("graph.broker.embedded.enabled", "false");
        props.put("graph.jms.url", "tcp://127.0.0.1:" + brokerPort);
        props.put("graph.jms.user", RunningApp.BROKER_USER);
        props.put("graph.jms.password", RunningApp.BROKER_PASSWORD);
        props.putAll(db.appProperties("graph-security-routes"));
        props.put("graph.cluster.instance-id", node);
        props.put("graph.cluster.checkin-interval", "PT1S");
        props.put("camel.main.shutdown-timeout", "1");
        return props;
    }

    /** Takes every alert from the severity queues until three rounds of the survivors' polls bring nothing new. */
    private static Map<String, Integer> drainUntilQuiet(Queues queues, List<Path> survivors) throws Exception {
        Map<String, Integer> delivered = new HashMap<>();
        int quiet = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (quiet < 3 && System.nanoTime() < deadline) {
            int polled = summaries(survivors);
            await().atMost(Duration.ofSeconds(30)).until(() -> summaries(survivors) > polled + 1);
            List<Received> got = new ArrayList<>();
            queues.drainAll(Queues.SEVERITY_QUEUES).values().forEach(got::addAll);
            quiet = got.isEmpty() ? quiet + 1 : 0;
            for (Received m : got) {
                delivered.merge(version(JSON.readTree(m.body())), 1, Integer::sum);
            }
        }
        return delivered;
    }

    /** How many alerts poll jobs are executing now, across the instances (Quartz's fired-triggers table). */
    private static int executingPolls(Connection c, AtomicInteger errors) {
        try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM qrtz_fired_triggers"
                + " WHERE job_name = 'graph-alerts-poll' AND state = 'EXECUTING'");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            // Not a sample of none executing: counted, and the test fails on it.
            errors.incrementAndGet();
            return 0;
        }
    }

    /** The Quartz instance id of the instance whose alerts poll job is executing, or null. */
    private static String executingPoller(Connection c) throws Exception {
        try (PreparedStatement st = c.prepareStatement("SELECT instance_name FROM qrtz_fired_triggers"
                + " WHERE job_name = 'graph-alerts-poll' AND state = 'EXECUTING'");
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static int summaries(Iterable<Path> logs) throws Exception {
        return count(logs, POLL_SUMMARY);
    }

    private static int count(Iterable<Path> logs, String text) throws Exception {
        int n = 0;
        for (Path log : logs) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    n += line.contains(text) ? 1 : 0;
                }
            }
        }
        return n;
    }

    private static void awaitLog(Path log, String text, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(log) && Files.readString(log).contains(text));
    }

    private static String feedback(String id) {
        return JSON.createObjectNode().put("alertId", id).put("status", "resolved")
                .put("classification", "truePositive").put("determination", "malware")
                .put("comment", "Closed by the scale-out test").put("requestedBy", "scale-out-test").toString();
    }

    private static String version(JsonNode alert) {
        return alert.get("id").asText() + "|" + alert.get("lastUpdateDateTime").asText();
    }

    /** The forked JVMs by name, each logging to logs/<name>.log; all killed, in reverse order of start, at close. */
    private static final class Forked implements AutoCloseable {
        private final Map<String, Process> processes = new LinkedHashMap<>();

        Path start(String name, Class<?> mainClass, Map<String, String> props, Path logs, String heap) throws Exception {
            Path log = logs.resolve(name + ".log");
            processes.put(name, ForkedJvm.start(mainClass, props, log, heap));
            return log;
        }

        void kill(String name) throws InterruptedException {
            processes.get(name).destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            List<Process> all = new ArrayList<>(processes.values());
            for (int i = all.size() - 1; i >= 0; i--) {
                all.get(i).destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
