package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated Entra endpoints MSAL talks to: the client-credentials token endpoint (client secret
 * or certificate assertion) of each registered app, and instance discovery.
 */
final class TokenEndpoint {

    private static final String GRAPH_AUDIENCE = "https://graph.microsoft.com";

    private final GraphResponses out;
    private final TokenIssuer tokens;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    final AtomicInteger tokenRequests = new AtomicInteger();
    volatile Duration tokenLifetime = Duration.ofHours(1);

    TokenEndpoint(GraphResponses out, TokenIssuer tokens) {
        this.out = out;
        this.tokens = tokens;
    }

    /** A secret or a certificate (the other null), and the application roles its tokens carry. */
    void register(String tenant, String clientId, String secret, X509Certificate certificate, String... roles) {
        clients.put(tenant + "/" + clientId, new Client(tenant, clientId, secret, certificate, Set.of(roles)));
    }

    void token(HttpExchange http, String tenant) throws IOException {
        tokenRequests.incrementAndGet();
        Map<String, String> form = GraphResponses.parseForm(
                new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        String basic = http.getRequestHeaders().getFirst("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            clientId = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            secret = pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : null;
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            out.oauthError(http, 400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
            return;
        }
        Client client = clients.get(tenant + "/" + clientId);
        if (client == null) {
            out.oauthError(http, 400, "unauthorized_client", "AADSTS700016: Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenant + "'.");
            return;
        }
        String failure = client.certificate != null
                ? checkAssertion(form, client, out.baseUrl() + "/" + tenant + "/oauth2/v2.0/token")
                : (client.secret.equals(secret) ? null : "AADSTS7000215: Invalid client secret provided.");
        if (failure != null) {
            out.oauthError(http, 401, "invalid_client", failure);
            return;
        }
        // MSAL adds openid, profile and offline_access to every request; only the resource's .default matters.
        String scope = form.getOrDefault("scope", "");
        if (List.of(scope.split(" ")).stream().noneMatch(s -> s.endsWith("/.default"))) {
            out.oauthError(http, 400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid."
                    + " Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
            return;
        }
        Duration lifetime = tokenLifetime;
        String token = tokens.issue(tenant, clientId, client.roles, GRAPH_AUDIENCE, lifetime);
        ObjectNode body = out.mapper.createObjectNode()
                .put("token_type", "Bearer")
                .put("expires_in", lifetime.toSeconds())
                .put("ext_expires_in", lifetime.toSeconds())
                .put("access_token", token);
        GraphResponses.send(http, 200, Map.of(), out.mapper.writeValueAsBytes(body));
    }

    private String checkAssertion(Map<String, String> form, Client client, String endpoint) {
        if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))
                || form.get("client_assertion") == null) {
            return "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.";
        }
        return tokens.checkAssertion(form.get("client_assertion"), client.certificate, client.clientId, endpoint);
    }

    void instanceDiscovery(HttpExchange http) throws IOException {
        String host = URI.create(out.baseUrl()).getAuthority();
        ObjectNode body = out.mapper.createObjectNode()
                .put("tenant_discovery_endpoint", "https://" + host + "/common/v2.0/.well-known/openid-configuration")
                .put("api-version", "1.1");
        ObjectNode meta = body.putArray("metadata").addObject();
        meta.put("preferred_network", host).put("preferred_cache", host);
        meta.putArray("aliases").add(host);
        GraphResponses.send(http, 200, Map.of(), out.mapper.writeValueAsBytes(body));
    }

    private record Client(String tenant, String clientId, String secret, X509Certificate certificate, Set<String> roles) {
    }
}
