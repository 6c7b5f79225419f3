package io.graphsec.routes.broker;

import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone default broker: ActiveMQ Artemis in the same JVM, persistent, reachable by our
 * routes in-VM and by other processes over TCP on loopback. A Camel service, so it starts before
 * the routes and stops after them.
 */
public final class EmbeddedBroker extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final Path dataDir;
    private final String host;
    private final int port;
    private final String inVmId;
    private final long globalMaxSize;
    private EmbeddedActiveMQ broker;

    /**
     * @param globalMaxSize bytes of messages the broker keeps in memory before it pages to disk;
     *                      -1 for the default: an eighth of the heap, at most 64 MiB
     */
    public EmbeddedBroker(Path dataDir, String host, int port, String inVmId, long globalMaxSize) {
        this.dataDir = dataDir;
        this.host = host;
        this.port = port;
        this.inVmId = inVmId;
        // Artemis' own default is half the heap: a backlog nobody consumes would then fill the heap the
        // routes need. Paging keeps the heap flat whatever the backlog.
        this.globalMaxSize = globalMaxSize > 0 ? globalMaxSize
                : Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    @Override
    protected void doStart() throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("graph-security-routes")
                .setPersistenceEnabled(true)
                // NIO works everywhere; ASYNCIO would need libaio and silently falls back anyway.
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large-messages").toString())
                // Loopback-only acceptor; anyone who can reach it can read alerts, so keep it on 127.0.0.1.
                .setSecurityEnabled(false)
                .setGlobalMaxSize(globalMaxSize)
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("in-vm", "vm://" + inVmId)
                .addAcceptorConfiguration("tcp", "tcp://" + host + ":" + port);
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                .setMaxDeliveryAttempts(10)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false));
        broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        LOG.info("Embedded Artemis broker started: tcp://{}:{} (data in {}; pages to disk past {} MiB in memory)",
                host, port, dataDir.toAbsolutePath(), globalMaxSize >> 20);
    }

    @Override
    protected void doStop() throws Exception {
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }
}
