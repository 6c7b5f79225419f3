package io.graphsec.routes.simulator;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for Microsoft Graph and the Entra token endpoint, over HTTPS on loopback,
 * faithful to shared/graph-security-api.md for what the routes use: client-credentials tokens
 * (secret or certificate assertion) that expire, role checks, alerts_v2 with $filter, $top,
 * $skip, $count and absolute @odata.nextLink, incidents grouped from those alerts ({@link IncidentBook})
 * with {@code $expand=alerts} and the /alerts sub-collection, evolvable enums behind
 * {@code Prefer: include-unknown-enum-members}, Graph error bodies, and 429 throttling; legacy
 * /security/alerts with its $top/$skip limits and federation's 206; secureScores and
 * secureScoreControlProfiles ({@link SecureScoreBook}) with their four-concurrent-requests limit;
 * runHuntingQuery with scripted rows, its per-minute quota and a scripted result-size limit.
 * Used by the tests and by the demo profile.
 */
public final class GraphSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GraphSimulator.class);
    private static final Pattern TOKEN_PATH = Pattern.compile("^/([^/]+)/oauth2/v2\\.0/token$");
    private static final Pattern SECURITY_PATH =
            Pattern.compile("^/v1\\.0/security/(alerts_v2|incidents|alerts|secureScores|secureScoreControlProfiles)"
                    + "(?:/([^/]+)(/comments|/alerts)?)?$");
    private static final String HUNTING_PATH = "/v1.0/security/runHuntingQuery";
    private static final String HUNTING_ROLE = "ThreatHunting.Read.All";
    private static final String GRAPH_AUDIENCE = "https://graph.microsoft.com";

    // Graph has no nesting limit of its own; a test can hand it alerts nested deeper than Jackson's default 1000.
    private final ObjectMapper mapper = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamWriteConstraints(com.fasterxml.jackson.core.StreamWriteConstraints.builder()
                    .maxNestingDepth(100_000).build()).build());
    private final Clock clock = Clock.systemUTC();
    private final TokenIssuer tokens = new TokenIssuer(clock);
    private final SimulatorTls tls = new SimulatorTls();
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Deque<Long>> requestTimes = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<ScriptedFault> faults = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean omitNextLink = new java.util.concurrent.atomic.AtomicBoolean();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger graphRequests = new AtomicInteger();
    private final Map<String, AtomicInteger> requestsByToken = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Queue<Long> graphRequestTimes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.Queue<GraphCall> graphCalls = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> requestsByMethod = new ConcurrentHashMap<>();
    private final int requestedPort;
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile int requestsPerMinute = 150;
    private volatile int maxTop = 2000;
    private volatile int defaultTop = 100;
    private volatile boolean failExpand;
    private volatile int huntingCallsPerMinute = 45;
    private volatile int secureScoreConcurrency = 4;
    private volatile int secureScoreRequestsPer10Minutes = 10_000;
    private volatile long secureScoreLatencyMillis;
    private final Object secureScoreGate = new Object();
    private final Map<String, AtomicInteger> secureScoreInFlight = new ConcurrentHashMap<>();
    private volatile String failingLegacyProvider;
    private HttpsServer server;
    private ExecutorService executor;

    public GraphSimulator(int port) {
        this.requestedPort = port;
    }

    // ---- set-up -------------------------------------------------------------------------------

    /** Registers an app in a tenant with a client secret and the application roles its tokens carry. */
    public GraphSimulator registerClient(String tenant, String clientId, String secret, String... roles) {
        clients.put(tenant + "/" + clientId, new Client(tenant, clientId, secret, null, Set.of(roles)));
        alerts(tenant);
        return this;
    }

    /** Registers an app whose credential is a certificate (MSAL sends a signed client assertion). */
    public GraphSimulator registerCertificateClient(String tenant, String clientId, X509Certificate cert, String... roles) {
        clients.put(tenant + "/" + clientId, new Client(tenant, clientId, null, cert, Set.of(roles)));
        alerts(tenant);
        return this;
    }

    public GraphSimulator tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
        return this;
    }

    /** Graph's documented limit on /security is 150 requests a minute per app per tenant; 0 switches it off. */
    public GraphSimulator requestsPerMinute(int limit) {
        this.requestsPerMinute = limit;
        return this;
    }

    public GraphSimulator maxTop(int max) {
        this.maxTop = max;
        return this;
    }

    /** The alerts_v2 collection of a tenant. */
    public EntityStore alerts(String tenant) {
        return store(tenant, SimulatedCollection.ALERTS_V2);
    }

    /** The incidents collection of a tenant. */
    public EntityStore incidents(String tenant) {
        return store(tenant, SimulatedCollection.INCIDENTS);
    }

    /** A tenant's secure score: its control profiles and daily records (seeded with 30 days). */
    public SecureScoreBook secureScores(String tenant) {
        return tenant(tenant).scores;
    }

    /** The secureScoreControlProfiles collection of a tenant (change states through {@link #secureScores}). */
    public EntityStore secureScoreControlProfiles(String tenant) {
        return store(tenant, SimulatedCollection.SECURE_SCORE_CONTROL_PROFILES);
    }

    /**
     * Graph allows four concurrent requests per app and tenant on secureScores and
     * secureScoreControlProfiles; one more answers 429.
     */
    public GraphSimulator secureScoreConcurrency(int limit) {
        this.secureScoreConcurrency = limit;
        return this;
    }

    /** Graph allows 10,000 requests in 10 minutes per app and tenant on secure score and its profiles; 0: no limit. */
    public GraphSimulator secureScoreRequestsPer10Minutes(int limit) {
        this.secureScoreRequestsPer10Minutes = limit;
        return this;
    }

    /**
     * Every secure score request holds its slot this long before it is answered, so a test can have
     * requests overlap; setting {@link Duration#ZERO} releases the ones held at once.
     */
    public GraphSimulator secureScoreLatency(Duration latency) {
        synchronized (secureScoreGate) {
            secureScoreLatencyMillis = latency.toMillis();
            secureScoreGate.notifyAll();
        }
        return this;
    }

    /** Scripts runHuntingQuery of a tenant: the rows each query answers (schema taken from the rows). */
    public GraphSimulator huntingResults(String tenant, java.util.function.Function<String, List<ObjectNode>> rows) {
        return huntingRequests(tenant, r -> rows.apply(r.query()));
    }

    /** The same, seeing the time range the request's timespan names. */
    public GraphSimulator huntingRequests(String tenant, java.util.function.Function<HuntingRequest, List<ObjectNode>> rows) {
        tenant(tenant).hunting = rows;
        return this;
    }

    /**
     * While set, a tenant's hunting query whose timespan is longer than {@code maxSpan} answers 400
     * as Defender does when a result is too large; a client that splits the range succeeds. Null: off.
     */
    public GraphSimulator huntingResultTooLarge(String tenant, Duration maxSpan) {
        tenant(tenant).huntingMaxSpan = maxSpan;
        return this;
    }

    /** Defender's advanced hunting allows at least 45 calls a minute per tenant and app; more answer 429. 0: no limit. */
    public GraphSimulator huntingCallsPerMinute(int limit) {
        this.huntingCallsPerMinute = limit;
        return this;
    }

    /** The hunting queries a tenant was asked, in order. */
    public List<HuntingRequest> huntingRequestsSeen(String tenant) {
        return List.copyOf(tenant(tenant).huntingSeen);
    }

    /**
     * While on, legacy alert lists answer 206 Partial Content without the MCAS provider's alerts and
     * with a Warning header naming it, as Graph's federation does when a provider fails.
     */
    public GraphSimulator legacyProviderFailure(boolean fail) {
        return legacyProviderFailure(fail ? "MCAS" : null);
    }

    /** The same for the provider named as in vendorInformation.provider; null: every provider answers. */
    public GraphSimulator legacyProviderFailure(String provider) {
        this.failingLegacyProvider = provider;
        return this;
    }

    /** The legacy /security/alerts collection of a tenant. */
    public EntityStore legacyAlerts(String tenant) {
        return store(tenant, SimulatedCollection.LEGACY_ALERTS);
    }

    /**
     * The incidents of a tenant grouped from its alerts: resolve and merge them, list an incident's
     * alerts. Every alert put into {@link #alerts} with an incidentId already has its incident here.
     */
    public IncidentBook incidentBook(String tenant) {
        return tenant(tenant).book;
    }

    private EntityStore store(String tenant, SimulatedCollection c) {
        return tenant(tenant).store(c);
    }

    private Tenant tenant(String tenant) {
        return tenants.computeIfAbsent(tenant, Tenant::new);
    }

    /**
     * While on, every incidents request with {@code $expand=alerts} answers 500 as Graph sometimes
     * does, and the same request without $expand still succeeds.
     */
    public GraphSimulator failExpand(boolean fail) {
        this.failExpand = fail;
        return this;
    }

    /** The next Graph API call (not token calls) answers with this status, headers and Graph error code instead. */
    public void failNext(int status, Map<String, String> headers, String errorCode) {
        failNext(null, status, headers, errorCode);
    }

    /** The same for the next call with this HTTP method only (null: any method). */
    public void failNext(String method, int status, Map<String, String> headers, String errorCode) {
        faults.add(new ScriptedFault(method, status, headers, errorCode, null));
    }

    /** The same for the next call with this method whose (decoded) query holds this text, e.g. "$skip=" for a later page. */
    public void failNextWhereQueryHas(String method, String queryHas, int status, Map<String, String> headers,
                                      String errorCode) {
        faults.add(new ScriptedFault(method, status, headers, errorCode, null, queryHas));
    }

    /** The next call with this method answers 200 with this raw body (truncated or invalid JSON, a page without value). */
    public void corruptNext(String method, String rawBody) {
        faults.add(new ScriptedFault(method, 200, Map.of(), null, rawBody));
    }

    /** As {@link #corruptNext}, for the next call whose query holds {@code queryHas} (e.g. {@code $skip=20}: a later page). */
    public void corruptNextWhereQueryHas(String method, String queryHas, String rawBody) {
        faults.add(new ScriptedFault(method, 200, Map.of(), null, rawBody, queryHas));
    }

    /** The next call with this method is answered only after this delay (a slow or hung Graph). */
    public void delayNext(String method, Duration delay) {
        faults.add(new ScriptedFault(method, -1, Map.of("delay-ms", String.valueOf(delay.toMillis())), null, null));
    }

    /**
     * The next call with this method promises a body, sends a few bytes of it and closes the
     * connection: a connection dropped mid-response, as a reset by a proxy or load balancer looks.
     */
    public void dropNext(String method) {
        faults.add(new ScriptedFault(method, -2, Map.of(), null, null));
    }

    /** The next list page that has more after it is sent without its @odata.nextLink (a Graph paging bug). */
    public void omitNextLinkOnce() {
        omitNextLink.set(true);
    }

    /** Every token issued so far stops working (401), as after a credential rotation or a revocation. */
    public void revokeTokens() {
        tokens.rotateKey();
    }

    /** Every access token handed out, for tests that check none leaks. */
    public List<String> issuedTokens() {
        return tokens.issued();
    }

    /** When (epoch millis) each Graph call whose decoded query holds this text arrived, in order. */
    public List<Long> callsWhereQueryHas(String text) {
        return graphCalls().stream().filter(c -> c.query().contains(text)).map(GraphCall::arrived).toList();
    }

    /** Every Graph API call answered so far (token calls aside), in the order they arrived. */
    public List<GraphCall> graphCalls() {
        return graphCalls.stream().sorted(java.util.Comparator.comparingLong(GraphCall::arrived)).toList();
    }

    /**
     * One Graph API call as the simulator saw it, so a test can check what a client did between two calls:
     * when it arrived (epoch millis), its method, path and decoded query ("" for none), the status
     * answered and the Retry-After sent with it (null: none).
     */
    public record GraphCall(long arrived, String method, String path, String query, int status, String retryAfter) {

        /** The Retry-After this call was answered with, in milliseconds. */
        public long retryAfterMillis() {
            return Math.round(Double.parseDouble(retryAfter) * 1000);
        }
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    public int graphRequests() {
        return graphRequests.get();
    }

    /** Graph calls accepted with the {@code index}-th token handed out (0 = the first). */
    public int requestsWithToken(int index) {
        List<String> issued = tokens.issued();
        AtomicInteger n = index < issued.size() ? requestsByToken.get(issued.get(index)) : null;
        return n == null ? 0 : n.get();
    }

    /** The most Graph calls seen within any window of this length. */
    public int maxRequestsWithin(Duration window) {
        List<Long> times = new ArrayList<>(graphRequestTimes);
        java.util.Collections.sort(times);
        int max = 0;
        for (int i = 0, j = 0; i < times.size(); i++) {
            while (times.get(i) - times.get(j) >= window.toMillis()) {
                j++;
            }
            max = Math.max(max, i - j + 1);
        }
        return max;
    }

    /** Graph calls by method: "GET", "PATCH", "POST comments". */
    public int graphRequests(String method) {
        AtomicInteger n = requestsByMethod.get(method);
        return n == null ? 0 : n.get();
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    public GraphSimulator start() throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", requestedPort), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "graph-simulator");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("Graph simulator listening on {}", baseUrl());
        return this;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What graph.base-url and graph.authority-host point at. */
    public String baseUrl() {
        return "https://localhost:" + port();
    }

    /** Writes the trust store clients need for this run's certificate (graph.trust-store). */
    public Path writeTrustStore(Path file) throws IOException {
        tls.writeTrustStore(file);
        return file;
    }

    public static String trustStorePassword() {
        return SimulatorTls.TRUST_STORE_PASSWORD;
    }

    // ---- HTTP ---------------------------------------------------------------------------------

    private void handle(HttpExchange http) throws IOException {
        long arrived = System.currentTimeMillis();
        try (http) {
            try {
                route(http);
            } catch (RuntimeException | StackOverflowError e) {
                // Inside the exchange's try: the 500 is answered before the exchange closes.
                LOG.warn("simulator failed on {} {}: {}", http.getRequestMethod(), http.getRequestURI(), e.toString());
                graphError(http, 500, "generalException", "An unexpected error occurred in the simulator.");
            } finally {
                String path = http.getRequestURI().getRawPath();
                if (path.startsWith("/v1.0/") || path.startsWith("/beta/")) {
                    String query = http.getRequestURI().getQuery();
                    graphCalls.add(new GraphCall(arrived, http.getRequestMethod(), path, query == null ? "" : query,
                            http.getResponseCode(), http.getResponseHeaders().getFirst("Retry-After")));
                }
            }
        }
    }

    private void route(HttpExchange http) throws IOException {
        String path = http.getRequestURI().getRawPath();
        Matcher m;
        if ((m = TOKEN_PATH.matcher(path)).matches() && "POST".equals(http.getRequestMethod())) {
            token(http, URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
        } else if ("/common/discovery/instance".equals(path)) {
            instanceDiscovery(http);
        } else if ("/v1.0/security".equals(path) || "/beta/security".equals(path)) {
            securitySingleton(http, path);
        } else if (HUNTING_PATH.equals(path)) {
            hunting(http);
        } else if ((m = SECURITY_PATH.matcher(path)).matches()) {
            graph(http, SimulatedCollection.byPath(m.group(1)), m.group(2), m.group(3));
        } else {
            graphError(http, 400, "BadRequest", "Resource not found for the segment '"
                    + path.substring(path.lastIndexOf('/') + 1) + "'.");
        }
    }


    private void token(HttpExchange http, String tenant) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> form = parseForm(new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        String basic = http.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            clientId = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            secret = pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : null;
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            oauthError(http, 400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
            return;
        }
        Client client = clients.get(tenant + "/" + clientId);
        if (client == null) {
            oauthError(http, 400, "unauthorized_client", "AADSTS700016: Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenant + "'.");
            return;
        }
        String failure = client.certificate != null
                ? checkAssertion(form, client, "https://localhost:" + port() + "/" + tenant + "/oauth2/v2.0/token")
                : (client.secret.equals(secret) ? null : "AADSTS7000215: Invalid client secret provided.");
        if (failure != null) {
            oauthError(http, 401, "invalid_client", failure);
            return;
        }
        // MSAL adds openid, profile and offline_access to every request; only the resource's .default matters.
        String scope = form.getOrDefault("scope", "");
        if (List.of(scope.split(" ")).stream().noneMatch(s -> s.endsWith("/.default"))) {
            oauthError(http, 400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid."
                    + " Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
            return;
        }
        String token = tokens.issue(tenant, clientId, client.roles, GRAPH_AUDIENCE, tokenLifetime);
        ObjectNode body = mapper.createObjectNode()
                .put("token_type", "Bearer")
                .put("expires_in", tokenLifetime.toSeconds())
                .put("ext_expires_in", tokenLifetime.toSeconds())
                .put("access_token", token);
        send(http, 200, Map.of(), mapper.writeValueAsBytes(body));
    }

    private String checkAssertion(Map<String, String> form, Client client, String endpoint) {
        if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))
                || form.get("client_assertion") == null) {
            return "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.";
        }
        return tokens.checkAssertion(form.get("client_assertion"), client.certificate, client.clientId, endpoint);
    }

    private void instanceDiscovery(HttpExchange http) throws IOException {
        String host = "localhost:" + port();
        ObjectNode body = mapper.createObjectNode()
                .put("tenant_discovery_endpoint", "https://" + host + "/common/v2.0/.well-known/openid-configuration")
                .put("api-version", "1.1");
        ObjectNode meta = body.putArray("metadata").addObject();
        meta.put("preferred_network", host).put("preferred_cache", host);
        meta.putArray("aliases").add(host);
        send(http, 200, Map.of(), mapper.writeValueAsBytes(body));
    }

    private void graph(HttpExchange http, SimulatedCollection collection, String encodedId, String subPath)
            throws IOException {
        JsonNode claims = authenticated(http, subPath);
        if (claims == null) {
            return;
        }
        String method = http.getRequestMethod();
        boolean write = !"GET".equals(method);
        if (!hasRole(http, claims, write ? collection.writeRoles : collection.readRoles)) {
            return;
        }
        if (!collection.secureScore()) {
            answer(http, collection, claims, encodedId, subPath);
            return;
        }
        String app = claims.path("tid").asText() + "/" + claims.path("appid").asText();
        if (throttled(http, "securescore:" + app, secureScoreRequestsPer10Minutes, 600_000, "Please retry again later."
                + " The limit of " + secureScoreRequestsPer10Minutes + " requests in 10 minutes on secure score was reached.")) {
            return;
        }
        AtomicInteger inFlight = secureScoreInFlight.computeIfAbsent(app, k -> new AtomicInteger());
        if (inFlight.incrementAndGet() > secureScoreConcurrency) {
            inFlight.decrementAndGet();
            graphError(http, 429, "TooManyRequests", "Please retry again later. The limit of " + secureScoreConcurrency
                    + " concurrent requests on secure score was reached.", Map.of("Retry-After", "1"));
            return;
        }
        try {
            holdSecureScore();
            answer(http, collection, claims, encodedId, subPath);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void holdSecureScore() {
        long until = System.currentTimeMillis() + secureScoreLatencyMillis;
        synchronized (secureScoreGate) {
            long left;
            while (secureScoreLatencyMillis > 0 && (left = until - System.currentTimeMillis()) > 0) {
                try {
                    secureScoreGate.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** GET /security: the singleton every security resource hangs off; any valid token may read it. */
    private void securitySingleton(HttpExchange http, String path) throws IOException {
        if (authenticated(http, null) == null) {
            return;
        }
        if (!"GET".equals(http.getRequestMethod())) {
            graphError(http, 405, "BadRequest", "The HTTP method '" + http.getRequestMethod() + "' is not supported here.");
            return;
        }
        String version = path.substring(1, path.indexOf('/', 1));
        send(http, 200, Map.of(), mapper.writeValueAsBytes(mapper.createObjectNode()
                .put("@odata.context", baseUrl() + "/" + version + "/$metadata#security/$entity")));
    }

    /**
     * Counts the call, plays a scripted fault, checks the bearer token and the per-minute limit;
     * the token's claims, or null after answering.
     */
    private JsonNode authenticated(HttpExchange http, String subPath) throws IOException {
        graphRequests.incrementAndGet();
        graphRequestTimes.add(System.currentTimeMillis());
        requestsByMethod.computeIfAbsent(http.getRequestMethod() + (subPath == null ? "" : " " + subPath.substring(1)),
                k -> new AtomicInteger()).incrementAndGet();
        ScriptedFault fault = nextFault(http.getRequestMethod(), http.getRequestURI().getQuery());
        if (fault != null && fault.status == -1) {
            try {
                Thread.sleep(Long.parseLong(fault.headers.get("delay-ms")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fault = null;
        }
        if (fault != null && fault.status == -2) {
            http.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            http.sendResponseHeaders(200, 4096);
            http.getResponseBody().write("{\"value\":[{\"id\":".getBytes(StandardCharsets.UTF_8));
            http.getResponseBody().flush();
            // Closing short of the promised length: the client sees the connection end mid-body.
            http.close();
            return null;
        }
        if (fault != null) {
            if (fault.rawBody != null) {
                send(http, fault.status, fault.headers, fault.rawBody.getBytes(StandardCharsets.UTF_8));
            } else {
                graphError(http, fault.status, fault.errorCode, "Scripted fault from the simulator.", fault.headers);
            }
            return null;
        }
        String auth = http.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            graphError(http, 401, "InvalidAuthenticationToken", "Access token is empty.");
            return null;
        }
        JsonNode claims;
        try {
            claims = tokens.verify(auth.substring(7));
        } catch (IllegalArgumentException e) {
            graphError(http, 401, "InvalidAuthenticationToken", e.getMessage());
            return null;
        }
        requestsByToken.computeIfAbsent(auth.substring(7), k -> new AtomicInteger()).incrementAndGet();
        String key = claims.path("tid").asText() + "/" + claims.path("appid").asText();
        return throttled(http, key, requestsPerMinute, "Please retry again later.") ? null : claims;
    }

    /** Whether the token carries one of {@code needed}; answers 403 as Graph does when not. */
    private boolean hasRole(HttpExchange http, JsonNode claims, Set<String> needed) throws IOException {
        Set<String> roles = new java.util.HashSet<>();
        claims.path("roles").forEach(r -> roles.add(r.asText()));
        if (roles.stream().noneMatch(needed::contains)) {
            graphError(http, 403, "Forbidden", "Missing role permissions on the request. API requires one of '"
                    + String.join(", ", new java.util.TreeSet<>(needed)) + "'. Roles on the request '"
                    + String.join(", ", roles) + "'.");
            return false;
        }
        return true;
    }

    private void answer(HttpExchange http, SimulatedCollection collection, JsonNode claims, String encodedId,
                        String subPath) throws IOException {
        boolean comments = "/comments".equals(subPath);
        String tenant = claims.path("tid").asText();
        String method = http.getRequestMethod();
        boolean unknownMembers = preferUnknownMembers(http);
        Tenant data = tenant(tenant);
        EntityStore store = data.store(collection);
        if (encodedId == null) {
            if (!"GET".equals(method)) {
                graphError(http, 405, "BadRequest", "The HTTP method '" + method + "' is not supported on the collection.");
                return;
            }
            list(http, collection, data, unknownMembers);
            return;
        }
        if (!"GET".equals(method) && collection.writable.isEmpty()) {
            graphError(http, 405, "BadRequest", "The HTTP method '" + method + "' is not supported on " + collection.path + ".");
            return;
        }
        String id = URLDecoder.decode(encodedId, StandardCharsets.UTF_8);
        if ("/alerts".equals(subPath)) {
            if (collection != SimulatedCollection.INCIDENTS) {
                graphError(http, 400, "BadRequest", "Resource not found for the segment 'alerts'.");
            } else if (!"GET".equals(method)) {
                graphError(http, 405, "BadRequest", "The HTTP method '" + method + "' is not supported on alerts.");
            } else {
                incidentAlerts(http, data, id, unknownMembers);
            }
            return;
        }
        if (comments) {
            if (!collection.hasCommentsEndpoint || !"POST".equals(method)) {
                graphError(http, 405, "BadRequest", "The HTTP method '" + method + "' is not supported on comments.");
                return;
            }
            addComment(http, collection, store, id, claims.path("appid").asText());
            return;
        }
        switch (method) {
            case "GET" -> get(http, collection, data, id, unknownMembers);
            case "PATCH" -> patch(http, collection, data, id, unknownMembers, claims.path("appid").asText());
            default -> graphError(http, 405, "BadRequest", "The HTTP method '" + method + "' is not supported here.");
        }
    }

    private void get(HttpExchange http, SimulatedCollection collection, Tenant tenant, String id, boolean unknownMembers)
            throws IOException {
        Map<String, String> q = parseForm(http.getRequestURI().getRawQuery());
        Boolean expand = expandAlerts(http, collection, q);
        if (expand == null) {
            return;
        }
        EntityStore store = tenant.store(collection);
        // Alerts before incidents: the order in which an alert's change reaches its incident.
        Optional<ObjectNode> entity = expand
                ? tenant.alerts.read(() -> store.get(id).map(i -> withAlerts(i, tenant, unknownMembers)))
                : store.get(id);
        if (entity.isEmpty()) {
            notFound(http, collection, id);
            return;
        }
        send(http, 200, preferenceApplied(unknownMembers),
                entityBody(collection, masked(collection, entity.get(), unknownMembers)));
    }

    /** PATCH with Graph's rules: only writable properties, valid enum members; 200 + entity, legacy 204. */
    private void patch(HttpExchange http, SimulatedCollection collection, Tenant tenant, String id,
                       boolean unknownMembers, String app) throws IOException {
        EntityStore store = tenant.store(collection);
        JsonNode body = jsonObjectBody(http);
        if (body == null) {
            return;
        }
        var current = store.get(id);
        if (current.isEmpty()) {
            notFound(http, collection, id);
            return;
        }
        for (var it = body.fields(); it.hasNext(); ) {
            var field = it.next();
            List<String> members = collection.writable.get(field.getKey());
            if (members == null) {
                graphError(http, 400, "BadRequest", "Property '" + field.getKey() + "' is read-only or does not exist on "
                        + collection.path + ".");
                return;
            }
            if (!members.isEmpty() && !members.contains(field.getValue().asText())) {
                graphError(http, 400, "BadRequest", "Invalid value '" + field.getValue().asText() + "' for property '"
                        + field.getKey() + "'.");
                return;
            }
        }
        if (collection.legacyPatchSemantics) {
            JsonNode vendor = body.path("vendorInformation");
            JsonNode have = current.get().path("vendorInformation");
            if (!vendor.path("provider").isTextual() || !vendor.path("vendor").isTextual()) {
                graphError(http, 400, "BadRequest", "The request body must contain vendorInformation with provider and vendor.");
                return;
            }
            if (!vendor.path("provider").asText().equals(have.path("provider").asText())
                    || !vendor.path("vendor").asText().equals(have.path("vendor").asText())) {
                graphError(http, 400, "BadRequest", "vendorInformation does not match the alert's provider and vendor.");
                return;
            }
            for (JsonNode c : body.path("comments")) {
                if (!Set.of("Closed in IPC", "Closed in MCAS").contains(c.asText())) {
                    graphError(http, 400, "BadRequest", "Only 'Closed in IPC' and 'Closed in MCAS' can be set as comments.");
                    return;
                }
            }
        }
        if (collection == SimulatedCollection.SECURE_SCORE_CONTROL_PROFILES) {
            // A profile is not changed in place: the PATCH becomes a new controlStateUpdates entry.
            ObjectNode profile = tenant.scores.setState(id, body.path("state").asText(tenant.scores.state(id)),
                    body.path("assignedTo").isTextual() ? body.get("assignedTo").asText() : null,
                    body.path("comment").asText(""), app);
            legacyAnswer(http, collection, profile, unknownMembers);
            return;
        }
        if (collection == SimulatedCollection.INCIDENTS && "resolved".equals(body.path("status").asText())) {
            // Resolving an incident resolves its alerts; they are stamped first so the incident's stamp is the latest.
            tenant.book.resolveAlerts(id);
        }
        ObjectNode updated = store.update(id, collection.stampField, e -> {
            body.fields().forEachRemaining(f -> {
                if (f.getKey().equals("comments") && collection.legacyPatchSemantics) {
                    f.getValue().forEach(c -> e.withArray("comments").add(c.asText()));
                } else if (!f.getKey().equals("vendorInformation")) {
                    e.set(f.getKey(), f.getValue());
                }
            });
            if ("resolved".equals(body.path("status").asText()) && !collection.legacyPatchSemantics) {
                e.put("resolvedDateTime", GraphTime.format(Instant.now(clock)));
            }
        }).orElseThrow();
        legacyAnswer(http, collection, updated, unknownMembers);
    }

    /** 204 for the legacy-style PATCHes unless {@code Prefer: return=representation}, else 200 with the entity. */
    private void legacyAnswer(HttpExchange http, SimulatedCollection collection, ObjectNode updated, boolean unknownMembers)
            throws IOException {
        if (collection.legacyPatchSemantics) {
            List<String> prefer = http.getRequestHeaders().get("Prefer");
            if (prefer == null || prefer.stream().noneMatch(p -> p.contains("return=representation"))) {
                send(http, 204, Map.of(), new byte[0]);
                return;
            }
        }
        send(http, 200, preferenceApplied(unknownMembers), entityBody(collection, masked(collection, updated, unknownMembers)));
    }

    /** POST .../comments appends and answers 200 with the whole comment collection, as Graph does. */
    private void addComment(HttpExchange http, SimulatedCollection collection, EntityStore store, String id, String app)
            throws IOException {
        JsonNode body = jsonObjectBody(http);
        if (body == null) {
            return;
        }
        if (!body.path("comment").isTextual() || body.path("comment").asText().isBlank()) {
            graphError(http, 400, "BadRequest", "The request body must contain a non-empty 'comment'.");
            return;
        }
        var updated = store.update(id, collection.stampField, e -> e.withArray("comments").addObject()
                .put("comment", body.get("comment").asText())
                .put("createdByDisplayName", "Automation (" + app + ")")
                .put("createdDateTime", GraphTime.format(Instant.now(clock))));
        if (updated.isEmpty()) {
            notFound(http, collection, id);
            return;
        }
        ObjectNode out = mapper.createObjectNode()
                .put("@odata.context", baseUrl() + "/v1.0/$metadata#security/" + collection.path + "('" + id + "')/comments");
        out.set("value", updated.get().path("comments"));
        send(http, 200, Map.of(), mapper.writeValueAsBytes(out));
    }

    /**
     * POST /security/runHuntingQuery: the tenant's scripted rows with a schema inferred from them,
     * after the per-minute hunting quota and the scripted result-size limit.
     */
    private void hunting(HttpExchange http) throws IOException {
        JsonNode claims = authenticated(http, "/runHuntingQuery");
        if (claims == null || !hasRole(http, claims, Set.of(HUNTING_ROLE))) {
            return;
        }
        if (!"POST".equals(http.getRequestMethod())) {
            graphError(http, 405, "BadRequest", "The HTTP method '" + http.getRequestMethod()
                    + "' is not supported on runHuntingQuery.");
            return;
        }
        String key = "hunting:" + claims.path("tid").asText() + "/" + claims.path("appid").asText();
        if (throttled(http, key, huntingCallsPerMinute, "Hunting query quota exceeded: more than " + huntingCallsPerMinute
                + " calls per minute for this tenant. Please retry again later.")) {
            return;
        }
        JsonNode body = jsonObjectBody(http);
        if (body == null) {
            return;
        }
        // The docs' examples use Query/Timespan, the CSDL query/timespan; Graph takes both.
        JsonNode query = body.has("query") ? body.get("query") : body.path("Query");
        JsonNode timespan = body.has("timespan") ? body.get("timespan") : body.path("Timespan");
        if (!query.isTextual() || query.asText().isBlank()) {
            graphError(http, 400, "BadRequest", "The request body must contain a non-empty 'query'.");
            return;
        }
        HuntingRequest request;
        try {
            request = HuntingRequest.of(query.asText(), timespan.isTextual() ? timespan.asText() : null, Instant.now(clock));
        } catch (IllegalArgumentException e) {
            graphError(http, 400, "BadRequest", "Invalid timespan: " + e.getMessage());
            return;
        }
        Tenant tenant = tenant(claims.path("tid").asText());
        tenant.huntingSeen.add(request);
        if (tenant.huntingSeen.size() > 1000) {
            tenant.huntingSeen.poll(); // a demo may run for days
        }
        Duration max = tenant.huntingMaxSpan;
        if (max != null && request.span().compareTo(max) > 0) {
            graphError(http, 400, "BadRequest", "Query execution has exceeded the allowed result size."
                    + " Optimize your query by limiting the number of results and try again.");
            return;
        }
        List<ObjectNode> rows = tenant.hunting.apply(request);
        ObjectNode out = mapper.createObjectNode()
                .put("@odata.context", baseUrl() + "/v1.0/$metadata#microsoft.graph.security.huntingQueryResults");
        var schema = out.putArray("schema");
        Map<String, String> columns = new LinkedHashMap<>();
        rows.forEach(r -> r.fields().forEachRemaining(f -> columns.merge(f.getKey(), columnType(f.getValue()),
                (a, b) -> a.equals("Object") || a.equals(b) ? a : b.equals("Object") ? b : "String")));
        columns.forEach((name, type) -> schema.addObject().put("name", name).put("type", type));
        out.putArray("results").addAll(rows);
        send(http, 200, Map.of(), mapper.writeValueAsBytes(out));
    }

    /** The Kusto type a hunting column of this value would have. */
    private static String columnType(JsonNode v) {
        if (v.isTextual()) {
            return GraphTime.later(v.asText(), "") ? "DateTime" : "String";
        }
        if (v.isBoolean()) {
            return "Boolean";
        }
        if (v.isIntegralNumber()) {
            return "Int64";
        }
        if (v.isNumber()) {
            return "Double";
        }
        return v.isNull() ? "String" : "Object";
    }

    /** The request's JSON object, or null after answering 400 as Graph does. */
    private JsonNode jsonObjectBody(HttpExchange http) throws IOException {
        JsonNode body;
        try {
            body = mapper.readTree(http.getRequestBody().readAllBytes());
        } catch (IOException e) {
            graphError(http, 400, "BadRequest", "The request body is not valid JSON.");
            return null;
        }
        if (body == null || !body.isObject()) {
            graphError(http, 400, "BadRequest", "The request body must be a JSON object.");
            return null;
        }
        return body;
    }

    private void notFound(HttpExchange http, SimulatedCollection collection, String id) throws IOException {
        graphError(http, 404, "NotFound", "The " + collection.path + " entity '" + id + "' was not found.");
    }

    private byte[] entityBody(SimulatedCollection collection, ObjectNode entity) throws IOException {
        ObjectNode body = mapper.createObjectNode()
                .put("@odata.context", baseUrl() + "/v1.0/$metadata#security/" + collection.path + "/$entity");
        body.setAll(entity);
        return mapper.writeValueAsBytes(body);
    }

    private void list(HttpExchange http, SimulatedCollection collection, Tenant tenant, boolean unknownMembers)
            throws IOException {
        ListQuery q = listQuery(http, collection, collection);
        if (q == null) {
            return;
        }
        EntityStore store = tenant.store(collection);
        String path = collection.path;
        String failing = collection == SimulatedCollection.LEGACY_ALERTS ? failingLegacyProvider : null;
        if (failing != null) {
            // The federation leaves out what the failed provider would have contributed.
            q = q.withFilter(q.filterText + "\u0000without provider " + failing,
                    q.filter.and(a -> !failing.equals(a.path("vendorInformation").path("provider").asText())));
        }
        ListQuery query = q;
        Supplier<byte[]> render = () -> store.query(query.filterText, query.filter,
                matches -> page(path, path, collection, query, matches, tenant, unknownMembers));
        // Alerts before incidents: the order in which an alert's change reaches its incident.
        byte[] body = q.expand ? tenant.alerts.read(render) : render.get();
        if (failing != null) {
            Map<String, String> headers = new LinkedHashMap<>(preferenceApplied(unknownMembers));
            headers.put("Warning", "199 - \"Microsoft/" + failing + "/504/10000\"");
            send(http, 206, headers, body);
            return;
        }
        send(http, 200, preferenceApplied(unknownMembers), body);
    }

    /** GET /security/incidents/{id}/alerts: the incident's alerts, filtered and paged like alerts_v2. */
    private void incidentAlerts(HttpExchange http, Tenant tenant, String id, boolean unknownMembers) throws IOException {
        ListQuery q = listQuery(http, SimulatedCollection.ALERTS_V2, SimulatedCollection.INCIDENTS);
        if (q == null) {
            return;
        }
        if (tenant.incidents.get(id).isEmpty()) {
            notFound(http, SimulatedCollection.INCIDENTS, id);
            return;
        }
        String path = "incidents/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/alerts";
        String context = "incidents('" + id + "')/alerts";
        byte[] body = page(context, path, SimulatedCollection.ALERTS_V2, q,
                tenant.book.alertsOf(id).stream().filter(q.filter::matches).toList(), tenant, unknownMembers);
        send(http, 200, preferenceApplied(unknownMembers), body);
    }

    /** $filter, $top, $skip, $count (and $expand on incidents) as Graph checks them, or null after answering 400/500. */
    private ListQuery listQuery(HttpExchange http, SimulatedCollection items, SimulatedCollection resource)
            throws IOException {
        Map<String, String> q = parseForm(http.getRequestURI().getRawQuery());
        for (String option : q.keySet()) {
            boolean expandable = option.equals("$expand") && items == SimulatedCollection.INCIDENTS;
            if (option.startsWith("$") && !expandable && !Set.of("$filter", "$top", "$skip", "$count").contains(option)) {
                graphError(http, 400, "BadRequest", "Query option '" + option + "' is not supported on " + items.path + ".");
                return null;
            }
        }
        Boolean expand = expandAlerts(http, resource, q);
        if (expand == null) {
            return null;
        }
        int limit = resource.topLimit > 0 ? resource.topLimit : maxTop;
        int top;
        int skip;
        try {
            int pageSize = resource.defaultPageSize > 0 ? resource.defaultPageSize : defaultTop;
            top = q.containsKey("$top") ? Integer.parseInt(q.get("$top")) : Math.min(pageSize, limit);
            skip = q.containsKey("$skip") ? Integer.parseInt(q.get("$skip")) : 0;
        } catch (NumberFormatException e) {
            graphError(http, 400, "BadRequest", "Invalid value for $top or $skip: must be a non-negative integer.");
            return null;
        }
        if (top < 1 || top > limit || skip < 0) {
            // ASP.NET OData's own wording, which Graph passes through.
            graphError(http, 400, "BadRequest", "The limit of '" + limit + "' for Top query has been exceeded."
                    + " The value from the incoming request is '" + top + "'.");
            return null;
        }
        if (resource.skipLimit > 0 && skip > resource.skipLimit) {
            graphError(http, 400, "BadRequest", "The limit of '" + resource.skipLimit + "' for Skip query has been exceeded."
                    + " The value from the incoming request is '" + skip + "'.");
            return null;
        }
        String filterText = q.getOrDefault("$filter", "");
        ODataFilter filter;
        try {
            filter = filterText.isBlank() ? ODataFilter.all() : ODataFilter.parse(filterText, items.filterable);
        } catch (IllegalArgumentException e) {
            graphError(http, 400, "BadRequest", "Invalid filter clause: " + e.getMessage());
            return null;
        }
        return new ListQuery(q, top, skip, filterText, filter, "true".equalsIgnoreCase(q.get("$count")), expand);
    }

    private record ListQuery(Map<String, String> query, int top, int skip, String filterText, ODataFilter filter,
                             boolean count, boolean expand) {
        ListQuery withFilter(String text, ODataFilter f) {
            return new ListQuery(query, top, skip, text, f, count, expand);
        }
    }

    /**
     * Whether the request asks for an incident's alerts inline; null after answering: 400 for anything
     * but {@code $expand=alerts} on incidents, 500 while {@link #failExpand} is on.
     */
    private Boolean expandAlerts(HttpExchange http, SimulatedCollection collection, Map<String, String> query)
            throws IOException {
        String expand = query.get("$expand");
        if (expand == null || collection != SimulatedCollection.INCIDENTS) {
            return false;
        }
        if (!expand.equals("alerts")) {
            graphError(http, 400, "BadRequest", "Could not find a property named '" + expand
                    + "' on type 'microsoft.graph.security.incident'.");
            return null;
        }
        if (failExpand) {
            graphError(http, 500, "InternalServerError", "An internal server error occurred while expanding 'alerts'.");
            return null;
        }
        return true;
    }

    /** One page of {@code matches}, streamed while their store cannot change. */
    private byte[] page(String context, String path, SimulatedCollection collection, ListQuery q, List<ObjectNode> matches, Tenant tenant,
                        boolean unknownMembers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@odata.context", baseUrl() + "/v1.0/$metadata#security/" + context);
            if (q.count) {
                g.writeNumberField("@odata.count", matches.size());
            }
            g.writeArrayFieldStart("value");
            int end = Math.min(matches.size(), q.skip + q.top);
            for (int i = q.skip; i < end; i++) {
                ObjectNode item = q.expand ? withAlerts(matches.get(i), tenant, unknownMembers) : matches.get(i);
                mapper.writeTree(g, masked(collection, item, unknownMembers));
            }
            g.writeEndArray();
            if (end < matches.size() && !omitNextLink.compareAndSet(true, false)) {
                g.writeStringField("@odata.nextLink", nextLink(path, q.query, q.top, end));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A copy of the incident with its alerts inline, as {@code $expand=alerts} gives it. */
    private ObjectNode withAlerts(ObjectNode incident, Tenant tenant, boolean unknownMembers) {
        ObjectNode copy = incident.deepCopy();
        var alerts = copy.putArray("alerts");
        tenant.book.alertsOf(incident.path("id").asText())
                .forEach(a -> alerts.add(masked(SimulatedCollection.ALERTS_V2, a, unknownMembers)));
        return copy;
    }

    private String nextLink(String path, Map<String, String> query, int top, int skip) {
        Map<String, String> next = new LinkedHashMap<>(query);
        next.put("$top", String.valueOf(top));
        next.put("$skip", String.valueOf(skip));
        StringBuilder sb = new StringBuilder(baseUrl()).append("/v1.0/security/").append(path).append('?');
        next.forEach((k, v) -> sb.append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")).append('&'));
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    /**
     * Members declared after unknownFutureValue are sent only to clients that opt in; others get
     * unknownFutureValue, as Graph does.
     */
    private static ObjectNode masked(SimulatedCollection collection, ObjectNode entity, boolean unknownMembers) {
        if (unknownMembers) {
            return entity;
        }
        ObjectNode copy = entity;
        for (var e : collection.evolvable.entrySet()) {
            if (e.getValue().contains(entity.path(e.getKey()).asText())) {
                copy = copy == entity ? entity.deepCopy() : copy;
                copy.put(e.getKey(), "unknownFutureValue");
            }
        }
        return copy;
    }

    /** One tenant's collections; its alerts are grouped into its incidents as they are stored. */
    private static final class Tenant {
        final EntityStore alerts = new EntityStore();
        final EntityStore incidents = new EntityStore();
        final EntityStore legacyAlerts = new EntityStore();
        final EntityStore secureScores = new EntityStore();
        final EntityStore controlProfiles = new EntityStore();
        final IncidentBook book;
        final SecureScoreBook scores;
        volatile java.util.function.Function<HuntingRequest, List<ObjectNode>> hunting = r -> List.of();
        volatile Duration huntingMaxSpan;
        final java.util.Queue<HuntingRequest> huntingSeen = new ConcurrentLinkedQueue<>();

        Tenant(String id) {
            book = new IncidentBook(id, alerts, incidents);
            scores = new SecureScoreBook(id, secureScores, controlProfiles, Clock.systemUTC());
        }

        EntityStore store(SimulatedCollection c) {
            return switch (c) {
                case ALERTS_V2 -> alerts;
                case INCIDENTS -> incidents;
                case LEGACY_ALERTS -> legacyAlerts;
                case SECURE_SCORES -> secureScores;
                case SECURE_SCORE_CONTROL_PROFILES -> controlProfiles;
            };
        }
    }

    private static boolean preferUnknownMembers(HttpExchange http) {
        List<String> prefer = http.getRequestHeaders().get("Prefer");
        return prefer != null && prefer.stream().anyMatch(p -> p.toLowerCase().contains("include-unknown-enum-members"));
    }

    private static Map<String, String> preferenceApplied(boolean unknownMembers) {
        return unknownMembers ? Map.of("Preference-Applied", "include-unknown-enum-members") : Map.of();
    }

    /** A sliding one-minute window per tenant and app, as Graph documents for /security. */
    private boolean throttled(HttpExchange http, String key, int limit, String message) throws IOException {
        return throttled(http, key, limit, 60_000, message);
    }

    private boolean throttled(HttpExchange http, String key, int limit, long windowMillis, String message)
            throws IOException {
        if (limit <= 0) {
            return false;
        }
        long now = System.currentTimeMillis();
        Deque<Long> times = requestTimes.computeIfAbsent(key, k -> new ArrayDeque<>());
        long waitMillis;
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
                times.pollFirst();
            }
            if (times.size() < limit) {
                times.addLast(now);
                return false;
            }
            waitMillis = times.peekFirst() + windowMillis - now;
        }
        String retryAfter = String.format(java.util.Locale.ROOT, "%.3f", Math.max(waitMillis, 1) / 1000.0);
        graphError(http, 429, "TooManyRequests", message, Map.of("Retry-After", retryAfter));
        return true;
    }

    // ---- responses ----------------------------------------------------------------------------

    private void graphError(HttpExchange http, int status, String code, String message) throws IOException {
        graphError(http, status, code, message, Map.of());
    }

    private void graphError(HttpExchange http, int status, String code, String message, Map<String, String> headers)
            throws IOException {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code).put("message", message);
        error.putObject("innerError")
                .put("date", GraphTime.format(Instant.now(clock)).substring(0, 19))
                .put("request-id", UUID.randomUUID().toString())
                .put("client-request-id", UUID.randomUUID().toString());
        send(http, status, headers, mapper.writeValueAsBytes(body));
    }

    private void oauthError(HttpExchange http, int status, String error, String description) throws IOException {
        ObjectNode body = mapper.createObjectNode().put("error", error).put("error_description", description);
        body.putArray("error_codes").add(Integer.parseInt(description.replaceAll("^AADSTS(\\d+).*", "$1")));
        body.put("timestamp", GraphTime.format(Instant.now(clock))).put("trace_id", UUID.randomUUID().toString())
                .put("correlation_id", UUID.randomUUID().toString());
        send(http, status, Map.of(), mapper.writeValueAsBytes(body));
    }

    private static void send(HttpExchange http, int status, Map<String, String> headers, byte[] body) throws IOException {
        http.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        headers.forEach((k, v) -> http.getResponseHeaders().set(k, v));
        http.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = http.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> parseForm(String raw) {
        Map<String, String> form = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return form;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(k, v);
        }
        return form;
    }

    private record Client(String tenant, String clientId, String secret, X509Certificate certificate, Set<String> roles) {
    }

    private record ScriptedFault(String method, int status, Map<String, String> headers, String errorCode, String rawBody,
                                 String queryHas) {
        ScriptedFault(String method, int status, Map<String, String> headers, String errorCode, String rawBody) {
            this(method, status, headers, errorCode, rawBody, null);
        }
    }

    private ScriptedFault nextFault(String method, String query) {
        for (ScriptedFault f : faults) {
            if ((f.method == null || f.method.equals(method))
                    && (f.queryHas == null || (query != null && query.contains(f.queryHas))) && faults.remove(f)) {
                return f;
            }
        }
        return null;
    }

}
