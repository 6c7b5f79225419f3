package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.broker.BrokerCredentials;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import java.nio.file.Path;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The demo's analyst: takes one alert off a severity queue of the running demo, resolves it as a
 * true positive through the feedback queue, and prints the audit record. The next poll then
 * delivers the alert again, resolved, as Graph (here the simulator) now has it.
 *
 * <pre>java -cp target/graph-security-routes.jar io.graphsec.routes.simulator.DemoAnalyst [queue] [broker url]</pre>
 *
 * It signs in as the demo's broker user, with the password the demo generated into its broker data
 * directory (or -Dgraph.broker.embedded.password / GRAPH_BROKER_EMBEDDED_PASSWORD).
 */
public final class DemoAnalyst {

    private DemoAnalyst() {
    }

    public static void main(String[] args) throws Exception {
        String queue = args.length > 0 ? args[0] : "graph.alerts.high";
        String url = args.length > 1 ? args[1] : "tcp://127.0.0.1:61616";
        ObjectMapper json = new ObjectMapper();
        BrokerCredentials broker = BrokerCredentials.fromSystem(
                Path.of(System.getProperty("graph.broker.embedded.data-dir", "data/demo/broker")));
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url);
             JMSContext ctx = cf.createContext(broker.user(), broker.password())) {
            Message alertMessage;
            try (JMSConsumer consumer = ctx.createConsumer(ctx.createQueue(queue))) {
                alertMessage = consumer.receive(10_000);
            }
            if (alertMessage == null) {
                System.out.println("No alert on " + queue + " within 10 s: is the demo running?");
                return;
            }
            JsonNode alert = json.readTree(alertMessage.getBody(String.class));
            String id = alert.get("id").asText();
            System.out.println("Took alert " + id + " (" + alert.path("title").asText() + ", status "
                    + alert.path("status").asText() + ") from " + queue);
            String feedback = json.createObjectNode().put("alertId", id).put("status", "resolved")
                    .put("classification", "truePositive").put("determination", "malware")
                    .put("comment", "Resolved by the demo analyst").put("requestedBy", "demo-analyst").toString();
            // No basedOn: the demo tenant changes alerts on its own every few seconds, which the conflict
            // policy would (rightly) refuse to overwrite.
            ctx.createProducer().send(ctx.createQueue("graph.feedback"), feedback);
            System.out.println("Sent feedback: " + feedback);
            try (JMSConsumer audit = ctx.createConsumer(ctx.createQueue("graph.feedback.audit"),
                    "JMSTimestamp >= " + (System.currentTimeMillis() - 1000))) {
                Message record = audit.receive(15_000);
                System.out.println(record == null ? "No audit record within 15 s." : "Audit: " + record.getBody(String.class));
            }
        }
    }
}
