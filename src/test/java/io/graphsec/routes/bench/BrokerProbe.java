package io.graphsec.routes.bench;

import io.graphsec.routes.support.RunningApp;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Asks the broker, over its TCP acceptor as another process would, how many messages each queue
 * holds (Artemis management messages, attribute {@code messageCount}), and drains queues to check
 * that no alert id arrived twice. Counting never reads logs.
 */
final class BrokerProbe implements AutoCloseable {

    private static final String MANAGEMENT_ADDRESS = "activemq.management";

    private final QueueConnection connection;
    private final QueueSession session;
    private final QueueRequestor requestor;

    BrokerProbe(int port) throws JMSException {
        connection = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port)
                .createQueueConnection(RunningApp.BROKER_USER, RunningApp.BROKER_PASSWORD);
        connection.start();
        session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
        requestor = new QueueRequestor(session, session.createQueue(MANAGEMENT_ADDRESS));
    }

    /** Messages in the queue now; 0 for a queue not created yet (no message was ever sent to it). */
    long messageCount(String queue) throws Exception {
        return attribute(queue, "messageCount");
    }

    /** A numeric attribute of the queue ({@code messageCount}, {@code messagesAdded}); 0 for a queue not created yet. */
    private long attribute(String queue, String name) throws Exception {
        Message request = session.createMessage();
        JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, name);
        Message reply = requestor.request(request);
        if (reply == null || !JMSManagementHelper.hasOperationSucceeded(reply)) {
            return 0;
        }
        return ((Number) JMSManagementHelper.getResult(reply)).longValue();
    }

    Map<String, Long> counts(List<String> queues) throws Exception {
        return attributes(queues, "messageCount");
    }

    /** Messages ever added to each queue (consumed or not: the broker's count of what was sent to it). */
    Map<String, Long> added(List<String> queues) throws Exception {
        return attributes(queues, "messagesAdded");
    }

    private Map<String, Long> attributes(List<String> queues, String name) throws Exception {
        Map<String, Long> values = new TreeMap<>();
        for (String q : queues) {
            values.put(q, attribute(q, name));
        }
        return values;
    }

    /** Consumes every message of the queues; returns how many ids came more than once, and the messages seen. */
    Drained drain(List<String> queues) throws JMSException {
        return drain(queues, new HashSet<>());
    }

    /**
     * As {@link #drain(List)}, an id counting as repeated also when it is among {@code seen} (ids
     * consumed earlier), which it joins; the distinct ids reported are all of {@code seen}.
     */
    Drained drain(List<String> queues, Set<String> seen) throws JMSException {
        Set<String> ids = seen;
        Map<String, Long> perQueue = new TreeMap<>();
        long duplicates = 0;
        long total = 0;
        for (String q : queues) {
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(q))) {
                for (Message m = consumer.receive(500); m != null; m = consumer.receive(500)) {
                    total++;
                    perQueue.merge(q, 1L, Long::sum);
                    if (!ids.add(m.getStringProperty("graphAlertId"))) {
                        duplicates++;
                    }
                }
            }
        }
        return new Drained(total, ids.size(), duplicates, perQueue);
    }

    record Drained(long messages, long distinctIds, long duplicates, Map<String, Long> perQueue) {
    }

    /** Expected minus found, per queue, for the queues where they differ. */
    static Map<String, Long> differences(Map<String, Long> expected, Map<String, Long> found) {
        Map<String, Long> diff = new HashMap<>();
        Set<String> queues = new HashSet<>(expected.keySet());
        queues.addAll(found.keySet());
        for (String q : queues) {
            long d = expected.getOrDefault(q, 0L) - found.getOrDefault(q, 0L);
            if (d != 0) {
                diff.put(q, d);
            }
        }
        return new TreeMap<>(diff);
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
