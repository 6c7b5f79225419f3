package io.graphsec.routes;

import io.graphsec.routes.broker.BrokerCredentials;
import io.graphsec.routes.broker.EmbeddedBroker;
import io.graphsec.routes.broker.JmsHeaderDefaults;
import io.graphsec.routes.broker.RabbitMqConnectionFactory;
import io.graphsec.routes.broker.TextMessagesOnly;
import io.graphsec.routes.config.ContextResources;
import io.graphsec.routes.config.Props;
import io.graphsec.routes.health.BrokerHealthCheck;
import jakarta.jms.ConnectionFactory;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.jms.JmsHeaderFilterStrategy;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.springframework.jms.connection.JmsTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The queues' side: the embedded Artemis broker (when asked, and never beside a host's own
 * connection factory), the connection the routes send and consume on, the local JMS transaction that
 * commits a page at once, and camel-jms. Without graph.jms.user the routes sign in to the embedded
 * broker (if any) as its own user.
 */
final class BrokerBinder {

    private BrokerBinder() {
    }

    static void bind(CamelContext context, Props props) throws Exception {
        // Off unless asked (application.properties asks, for the standalone app), and never beside a host's own
        // connection factory, which the routes would use instead.
        BrokerCredentials embedded = null;
        if (props.flag("graph.broker.embedded.enabled") && hostConnectionFactory(context) == null) {
            Path brokerData = Path.of(props.required("graph.broker.embedded.data-dir"));
            embedded = BrokerCredentials.resolve(brokerData, props.required("graph.broker.embedded.user"),
                    props.apply("graph.broker.embedded.password").orElse(null));
            if (props.flag("graph.broker.embedded.connect-only")) {
                // A one-shot run (replay) beside the running instance: its broker, over TCP, not a second one.
                String tcp = "tcp://" + props.required("graph.broker.embedded.host") + ":"
                        + props.integer("graph.broker.embedded.port");
                bindJms(context, new Props(key -> key.equals("graph.jms.url") ? Optional.of(tcp) : props.apply(key)),
                        embedded);
                context.getRegistry().bind("graphTextMessagesOnly", new TextMessagesOnly());
                return;
            }
            EmbeddedBroker broker = new EmbeddedBroker(brokerData, props.required("graph.broker.embedded.host"),
                    props.integer("graph.broker.embedded.port"), "0",
                    Long.parseLong(props.required("graph.broker.embedded.global-max-size")), embedded)
                    .idCacheSize(idCacheSize(props));
            context.addService(broker, true, true);
            ContextResources.whileRoutesInitialise(context, broker::beginStart);
        }
        bindJms(context, props, embedded);
        context.getRegistry().bind("graphTextMessagesOnly", new TextMessagesOnly());
    }

    private static void bindJms(CamelContext context, Props props, BrokerCredentials embedded) throws Exception {
        JmsComponent jms = context.getComponent("jms", JmsComponent.class);
        ConnectionFactory connectionFactory = hostConnectionFactory(context);
        boolean rabbitMq = false;
        if (connectionFactory == null) {
            String url = props.required("graph.jms.url");
            rabbitMq = RabbitMqConnectionFactory.handles(url);
            JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
            pool.setConnectionFactory(rabbitMq
                    ? RabbitMqConnectionFactory.create(url, props.apply("graph.jms.user").orElse(null),
                            props.apply("graph.jms.password").orElse(null), 15_000)
                    : artemis(url, props, embedded));
            pool.setMaxConnections(props.integer("graph.jms.max-connections"));
            // Never wait forever for a session a failed exchange did not give back.
            pool.setBlockIfSessionPoolIsFullTimeout(15_000);
            ContextResources.closeOnStop(context, pool::stop);
            connectionFactory = pool;
            context.getRegistry().bind("graphJmsConnectionFactory", connectionFactory);
        }
        context.getRegistry().bind("graphBrokerHealth", new BrokerHealthCheck(connectionFactory));
        // A host may bring its own transaction manager (over the same connection factory).
        PlatformTransactionManager txManager = context.getRegistry()
                .lookupByNameAndType("graphJmsTransactionManager", PlatformTransactionManager.class);
        if (txManager == null) {
            txManager = new JmsTransactionManager(connectionFactory);
            context.getRegistry().bind("graphJmsTransactionManager", txManager);
        }
        context.getRegistry().bind("graphDeliveryTx", new SpringTransactionPolicy(txManager));

        if (jms.getConnectionFactory() == null) {
            jms.setConnectionFactory(connectionFactory);
            // CVE-2026-40453: camel-jms 4.18.0 filters Camel* headers case-sensitively; lower-casing closes it.
            JmsHeaderFilterStrategy filter = new JmsHeaderFilterStrategy();
            filter.setLowerCase(true);
            jms.setHeaderFilterStrategy(filter);
            if (rabbitMq) {
                jms.setMessageCreatedStrategy(new JmsHeaderDefaults());
            }
        }
    }

