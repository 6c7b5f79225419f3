package io.graphsec.routes.support;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** A consumer of the embedded broker over its TCP acceptor, as another process would be, signed in as one. */
public final class Queues implements AutoCloseable {

    public static final List<String> SEVERITY_QUEUES = List.of("graph.alerts.high", "graph.alerts.medium",
            "graph.alerts.low", "graph.alerts.informational", "graph.alerts.triage");

    private final Connection connection;
    private final Session session;

    public Queues(int port) throws JMSException {
        this(port, RunningApp.BROKER_USER, RunningApp.BROKER_PASSWORD);
    }

    public Queues(int port, String user, String password) throws JMSException {
        this(new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port).createConnection(user, password));
    }

    /** A consumer through another broker's client (RabbitMQ's), whose factory carries the credentials. */
    public Queues(jakarta.jms.ConnectionFactory cf) throws JMSException {
        this(cf.createConnection());
    }

    private Queues(Connection connection) throws JMSException {
        this.connection = connection;
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    /** Takes every message now in the queue (waits briefly for stragglers). */
    public List<Received> drain(String queue) throws JMSException {
        return drain(queue, 300);
    }

    /**
     * For a check that nothing arrived: call it only once something positive says the processing that
     * could have sent a message is complete (a later poll's request, an audit record, a hunting call
     * after the run), so a message it sent is already committed. The first wait is long enough for a
     * committed message to reach a new consumer on a loaded machine; then it takes what is there.
     */
    public List<Received> leftAfterCompletion(String queue) throws JMSException {
        return drain(queue, 2000);
    }

    /** {@link #leftAfterCompletion} for several queues, by queue. */
    public Map<String, List<Received>> leftAfterCompletion(List<String> queues) throws JMSException {
        Map<String, List<Received>> out = new HashMap<>();
        for (String q : queues) {
            out.put(q, leftAfterCompletion(q));
        }
        return out;
    }

    private List<Received> drain(String queue, long firstWaitMillis) throws JMSException {
        List<Received> out = new ArrayList<>();
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            for (Message m = consumer.receive(firstWaitMillis); m != null; m = consumer.receive(300)) {
                out.add(Received.of(m));
            }
        }
        return out;
    }

    public void send(String queue, String text) throws JMSException {
        try (var producer = session.createProducer(session.createQueue(queue))) {
            producer.send(session.createTextMessage(text));
        }
    }

    /** An ObjectMessage, as a hostile or careless producer would send one. */
    public void sendObject(String queue, java.io.Serializable payload) throws JMSException {
        try (var producer = session.createProducer(session.createQueue(queue))) {
            producer.send(session.createObjectMessage(payload));
        }
    }

    /** Waits (up to 30 s) until {@code count} messages were taken from the queue; answers all taken. */
    public List<Received> collect(String queue, int count) {
        List<Received> got = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            got.addAll(drain(queue));
            return got.size() >= count;
        });
        return got;
    }

    /** A text message with string properties, as the producers of the work queues send them. */
    public void send(String queue, String text, Map<String, String> properties) throws JMSException {
        try (var producer = session.createProducer(session.createQueue(queue))) {
            TextMessage m = session.createTextMessage(text);
            for (Map.Entry<String, String> p : properties.entrySet()) {
                m.setStringProperty(p.getKey(), p.getValue());
            }
            producer.send(m);
        }
    }

    public Map<String, List<Received>> drainAll(List<String> queues) throws JMSException {
        Map<String, List<Received>> out = new HashMap<>();
        for (String q : queues) {
            out.put(q, drain(q));
        }
        return out;
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }

    /** A received message: its text body and its properties. */
    public record Received(String body, Map<String, Object> properties, int priority) {
        static Received of(Message m) throws JMSException {
            Map<String, Object> props = new HashMap<>();
            for (Enumeration<?> names = m.getPropertyNames(); names.hasMoreElements(); ) {
                String n = (String) names.nextElement();
                props.put(n, m.getObjectProperty(n));
            }
            String body = m instanceof TextMessage t ? t.getText() : null;
            return new Received(body, Collections.unmodifiableMap(props), m.getJMSPriority());
        }

        public String property(String name) {
            Object v = properties.get(name);
            return v == null ? null : v.toString();
        }
    }
}
