package io.graphsec.routes.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An HTTP server on a loopback port that keeps every request it gets (method, path, query, headers,
 * body) and answers the scripted statuses first, then 200 with the given body.
 */
public final class CapturingHttpServer implements AutoCloseable {

    /** One request as it arrived; header names in lower case, each with its values joined by ", ". */
    public record Request(String method, String path, String query, Map<String, String> headers, String body, int answered) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Integer> scripted;

    public CapturingHttpServer(String okBody, Integer... firstStatuses) throws IOException {
        scripted = new ArrayDeque<>(List.of(firstStatuses));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status;
            synchronized (scripted) {
                status = scripted.isEmpty() ? 200 : scripted.poll();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(", ", v)));
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body, status));
            byte[] answer = (status == 200 ? okBody : "{\"text\":\"unavailable\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests answered 200. */
    public List<Request> accepted() {
        return requests.stream().filter(r -> r.answered() == 200).collect(Collectors.toList());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
