package io.graphsec.routes.broker;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.MessageCreatedStrategy;

/**
 * RabbitMQ's JMS client (3.5.0) answers a NumberFormatException, instead of JMS's defaults, when a new
 * message's JMSExpiration, JMSPriority or JMSDeliveryMode is read before it was set; camel-jms reads all
 * three before each send to keep them (camel.component.jms.preserve-message-qos). Each one the route
 * did not set gets JMS's default here: never expires, priority 4, persistent.
 */
public final class JmsHeaderDefaults implements MessageCreatedStrategy {

    @Override
    public void onMessageCreated(Message message, Session session, Exchange exchange, Throwable cause) {
        try {
            if (unset(message::getJMSExpiration)) {
                message.setJMSExpiration(Message.DEFAULT_TIME_TO_LIVE);
            }
            if (unset(message::getJMSPriority)) {
                message.setJMSPriority(Message.DEFAULT_PRIORITY);
            }
            if (unset(message::getJMSDeliveryMode)) {
                message.setJMSDeliveryMode(Message.DEFAULT_DELIVERY_MODE);
            }
        } catch (JMSException e) {
            throw new IllegalStateException("Could not give a JMS message its default headers: " + e.getMessage(), e);
        }
    }

    private static boolean unset(Header header) throws JMSException {
        try {
            header.read();
            return false;
        } catch (NumberFormatException neverSet) {
            return true;
        }
    }

    @FunctionalInterface
    private interface Header {
        Object read() throws JMSException;
    }
}
