package io.graphsec.routes.broker;

import com.rabbitmq.jms.admin.RMQConnectionFactory;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The connection factory for RabbitMQ as the external broker, chosen by an {@code amqp://} or
 * {@code amqps://} graph.jms.url: host, port and virtual host from the URL, the user and password from
 * graph.jms.user and graph.jms.password only. A URL never carries them: RabbitMQ's client logs the URL
 * it is given, and our errors name it.
 */
public final class RabbitMqConnectionFactory {

    /**
     * The only package whose classes the client may deserialize: its own, for the JMSDestination and
     * JMSReplyTo it writes into each message as serialized objects. Its default ("*") would deserialize any
     * class named in a message property or an ObjectMessage (a gadget chain) as the message is read.
     */
    static final String TRUSTED_PACKAGE = "com.rabbitmq.jms.admin";

    private RabbitMqConnectionFactory() {
    }

    /** Whether graph.jms.url names a RabbitMQ broker (and not an Artemis one). */
    public static boolean handles(String url) {
        String lower = url.trim().toLowerCase(Locale.ROOT);
        return lower.startsWith("amqp://") || lower.startsWith("amqps://");
    }

    /**
     * @param url      {@code amqp[s]://host[:port][/vhost]}; no path: the default virtual host "/",
     *                 {@code /%2F} names it too
     * @param timeoutMillis how long a connection attempt may take before a poll fails and the next one tries again
     */
    public static ConnectionFactory create(String url, String user, String password, int timeoutMillis) throws JMSException {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            // The reason only: the URL might carry a password despite the rule below.
            throw new IllegalArgumentException("graph.jms.url is no valid URL: " + e.getReason()
                    + " (for RabbitMQ: amqp://host:5672/vhost)");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("graph.jms.url carries a user or password: set graph.jms.user and"
                    + " graph.jms.password (GRAPH_JMS_PASSWORD) instead, and remove them from the URL");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("graph.jms.url has no host (for RabbitMQ: amqp://host:5672/vhost)");
        }
        if (user == null || user.isBlank() || password == null || password.isBlank()) {
            throw new IllegalArgumentException("graph.jms.user or graph.jms.password is empty: RabbitMQ (graph.jms.url="
                    + url.trim() + ") signs clients in by both (set them in application.properties, -D, or"
                    + " GRAPH_JMS_USER and GRAPH_JMS_PASSWORD)");
        }
        RMQConnectionFactory factory = new RMQConnectionFactory();
        factory.setUri(url.trim());
        factory.setUsername(user);
        factory.setPassword(password);
        factory.setTrustedPackages(List.of(TRUSTED_PACKAGE));
        // A poll that cannot reach the broker must fail and let the next tick try again, not wait inside the client.
        factory.setAmqpConnectionFactoryPostProcessor(amqp -> {
            amqp.setConnectionTimeout(timeoutMillis);
            amqp.setHandshakeTimeout(timeoutMillis);
            amqp.setChannelRpcTimeout(timeoutMillis);
        });
        return factory;
    }
}
