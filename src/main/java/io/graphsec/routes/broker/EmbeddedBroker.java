package io.graphsec.routes.broker;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnector;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone default broker: ActiveMQ Artemis in the same JVM, persistent, reachable by our
 * routes in-VM and by other processes over TCP on loopback. A Camel service, so it starts before
 * the routes and stops after them. Every connection, in-VM or TCP, signs in as the one user of its
 * {@link BrokerCredentials}: any local process could otherwise read the alerts and resolve them
 * through the feedback queue.
 */
public final class EmbeddedBroker extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    /** Message-group buckets per queue: ids of incidents are hashed into these (see {@link #startBroker}). */
    public static final int GROUP_BUCKETS = 1024;

    /** Duplicate ids remembered per address (graph.broker.embedded.id-cache-size); Artemis' own default is 20 000. */
    public static final int DEFAULT_ID_CACHE_SIZE = 5_000;

    private static final String ROLE = "graph-security-routes";

    private final Path dataDir;
    private final String host;
    private final int port;
    private final String inVmId;
    private final long globalMaxSize;
    private final BrokerCredentials credentials;
    private int idCacheSize = DEFAULT_ID_CACHE_SIZE;
    private EmbeddedActiveMQ broker;
    private CompletableFuture<EmbeddedActiveMQ> starting;

    /**
     * @param globalMaxSize bytes of messages the broker keeps in memory before it pages to disk;
     *                      -1 for the default: an eighth of the heap, at most 64 MiB
     */
    public EmbeddedBroker(Path dataDir, String host, int port, String inVmId, long globalMaxSize,
                          BrokerCredentials credentials) {
        this.dataDir = dataDir;
        this.credentials = java.util.Objects.requireNonNull(credentials, "credentials");
        this.host = host;
        this.port = port;
        this.inVmId = inVmId;
        // Artemis' own default is half the heap: a backlog nobody consumes would then fill the heap the
        // routes need. Paging keeps the heap flat whatever the backlog.
        this.globalMaxSize = globalMaxSize > 0 ? globalMaxSize
                : Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    /**
     * How many duplicate ids ({@code _AMQ_DUPL_ID}) the broker remembers per address. They only have to
     * cover what a poller can send again after a crash: the pages committed but not yet remembered, one
     * page per poller. Each id costs ~400 B of heap, so Artemis' 20 000 per address was a third of a
     * 256 MiB heap's growth over five alert queues (docs/performance.md).
     */
    public EmbeddedBroker idCacheSize(int ids) {
        if (ids < 1) {
            throw new IllegalArgumentException("graph.broker.embedded.id-cache-size must be at least 1, was " + ids);
        }
        this.idCacheSize = ids;
        return this;
    }

    /**
     * Starts the broker on a thread of its own, so that opening its journal overlaps with the rest of
     * the application's start (routes, token); {@link #doStart()} then waits for it. Optional.
     */
    public synchronized void beginStart() {
        if (starting == null) {
            starting = CompletableFuture.supplyAsync(() -> {
                try {
                    return startBroker();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, r -> {
                Thread t = new Thread(r, "graph-broker-start");
                t.setDaemon(true);
                t.start();
            });
        }
    }

    @Override
    protected void doStart() throws Exception {
        CompletableFuture<EmbeddedActiveMQ> pending;
        synchronized (this) {
            beginStart();
            pending = starting;
        }
        try {
            broker = pending.join();
        } catch (CompletionException e) {
            synchronized (this) {
                starting = null;
            }
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private EmbeddedActiveMQ startBroker() throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("graph-security-routes")
                .setPersistenceEnabled(true)
                // NIO works everywhere; ASYNCIO would need libaio and silently falls back anyway.
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large-messages").toString())
                // Loopback by default, and still signed in: other local users' processes reach loopback too.
                .setSecurityEnabled(true)
                .setGlobalMaxSize(globalMaxSize)
                .setIDCacheSize(idCacheSize)
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("in-vm", "vm://" + inVmId)
                .addAcceptorConfiguration("tcp", "tcp://" + host + ":" + port);
        // The one user is the broker's owner: sending, consuming, browsing, queues and addresses on every address,
        // and management queries (queue depths for monitoring); nobody else is admitted at all.
        config.putSecurityRoles("#", Set.of(new Role(ROLE, true, true, true, true, true, true, true, true, true, true)));
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of("DLQ"))
                .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                .setMaxDeliveryAttempts(10)
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                .setAutoDeleteQueues(false)
                .setAutoDeleteAddresses(false)
                // Alerts are grouped per incident (JMSXGroupID) so one consumer handles an incident in order.
                // Artemis keeps each group id until its consumer leaves: one entry per incident ever seen, a
                // heap that grows for as long as the consumers stay. Buckets keep the per-incident order
                // (a group always hashes to the same bucket) with a bounded map.
                .setDefaultGroupBuckets(GROUP_BUCKETS));
        SecurityConfiguration users = new SecurityConfiguration();
        users.addUser(credentials.user(), credentials.password());
        users.addRole(credentials.user(), ROLE);
        EmbeddedActiveMQ started = new EmbeddedActiveMQ().setConfiguration(config)
                .setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        started.start();
        LOG.info("Embedded Artemis broker started: tcp://{}:{}, user '{}' (data in {}; pages to disk past {} MiB in memory;"
                + " {} duplicate ids per address)", host, port, credentials.user(), dataDir.toAbsolutePath(),
                globalMaxSize >> 20, idCacheSize);
        return started;
    }

    @Override
    protected void doStop() throws Exception {
        CompletableFuture<EmbeddedActiveMQ> pending;
        synchronized (this) {
            pending = starting;
            starting = null;
        }
        if (broker == null && pending != null) {
            // Stopped before doStart (a start that failed later on): the early start must not outlive it.
            try {
                broker = pending.join();
            } catch (CompletionException e) {
                LOG.debug("The embedded broker's early start had failed: {}", e.getCause().toString());
            }
        }
        if (broker != null) {
            broker.stop();
            broker = null;
            // The in-VM connections' threads are not daemons and idle for a minute: without this a JVM whose
            // Camel Main stopped on its own (camel.main.duration-max-seconds) lingers that long before exiting.
            InVMConnector.resetThreadPool();
        }
    }
}
