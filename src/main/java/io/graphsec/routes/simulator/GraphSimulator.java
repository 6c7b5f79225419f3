package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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
 *
 * <p>This class is the front: the set-up and inspection API tests script it with, the server's
 * lifecycle; {@link GraphRouter} hands each request to the part that answers it: {@link TokenEndpoint} (Entra),
 * {@link GraphGate} (counting, scripted faults, bearer token, limits, roles), {@link EntityEndpoint}
 * and {@link CollectionPages} (the /security collections), {@link SecureScoreLimits} and
 * {@link HuntingEndpoint}; each tenant's data is a {@link TenantData}.
 */
public final class GraphSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GraphSimulator.class);

    private final Clock clock = Clock.systemUTC();
    private final TokenIssuer tokens = new TokenIssuer(clock);
    private final SimulatorTls tls = new SimulatorTls();
    private final Map<String, TenantData> tenants = new ConcurrentHashMap<>();
    private final GraphResponses responses = new GraphResponses(clock, this::baseUrl);
    private final TokenEndpoint tokenEndpoint = new TokenEndpoint(responses, tokens);
    private final GraphGate gate = new GraphGate(responses, tokens);
    private final CollectionPages pages = new CollectionPages(responses);
    private final SecureScoreLimits secureScore = new SecureScoreLimits(responses, gate);
    private final HuntingEndpoint hunting = new HuntingEndpoint(responses, gate, this::tenant);
    private final GraphRouter router = new GraphRouter(responses, tokenEndpoint, gate,
            new EntityEndpoint(responses, gate, secureScore, pages, this::tenant), hunting);
    private final int requestedPort;
    private LoopbackServer server;

    public GraphSimulator(int port) {
        this.requestedPort = port;
    }

    // ---- set-up -------------------------------------------------------------------------------

    /** Registers an app in a tenant with a client secret and the application roles its tokens carry. */
    public GraphSimulator registerClient(String tenant, String clientId, String secret, String... roles) {
        tokenEndpoint.register(tenant, clientId, secret, null, roles);
        alerts(tenant);
        return this;
    }

    /** Registers an app whose credential is a certificate (MSAL sends a signed client assertion). */
    public GraphSimulator registerCertificateClient(String tenant, String clientId, X509Certificate cert, String... roles) {
        tokenEndpoint.register(tenant, clientId, null, cert, roles);
        alerts(tenant);
        return this;
    }

    public GraphSimulator tokenLifetime(Duration lifetime) {
        tokenEndpoint.tokenLifetime = lifetime;
        return this;
    }

    /** Graph's documented limit on /security is 150 requests a minute per app per tenant; 0 switches it off. */
    public GraphSimulator requestsPerMinute(int limit) {
        gate.requestsPerMinute = limit;
        return this;
    }

    public GraphSimulator maxTop(int max) {
        pages.maxTop = max;
        return this;
    }

    /** The alerts_v2 collection of a tenant. */
    public EntityStore alerts(String tenant) {
        return tenant(tenant).store(SimulatedCollection.ALERTS_V2);
    }

    /** The incidents collection of a tenant. */
    public EntityStore incidents(String tenant) {
        return tenant(tenant).store(SimulatedCollection.INCIDENTS);
    }

    /** A tenant's secure score: its control profiles and daily records (seeded with 30 days). */
    public SecureScoreBook secureScores(String tenant) {
        return tenant(tenant).scores;
    }

    /** The secureScoreControlProfiles collection of a tenant (change states through {@link #secureScores}). */
    public EntityStore secureScoreControlProfiles(String tenant) {
        return tenant(tenant).store(SimulatedCollection.SECURE_SCORE_CONTROL_PROFILES);
    }

    /** Graph's limits on secureScores and secureScoreControlProfiles, and a scripted latency, to change. */
    public SecureScoreLimits secureScoreLimits() {
        return secureScore;
    }

    /** Scripts runHuntingQuery of a tenant: the rows each query answers (schema taken from the rows). */
    public GraphSimulator huntingResults(String tenant, Function<String, List<ObjectNode>> rows) {
        return huntingRequests(tenant, r -> rows.apply(r.query()));
    }

    /** The same, seeing the time range the request's timespan names. */
    public GraphSimulator huntingRequests(String tenant, Function<HuntingRequest, List<ObjectNode>> rows) {
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
        hunting.callsPerMinute = limit;
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
        pages.failingLegacyProvider = provider;
        return this;
    }

    /**
     * Legacy alert lists as after Microsoft's retirement: answered with this status (410, 404, 400) and
     * a Graph error; 0: only empty pages; null: served again.
     */
    public GraphSimulator legacyRetired(Integer status) {
        pages.legacyRetired = status;
        return this;
    }

    /** The legacy /security/alerts collection of a tenant. */
    public EntityStore legacyAlerts(String tenant) {
        return tenant(tenant).store(SimulatedCollection.LEGACY_ALERTS);
    }

    /**
     * The incidents of a tenant grouped from its alerts: resolve and merge them, list an incident's
     * alerts. Every alert put into {@link #alerts} with an incidentId already has its incident here.
     */
    public IncidentBook incidentBook(String tenant) {
        return tenant(tenant).book;
    }

    private TenantData tenant(String tenant) {
        return tenants.computeIfAbsent(tenant, TenantData::new);
    }

    // ---- scripted faults ----------------------------------------------------------------------

    /**
     * While on, every incidents request with {@code $expand=alerts} answers 500 as Graph sometimes
     * does, and the same request without $expand still succeeds.
     */
    public GraphSimulator failExpand(boolean fail) {
        pages.failExpand = fail;
        return this;
    }

    /** The next Graph API call (not token calls) answers with this status, headers and Graph error code instead. */
    public void failNext(int status, Map<String, String> headers, String errorCode) {
        failNext(null, status, headers, errorCode);
    }

    /** The same for the next call with this HTTP method only (null: any method). */
    public void failNext(String method, int status, Map<String, String> headers, String errorCode) {
        gate.script(method, status, headers, errorCode, null, null);
    }

    /** The same for the next call with this method whose (decoded) query holds this text, e.g. "$skip=" for a later page. */
    public void failNextWhereQueryHas(String method, String queryHas, int status, Map<String, String> headers,
                                      String errorCode) {
        gate.script(method, status, headers, errorCode, null, queryHas);
    }

    /** The next call with this method answers 200 with this raw body (truncated or invalid JSON, a page without value). */
    public void corruptNext(String method, String rawBody) {
        gate.script(method, 200, Map.of(), null, rawBody, null);
    }

    /** As {@link #corruptNext}, for the next call whose query holds {@code queryHas} (e.g. {@code $skip=20}: a later page). */
    public void corruptNextWhereQueryHas(String method, String queryHas, String rawBody) {
        gate.script(method, 200, Map.of(), null, rawBody, queryHas);
    }

    /** The next call with this method is answered only after this delay (a slow or hung Graph). */
    public void delayNext(String method, Duration delay) {
        gate.script(method, -1, Map.of("delay-ms", String.valueOf(delay.toMillis())), null, null, null);
    }

    /**
     * The next call with this method promises a body, sends a few bytes of it and closes the
     * connection: a connection dropped mid-response, as a reset by a proxy or load balancer looks.
     */
    public void dropNext(String method) {
        gate.script(method, -2, Map.of(), null, null, null);
    }

    /** The next list page that has more after it is sent without its @odata.nextLink (a Graph paging bug). */
    public void omitNextLinkOnce() {
        pages.omitNextLinkOnce();
    }

    /**
     * For {@code during} from now, every Graph call of this tenant (with a valid token) answers 429
     * with this {@code Retry-After}, as Graph does with a tenant over its limits; then it answers again.
     */
    public void throttleTenant(String tenantId, String retryAfter, Duration during) {
        gate.throttleTenant(tenantId, retryAfter, System.currentTimeMillis() + during.toMillis());
    }

    /**
     * For {@code during} from now, every Graph call of this tenant (with a valid token) is answered only
     * after {@code delay}: a tenant whose Graph is slow, or hangs past the client's timeout.
     */
    public void slowTenant(String tenantId, Duration delay, Duration during) {
        gate.slowTenant(tenantId, delay.toMillis(), System.currentTimeMillis() + during.toMillis());
    }

    /** Every token issued so far stops working (401), as after a credential rotation or a revocation. */
    public void revokeTokens() {
        tokens.rotateKey();
    }

    // ---- what it saw --------------------------------------------------------------------------

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
        return router.graphCalls();
    }

    /** When (epoch millis) each Graph call of this tenant (with a valid token) arrived, in order. */
    public List<Long> graphCallsOf(String tenantId) {
        return gate.callsOfTenant(tenantId);
    }

    public int tokenRequests() {
        return tokenEndpoint.tokenRequests.get();
    }

    public int graphRequests() {
        return gate.graphRequests();
    }

    /** Graph calls accepted with the {@code index}-th token handed out (0 = the first). */
    public int requestsWithToken(int index) {
        return gate.requestsWithToken(index);
    }

    /** The most Graph calls seen within any window of this length. */
    public int maxRequestsWithin(Duration window) {
        return gate.maxRequestsWithin(window);
    }

    /** Every request received so far, in order of arrival. */
    public List<SeenRequest> requestsSeen() {
        return router.requestsSeen();
    }

    /** Graph calls by method: "GET", "PATCH", "POST comments". */
    public int graphRequests(String method) {
        return gate.graphRequests(method);
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    public GraphSimulator start() throws IOException {
        server = LoopbackServer.https(requestedPort, 64, tls.serverContext(), 8, "graph-simulator", router::handle);
        LOG.info("Graph simulator listening on {}", baseUrl());
        return this;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    public int port() {
        return server.port();
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
}
