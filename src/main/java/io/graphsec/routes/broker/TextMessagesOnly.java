package io.graphsec.routes.broker;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.apache.camel.Exchange;

/**
 * The work queues (feedback, tickets, mail) carry JSON text. Their JMS sources say
 * {@code mapJmsMessage=false}, so Camel hands over the JMS message itself and never reads an
 * ObjectMessage's payload; {@link #text} is then each flow's first step: a TextMessage becomes its
 * text, any other type is refused by name, unread, and goes to the flow's dead-letter queue.
 */
public final class TextMessagesOnly {

    /** The message's text as the body; a body that is no JMS message (another kind of source) is left as it is. */
    public void text(Exchange exchange) throws JMSException {
        Object body = exchange.getIn().getBody();
        if (body instanceof TextMessage text) {
            exchange.getIn().setBody(text.getText());
        } else if (body instanceof Message other) {
            exchange.getIn().setBody(null);
            throw new NotATextMessageException(sourceOf(other, exchange), typeOf(other));
        }
    }

    /**
     * The queue the message was taken from, as its JMS destination names it: the exchange's own
     * endpoint is kamelet://source when the queue feeds a Kamelet (the feedback sink).
     */
    private static String sourceOf(Message message, Exchange exchange) throws JMSException {
        if (message.getJMSDestination() instanceof jakarta.jms.Queue queue) {
            return "jms://queue:" + queue.getQueueName();
        }
        if (message.getJMSDestination() instanceof jakarta.jms.Topic topic) {
            return "jms://topic:" + topic.getTopicName();
        }
        return exchange.getFromEndpoint() == null ? "the queue" : exchange.getFromEndpoint().getEndpointBaseUri();
    }

    /**
     * The body a dead-lettered message is sent on with: the original text, or nothing for a message
     * of another type (its payload stays unread; the reason names its type).
     */
    public void deadLetterBody(Exchange exchange) throws JMSException {
        Object body = exchange.getIn().getBody();
        if (body instanceof TextMessage text) {
            exchange.getIn().setBody(text.getText());
        } else if (body instanceof Message) {
            exchange.getIn().setBody(null);
        }
    }

    static String typeOf(Message message) {
        for (Class<?> type : new Class<?>[] {jakarta.jms.ObjectMessage.class, jakarta.jms.BytesMessage.class,
                jakarta.jms.MapMessage.class, jakarta.jms.StreamMessage.class}) {
            if (type.isInstance(message)) {
                return type.getSimpleName();
            }
        }
        return "Message (no body)";
    }

    /** A work queue received a JMS message that is no TextMessage. */
    public static final class NotATextMessageException extends RuntimeException {
        NotATextMessageException(String source, String type) {
            super(source + " accepts JMS TextMessage (JSON text) only, received a " + type
                    + "; its body was not read");
        }
    }
}
