package io.graphsec.routes.bench;

import io.graphsec.routes.support.RunningApp;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Consumes every alert queue while the routes run, as the SOC's consumers would, over TCP, one
 * thread and transacted session per queue committing every 500 messages (an acknowledgement per
 * message would cost a journal sync each and slow the broker for everyone). Counts what was
 * committed per queue and, if asked, remembers ids to count repeats. Without it the broker must
 * hold the whole backlog; with it, only what is in flight.
 */
final class Drainer implements AutoCloseable {

    private static final int BATCH = 500;

    private final Connection connection;
    private final List<String> queues;
    private final Map<String, LongAdder> perQueue = new ConcurrentHashMap<>();
    private final Set<String> ids;
    private final AtomicLong repeats = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    Drainer(int port, boolean trackIds) throws JMSException {
        this(port, BenchTenant.ALL_QUEUES, trackIds);
    }

    Drainer(int port, List<String> queues, boolean trackIds) throws JMSException {
        this.queues = List.copyOf(queues);
        ids = trackIds ? ConcurrentHashMap.newKeySet() : null;
        connection = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port)
                .createConnection(RunningApp.BROKER_USER, RunningApp.BROKER_PASSWORD);
        connection.start();
        for (String q : this.queues) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(q));
            Thread t = new Thread(() -> consume(q, session, consumer), "bench-consumer-" + q);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    private void consume(String queue, Session session, MessageConsumer consumer) {
        LongAdder count = perQueue.computeIfAbsent(queue, q -> new LongAdder());
        int pending = 0;
        try {
            while (running) {
                Message m = consumer.receive(100);
                if (m != null) {
                    pending++;
                    if (ids != null && !ids.add(m.getStringProperty("graphAlertId"))) {
                        repeats.incrementAndGet();
                    }
                }
                if (pending >= BATCH || (m == null && pending > 0)) {
                    session.commit();
                    count.add(pending);
                    pending = 0;
                }
            }
            // What was received is committed before the consumer goes: its ids are counted as seen.
            if (pending > 0) {
                session.commit();
                count.add(pending);
            }
        } catch (JMSException e) {
            if (running) {
                System.out.println("[bench] consumer of " + queue + " failed: " + e);
            }
        }
    }

    /** Messages consumed and committed, per queue. */
    Map<String, Long> perQueue() {
        Map<String, Long> counts = new TreeMap<>();
        queues.forEach(q -> counts.put(q, 0L));
        perQueue.forEach((q, n) -> counts.put(q, n.sum()));
        return counts;
    }

    /** The alert ids received (null unless ids are tracked); read them once the consumers are closed. */
    Set<String> ids() {
        return ids;
    }

    /** Alert ids received more than once (counted only when ids are tracked). */
    long repeats() {
        return repeats.get();
    }

    @Override
    public void close() throws JMSException {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        connection.close();
    }
}
