package io.graphsec.routes.simulator;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The server a stand-in answers on: bound to 127.0.0.1 only, every request of it handed to one
 * handler on a fixed pool of daemon threads, and stopped at once on close.
 */
final class LoopbackServer {

    private final HttpServer server;
    private final ExecutorService executor;

    /** Over HTTPS with this TLS context (the Graph simulator). */
    static LoopbackServer https(int port, int backlog, SSLContext tls, int threads, String threadName,
                                HttpHandler handler) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), backlog);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new LoopbackServer(server, threads, threadName, handler);
    }

    /** Over plain HTTP (the fake ticketing systems). */
    static LoopbackServer http(int port, int backlog, int threads, String threadName, HttpHandler handler)
            throws IOException {
        return new LoopbackServer(HttpServer.create(new InetSocketAddress("127.0.0.1", port), backlog),
                threads, threadName, handler);
    }

    private LoopbackServer(HttpServer server, int threads, String threadName, HttpHandler handler) {
        this.server = server;
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }
}
