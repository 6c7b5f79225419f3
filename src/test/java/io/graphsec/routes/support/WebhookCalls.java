package io.graphsec.routes.support;

import io.graphsec.routes.feedback.WebhookAuthenticator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Calls to the ticketing webhook as ServiceNow or Jira make them, over a real socket. */
public final class WebhookCalls {

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final String key;

    public WebhookCalls(int port, String hmacKey) {
        this.port = port;
        this.key = hmacKey;
    }

    /** Signed now, with the timestamp header. */
    public HttpResponse<String> signed(String system, String body) throws Exception {
        return post(system, body, WebhookAuthenticator.sender(key).signedHeaders(body));
    }

    public HttpResponse<String> post(String system, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(system)).header("Content-Type", "application/json");
        headers.forEach(request::header);
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public URI uri(String system) {
        return URI.create("http://127.0.0.1:" + port + "/graph-security/feedback/" + system);
    }
}
