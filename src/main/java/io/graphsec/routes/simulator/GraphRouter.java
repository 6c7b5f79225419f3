package io.graphsec.routes.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's HTTP front: notes every request as it arrived (for tests that check what left
 * the application), then hands it to the token endpoint, the /security singleton, hunting or a
 * /security collection; anything else answers Graph's 400.
 */
final class GraphRouter {

    // Logged under the simulator's name, the one a log configuration knows it by.
    private static final Logger LOG = LoggerFactory.getLogger(GraphSimulator.class);
    private static final Pattern TOKEN_PATH = Pattern.compile("^/([^/]+)/oauth2/v2\\.0/token$");
    private static final Pattern SECURITY_PATH =
            Pattern.compile("^/v1\\.0/security/(alerts_v2|incidents|alerts|secureScores|secureScoreControlProfiles)"
                    + "(?:/([^/]+)(/comments|/alerts)?)?$");
    private static final int MAX_SEEN = 20_000;

    private final GraphResponses responses;
    private final TokenEndpoint tokenEndpoint;
    private final GraphGate gate;
    private final EntityEndpoint entities;
    private final HuntingEndpoint hunting;
    private final Queue<SeenRequest> seen = new ConcurrentLinkedQueue<>();
    private final AtomicInteger seenCount = new AtomicInteger();

    GraphRouter(GraphResponses responses, TokenEndpoint tokenEndpoint, GraphGate gate, EntityEndpoint entities,
                HuntingEndpoint hunting) {
        this.responses = responses;
        this.tokenEndpoint = tokenEndpoint;
        this.gate = gate;
        this.entities = entities;
        this.hunting = hunting;
    }

    List<SeenRequest> requestsSeen() {
        return List.copyOf(seen);
    }

    /** The Graph API calls among the requests seen (token and discovery calls aside), in order of arrival. */
    List<GraphCall> graphCalls() {
        return seen.stream().filter(r -> r.rawPath().startsWith("/v1.0/") || r.rawPath().startsWith("/beta/"))
                .sorted(java.util.Comparator.comparingLong(SeenRequest::atMillis))
                .map(r -> new GraphCall(r.atMillis(), r.method(), r.rawPath(),
                        r.rawQuery() == null ? "" : java.net.URLDecoder.decode(r.rawQuery().replace("+", "%2B"), StandardCharsets.UTF_8),
                        r.status(), r.retryAfter()))
                .toList();
    }

    // ---- HTTP ---------------------------------------------------------------------------------

    void handle(HttpExchange http) throws IOException {
        long arrived = System.currentTimeMillis();
        try (http) {
            byte[] body = http.getRequestBody().readAllBytes();
            http.setStreams(new java.io.ByteArrayInputStream(body), null);
            Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            http.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
            try {
                route(http);
            } catch (RuntimeException | StackOverflowError e) {
                // Inside the exchange's try: the 500 is answered before the exchange closes.
                LOG.warn("simulator failed on {} {}: {}", http.getRequestMethod(), http.getRequestURI(), e.toString());
                responses.graphError(http, 500, "generalException", "An unexpected error occurred in the simulator.");
            } finally {
                // Bounded, so a long benchmark run keeps the simulator's heap flat: the newest requests stay.
                if (seenCount.incrementAndGet() > MAX_SEEN) {
                    seen.poll();
                    seenCount.decrementAndGet();
                }
                seen.add(new SeenRequest(arrived, http.getRequestMethod(), http.getRequestURI().getRawPath(),
                        http.getRequestURI().getRawQuery(), headers, new String(body, StandardCharsets.UTF_8),
                        http.getResponseCode(), http.getResponseHeaders().getFirst("Retry-After")));
            }
        }
    }

    private void route(HttpExchange http) throws IOException {
        String path = http.getRequestURI().getRawPath();
        Matcher m;
        if ((m = TOKEN_PATH.matcher(path)).matches() && "POST".equals(http.getRequestMethod())) {
            tokenEndpoint.token(http, URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
        } else if ("/common/discovery/instance".equals(path)) {
            tokenEndpoint.instanceDiscovery(http);
        } else if ("/v1.0/security".equals(path) || "/beta/security".equals(path)) {
            securitySingleton(http, path);
        } else if (HuntingEndpoint.PATH.equals(path)) {
            hunting.hunting(http);
        } else if ((m = SECURITY_PATH.matcher(path)).matches()) {
            entities.graph(http, SimulatedCollection.byPath(m.group(1)), m.group(2), m.group(3));
        } else {
            responses.graphError(http, 400, "BadRequest", "Resource not found for the segment '"
                    + path.substring(path.lastIndexOf('/') + 1) + "'.");
        }
    }

    /** GET /security: the singleton every security resource hangs off; any valid token may read it. */
    private void securitySingleton(HttpExchange http, String path) throws IOException {
        if (gate.authenticated(http, null) == null) {
            return;
        }
        if (!"GET".equals(http.getRequestMethod())) {
            responses.graphError(http, 405, "BadRequest", "The HTTP method '" + http.getRequestMethod()
                    + "' is not supported here.");
            return;
        }
        String version = path.substring(1, path.indexOf('/', 1));
        GraphResponses.send(http, 200, Map.of(), responses.mapper.writeValueAsBytes(responses.mapper.createObjectNode()
                .put("@odata.context", responses.baseUrl() + "/" + version + "/$metadata#security/$entity")));
    }
}
