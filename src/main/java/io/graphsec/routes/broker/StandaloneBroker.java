package io.graphsec.routes.broker;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded broker on its own, in a process of its own: the external broker several instances
 * share (README, "Run several instances"). Takes the graph.broker.embedded.* keys as -D options:
 * {@code java -Dgraph.broker.embedded.host=0.0.0.0 -cp graph-security-routes.jar io.graphsec.routes.broker.StandaloneBroker}.
 * It keeps Artemis' duplicate detection, which is what keeps a re-sent page from being delivered twice.
 * Clients sign in as graph.broker.embedded.user with graph.broker.embedded.password (-D or
 * GRAPH_BROKER_EMBEDDED_PASSWORD), else with the password generated into the data directory.
 */
public final class StandaloneBroker {

    private StandaloneBroker() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(System.getProperty("graph.broker.embedded.data-dir", "data/broker"));
        EmbeddedBroker broker = new EmbeddedBroker(dataDir,
                System.getProperty("graph.broker.embedded.host", "127.0.0.1"),
                Integer.getInteger("graph.broker.embedded.port", 61616), "0",
                Long.getLong("graph.broker.embedded.global-max-size", -1L), BrokerCredentials.fromSystem(dataDir))
                .idCacheSize(Integer.getInteger("graph.broker.embedded.id-cache-size", EmbeddedBroker.DEFAULT_ID_CACHE_SIZE));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }, "graph-broker-shutdown"));
        broker.start();
        stopped.await();
    }
}
