package io.graphsec.routes.mail;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Takes what waits on the digest queue and turns it into digest mails, inside the JMS transaction
 * of the calling route ({@code transacted: graphDeliveryTx}): the messages leave the queue only
 * when that transaction commits, after the route handed every digest mail to the SMTP server and
 * put every message that could not be rendered on the dead-letter destination. A failed send or a
 * crash rolls back, and the next period finds the same messages again.
 */
public final class MailDigest {

    private static final Logger LOG = LoggerFactory.getLogger(MailDigest.class);

    private final Supplier<ConnectionFactory> connectionFactory;
    private final AlertMailRenderer renderer;
    private final String queue;
    private final int maxAlerts;

    public MailDigest(Supplier<ConnectionFactory> connectionFactory, AlertMailRenderer renderer, String queue,
            int maxAlerts) {
        this.connectionFactory = connectionFactory;
        this.renderer = renderer;
        this.queue = queue;
        this.maxAlerts = maxAlerts;
    }

    /** What one period took off the queue: the digest mails, and the messages that cannot be mailed. */
    public record Batch(List<Mail> mails, List<Rejected> rejected) {
    }

    /** A message that cannot be rendered, as it arrived, with the reason. */
    public record Rejected(String body, Map<String, Object> properties, String reason) {
    }

    /** Receives up to max-alerts queued messages (none when the queue is empty) in the route's transaction. */
    public Batch collect() {
        ConnectionFactory cf = connectionFactory.get();
        if (!TransactionSynchronizationManager.hasResource(cf)) {
            // Outside a transaction the receive would acknowledge at once, and a failed send would lose the alerts.
            throw new IllegalStateException("the mail digest must be collected inside the route's JMS transaction"
                    + " (transacted: graphDeliveryTx)");
        }
        JmsTemplate jms = new JmsTemplate(cf);
        jms.setSessionTransacted(true);
        List<AlertView> alerts = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        jms.execute(session -> {
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
                // The first wait lets the broker start delivering; after that the consumer's buffer answers at once.
                for (Message m = consumer.receive(1000); m != null;
                        m = alerts.size() + rejected.size() < maxAlerts ? consumer.receive(200) : null) {
                    Message received = m;
                    String body = received instanceof TextMessage t ? t.getText() : null;
                    try {
                        alerts.add(renderer.read(body, name -> property(received, name)));
                    } catch (UnrenderableAlertException e) {
                        rejected.add(new Rejected(body, properties(received), e.getMessage()));
                    }
                }
            }
            return null;
        }, true);
        if (!alerts.isEmpty() || !rejected.isEmpty()) {
            LOG.info("Mail digest: {} alert(s) taken from {}, {} cannot be rendered", alerts.size(), queue, rejected.size());
        }
        return new Batch(renderer.digest(alerts), rejected);
    }

    /** Makes the exchange the dead letter of a {@link Rejected} message: its body, its properties and the reason. */
    public void deadLetter(Exchange exchange) {
        Rejected r = exchange.getIn().getBody(Rejected.class);
        exchange.getIn().setBody(r.body());
        exchange.getIn().setHeaders(new HashMap<>(r.properties()));
        exchange.getIn().setHeader("graphDeadLetterReason", r.reason());
    }

    private static Map<String, Object> properties(Message m) throws JMSException {
        Map<String, Object> out = new HashMap<>();
        for (Enumeration<?> names = m.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            if (!name.startsWith("JMS") && !name.startsWith("_AMQ")) {
                out.put(name, m.getObjectProperty(name));
            }
        }
        return out;
    }

    private static String property(Message m, String name) {
        try {
            Object v = m.getObjectProperty(name);
            return v == null ? null : v.toString();
        } catch (JMSException e) {
            return null;
        }
    }
}