    /** Artemis' client: the embedded broker's (in-VM or TCP) or an external Artemis. */
    private static ConnectionFactory artemis(String url, Props props, BrokerCredentials embedded) {
        Optional<String> user = props.apply("graph.jms.user");
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(url,
                user.or(() -> Optional.ofNullable(embedded).map(BrokerCredentials::user)).orElse(null),
                user.isPresent() ? props.apply("graph.jms.password").orElse(null)
                        : Optional.ofNullable(embedded).map(BrokerCredentials::password).orElse(null));
        // Nothing that arrives on a queue is ever deserialized into an object: an ObjectMessage's
        // payload could run code of any class on the classpath (a gadget chain) as it is read.
        artemis.setDeserializationDenyList("*");
        // A poll that cannot reach the broker must fail and let the next tick try again: left to retry
        // inside the client, it would hold the (non-concurrent) poll job and polling would stop.
        // A URL that sets its own retry policy keeps it.
        if (!url.contains("ConnectAttempts") && !url.contains("reconnectAttempts")) {
            artemis.setInitialConnectAttempts(2);
            artemis.setReconnectAttempts(0);
            artemis.setRetryInterval(500);
        }
        if (!url.contains("callTimeout")) {
            artemis.setCallTimeout(15_000);
        }
        // Without it every send asks the broker whether its queue exists (a blocking round trip per
        // alert, most of the routes' time under load: docs/performance.md); queues are auto-created anyway.
        if (!url.contains("cacheDestinations")) {
            artemis.setCacheDestinations(true);
        }
        return artemis;
    }

    /**
     * A host's own factory: a bean of our name, else the one its jms component already has (the
     * page's transaction must be on the factory the sends use), else the only one in its registry
     * (a Spring Boot host's, which Camel autowires into the component later). Null in the standalone app.
     */
    private static ConnectionFactory hostConnectionFactory(CamelContext context) {
        return Optional.ofNullable(context.getRegistry()
                .lookupByNameAndType("graphJmsConnectionFactory", ConnectionFactory.class))
                .or(() -> Optional.ofNullable(context.getComponent("jms", JmsComponent.class).getConnectionFactory()))
                .orElseGet(() -> context.getRegistry().findSingleByType(ConnectionFactory.class));
    }

    /**
     * The embedded broker's duplicate ids per address. A page of alerts is one JMS transaction, remembered
     * once committed; after a crash in between it is sent again, and the broker must still know its ids.
     */
    private static int idCacheSize(Props props) {
        int ids = props.integer("graph.broker.embedded.id-cache-size");
        int page = props.integer("graph.alerts.page-size");
        if (ids < page) {
            throw new IllegalStateException("graph.broker.embedded.id-cache-size=" + ids + " is smaller than"
                    + " graph.alerts.page-size=" + page + ": a page sent again after a crash would be delivered twice");
        }
        return ids;
    }
}
