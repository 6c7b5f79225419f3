package io.graphsec.routes.support;

import java.util.Map;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * An Artemis on loopback whose duplicate detection is off (an id cache of 0 keeps no ids), for
 * the app as its external broker (graph.jms.url). The app's own broker drops a message whose
 * {@code _AMQ_DUPL_ID} it has seen, which would hide a lapse of the app's own record of what it
 * delivered; against this one, only that record keeps a duplicate out of the queues.
 */
public final class BrokerWithoutDuplicateDetection implements AutoCloseable {

    public final int port;
    private final EmbeddedActiveMQ broker;

    public BrokerWithoutDuplicateDetection() throws Exception {
        port = RunningApp.freePort();
        Configuration config = new ConfigurationImpl()
                .setName("test-broker-without-duplicate-detection")
                // It outlives the app's restarts in the test's JVM: its memory is enough.
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setIDCacheSize(0)
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        config.addAddressSetting("#", new AddressSettings().setAutoCreateQueues(true).setAutoCreateAddresses(true)
                .setAutoDeleteQueues(false).setAutoDeleteAddresses(false));
        broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
    }

    /** The app's properties for this broker instead of its embedded one. */
    public Map<String, String> appProperties() {
        return Map.of("graph.broker.embedded.enabled", "false", "graph.jms.url", "tcp://127.0.0.1:" + port);
    }

    @Override
    public void close() throws Exception {
        broker.stop();
    }
}
