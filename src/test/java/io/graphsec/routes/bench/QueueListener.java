package io.graphsec.routes.bench;

import io.graphsec.routes.support.RunningApp;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageListener;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** A consumer of every alert queue over the broker's TCP acceptor, as a SOC's consumer process would be. */
final class QueueListener implements AutoCloseable {

    private final Connection connection;

    QueueListener(int port, MessageListener listener) throws JMSException {
        connection = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port)
                .createConnection(RunningApp.BROKER_USER, RunningApp.BROKER_PASSWORD);
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        for (String q : BenchTenant.ALL_QUEUES) {
            session.createConsumer(session.createQueue(q)).setMessageListener(listener);
        }
        connection.start();
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
