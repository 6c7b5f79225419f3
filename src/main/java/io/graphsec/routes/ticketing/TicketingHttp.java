package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * One ticketing system's HTTP side: its base URL, its credential (sent as a header, never shown in
 * a message or log), and the split of failures into "try again" ({@link TicketingUnavailableException})
 * and "this will not work" ({@link TicketingRejectedException}), each naming the status and the
 * system's own error text, shortened.
 */
final class TicketingHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String system;
    private final String baseUrl;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient client;

    /** {@code tls} null: the JVM's trust store. */
    TicketingHttp(String system, String baseUrl, String authorization, Duration connectTimeout, Duration timeout,
                  javax.net.ssl.SSLContext tls) {
        this.system = system;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = authorization;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Sends; answers the parsed JSON body (an empty object for an empty body) of a 2xx answer. */
    JsonNode send(String method, String pathAndQuery, JsonNode body, Map<String, String> headers, String what) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(timeout)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (body != null) {
            req.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            req.header("Authorization", authorization);
        }
        headers.forEach(req::header);
        HttpResponse<String> res;
        try {
            res = client.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new TicketingUnavailableException(system + " " + what + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + TicketTemplate.shorten(e.getMessage(), 200)), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TicketingUnavailableException(system + " " + what + " interrupted", e);
        }
        int status = res.statusCode();
        if (status >= 200 && status < 300) {
            try {
                return res.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(res.body());
            } catch (IOException e) {
                throw new TicketingRejectedException(system + " " + what + ": answer " + status + " is not JSON: "
                        + TicketTemplate.shorten(res.body(), 300));
            }
        }
        String reason = system + " answered " + status + " to " + what + ": " + TicketTemplate.shorten(res.body(), 500);
        if (status >= 500 || status == 429 || status == 408) {
            throw new TicketingUnavailableException(reason, null);
        }
        throw new TicketingRejectedException(reason);
    }
}
