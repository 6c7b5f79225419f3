package io.graphsec.routes.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.graphsec.routes.support.RunningApp;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Message groups per incident, on the embedded broker: order kept per group, memory bounded whatever the incidents. */
class EmbeddedBrokerGroupsTest {

    @TempDir
    Path dir;

    @Test
    void every_group_stays_with_one_consumer_and_the_broker_keeps_a_bounded_number_of_groups() throws Exception {
        int port = RunningApp.freePort();
        EmbeddedBroker broker = new EmbeddedBroker(dir, "127.0.0.1", port, "groups-test", -1, RunningApp.brokerCredentials());
        broker.start();
        try (QueueConnection connection = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port)
                .createQueueConnection(RunningApp.BROKER_USER, RunningApp.BROKER_PASSWORD)) {
            connection.start();
            QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = session.createQueue("test.groups");
            MessageConsumer first = session.createConsumer(queue);
            MessageConsumer second = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(queue);
            MessageProducer producer = session.createProducer(queue);
            int incidents = 3000;
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < incidents; i++) {
                    Message m = session.createTextMessage("alert " + round + " of incident " + i);
                    m.setStringProperty("JMSXGroupID", "incident-" + i);
                    producer.send(m);
                }
            }
            Map<String, Set<Integer>> consumersOfGroup = new HashMap<>();
            int received = 0;
            for (int idle = 0; received < 2 * incidents && idle < 50; ) {
                boolean any = false;
                for (int c = 0; c < 2; c++) {
                    Message m = (c == 0 ? first : second).receive(100);
                    if (m != null) {
                        any = true;
                        received++;
                        consumersOfGroup.computeIfAbsent(m.getStringProperty("JMSXGroupID"), k -> new HashSet<>()).add(c);
                    }
                }
                idle = any ? 0 : idle + 1;
            }
            assertThat(received).isEqualTo(2 * incidents);
            assertThat(consumersOfGroup).hasSize(incidents).allSatisfy((group, consumers) -> assertThat(consumers).hasSize(1));

            QueueRequestor management = new QueueRequestor(session, session.createQueue("activemq.management"));
            Message request = session.createMessage();
            JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + "test.groups", "groupCount");
            Number groups = (Number) JMSManagementHelper.getResult(management.request(request));
            assertThat(groups.intValue()).as("groups the broker keeps for 3000 incidents")
                    .isLessThanOrEqualTo(EmbeddedBroker.GROUP_BUCKETS);
        } finally {
            broker.stop();
        }
    }
}
