package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An HTTPS client of a running simulator that trusts its certificate, as the tests' stand-in for the routes. */
final class SimulatorHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    private final GraphSimulator sim;
    private final HttpClient http;

    SimulatorHttp(GraphSimulator sim, Path dir) throws Exception {
        this.sim = sim;
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(sim.writeTrustStore(dir.resolve("trust.p12")))) {
            trust.load(in, GraphSimulator.trustStorePassword().toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(ssl).build();
    }

    /** A client-credentials access token for this app of this tenant. */
    String token(String tenant, String clientId, String secret) throws Exception {
        return JSON.readTree(send("POST", "/" + tenant + "/oauth2/v2.0/token", null,
                "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret
                        + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default+openid",
                "application/x-www-form-urlencoded").body()).get("access_token").asText();
    }

    HttpResponse<String> send(String method, String path, String bearer, String body, String type) throws Exception {
        return send(method, URI.create(sim.baseUrl() + path), bearer, body, type, null);
    }

    /** {@code uri} absolute, as a nextLink is; {@code prefer} the Prefer header or null. */
    HttpResponse<String> send(String method, URI uri, String bearer, String body, String type, String prefer)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", type)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (prefer != null) {
            b.header("Prefer", prefer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** "status code message" of a Graph error answer. */
    static String error(HttpResponse<String> r) throws Exception {
        JsonNode e = JSON.readTree(r.body()).get("error");
        return r.statusCode() + " " + e.get("code").asText() + " " + e.get("message").asText();
    }
}
