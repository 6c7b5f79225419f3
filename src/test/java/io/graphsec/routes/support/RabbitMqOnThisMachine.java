package io.graphsec.routes.support;

import com.rabbitmq.client.Channel;
import com.rabbitmq.jms.admin.RMQConnectionFactory;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's RabbitMQ (127.0.0.1:5672, guest/guest, virtual host "/"; .ci/run starts it) as the
 * app's external broker. It is shared and outlives the test, so each test gets queues of its own: every
 * queue application.properties names is prefixed, and the queues are deleted afterwards.
 */
public final class RabbitMqOnThisMachine implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5672;
    public static final String USER = "guest";
    public static final String PASSWORD = "guest";

    /** The prefix of this test's queues. */
    public final String prefix = "test-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private final Set<String> queues = new TreeSet<>();

    /** Skips the test (with the reason) unless RabbitMQ answers. */
    public static void assumeRunning() {
        Assumptions.assumeTrue(answers(), "RabbitMQ does not answer on " + HOST + ":" + PORT
                + ": skipped (start it with `rabbitmq-server -detached`; .ci/run does)");
    }

    private static boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The app's properties for RabbitMQ instead of its embedded broker, on this test's queues. */
    public Map<String, String> appProperties() throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("graph.broker.embedded.enabled", "false");
        p.put("graph.jms.url", "amqp://" + HOST + ":" + PORT);
        p.put("graph.jms.user", USER);
        p.put("graph.jms.password", PASSWORD);
        Properties defaults = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            defaults.load(in);
        }
        for (String key : defaults.stringPropertyNames()) {
            String value = defaults.getProperty(key).trim();
            // A value built from another key's placeholder follows that key.
            if (value.startsWith("jms:queue:") && !value.contains("{{")) {
                String queue = prefix + value.substring("jms:queue:".length());
                p.put(key, "jms:queue:" + queue);
                queues.add(queue.replaceAll("\\?.*", ""));
            }
        }
        String digest = prefix + defaults.getProperty("graph.mail.digest.source").trim();
        p.put("graph.mail.digest.source", digest);
        queues.add(digest);
        return p;
    }

    /** A JMS client of RabbitMQ's own, configured here and not by the app, for reading and writing the queues. */
    public RMQConnectionFactory jmsClient() {
        RMQConnectionFactory cf = new RMQConnectionFactory();
        cf.setHost(HOST);
        cf.setPort(PORT);
        cf.setUsername(USER);
        cf.setPassword(PASSWORD);
        cf.setVirtualHost("/");
        return cf;
    }

    /** Deletes this test's queues. */
    @Override
    public void close() throws Exception {
        com.rabbitmq.client.ConnectionFactory amqp = new com.rabbitmq.client.ConnectionFactory();
        amqp.setHost(HOST);
        amqp.setPort(PORT);
        amqp.setUsername(USER);
        amqp.setPassword(PASSWORD);
        try (com.rabbitmq.client.Connection c = amqp.newConnection("graph-security-routes-test-cleanup")) {
            for (String queue : queues) {
                try (Channel ch = c.createChannel()) {
                    ch.queueDelete(queue);
                } catch (IOException | RuntimeException notThere) {
                    // Never declared by this test: nothing to delete.
                }
            }
        }
    }
}
