package io.graphsec.routes.securescore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.graph.GraphPageException;
import java.io.IOException;
import java.util.function.Function;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Reads secure score through direct:graph-read (token, rate budget, TLS, 429 retries): first the
 * two newest daily records ({@code $top=2}: today and the day to compare with), then every page of
 * the control profiles, following {@code @odata.nextLink} to the end. Only one request is ever in
 * flight: Graph allows four concurrent requests on secure score per app and tenant.
 */
public final class SecureScoreReader implements AggregationStrategy {

    /** The flow's reading (exchange property). */
    public static final String READING = "graphSecureScoreReading";
    /** The URL direct:graph-read fetches next; null when nothing is left to read. */
    static final String URL = "graphReadUrl";

    private final ObjectMapper mapper = new ObjectMapper();
    private final Function<Exchange, String> graphBaseUrl;

    /** {@code graphBaseUrl}: the Graph base URL (its cloud's host) of the tenant the flow reads for. */
    public SecureScoreReader(Function<Exchange, String> graphBaseUrl) {
        this.graphBaseUrl = graphBaseUrl;
    }

    /** A new reading, starting with the two newest daily records. */
    public void startScores(Exchange exchange) {
        exchange.setProperty(READING, new SecureScoreReading());
        exchange.setProperty(URL, graphBaseUrl.apply(exchange) + "/v1.0/security/secureScores?$top=2");
    }

    /** Then the control profiles, from their first page (Graph's own page size). */
    public void startProfiles(Exchange exchange) {
        exchange.setProperty(URL, graphBaseUrl.apply(exchange) + "/v1.0/security/secureScoreControlProfiles");
    }

    /** Loop condition: a page of control profiles is still to be read. */
    public boolean needsPage(Exchange exchange) {
        return exchange.getProperty(URL) != null;
    }

    @Override
    public Exchange aggregate(Exchange flow, Exchange page) {
        SecureScoreReading reading = flow.getProperty(READING, SecureScoreReading.class);
        String url = flow.getProperty(URL, String.class);
        String what = reading.scoresRead ? "secureScoreControlProfiles page " + (reading.profilePages + 1) : "secureScores";
        if (page.getIn().getHeader("graphReadNotFound", false, Boolean.class)) {
            throw new GraphPageException(what + " answered 404 Not Found; is secure score offered in this tenant?");
        }
        JsonNode body;
        try {
            body = mapper.readTree(page.getIn().getBody(String.class));
        } catch (IOException e) {
            throw new GraphPageException(what + " is not valid JSON: " + e.getMessage(), e);
        }
        if (body == null || !body.path("value").isArray()) {
            throw new GraphPageException(what + " has no \"value\" array");
        }
        reading.pagesRead.add(url);
        if (!reading.scoresRead) {
            if (body.get("value").isEmpty()) {
                throw new GraphPageException("secureScores returned no daily record (none computed yet for this tenant)");
            }
            body.get("value").forEach(reading.scores::add);
            reading.scoresRead = true;
            flow.setProperty(URL, null);
            return flow;
        }
        reading.profilePages++;
        body.get("value").forEach(p -> reading.profiles.put(p.path("id").asText(), p));
        flow.setProperty(URL, next(body, reading, what, graphBaseUrl.apply(flow)));
        return flow;
    }

    private String next(JsonNode page, SecureScoreReading reading, String what, String baseUrl) {
        if (!page.path("@odata.nextLink").isTextual()) {
            return null;
        }
        String next = page.get("@odata.nextLink").asText();
        if (!next.startsWith(baseUrl + "/")) {
            // The bearer token goes wherever nextLink points: only ever follow it within Graph.
            throw new GraphPageException(what + ": @odata.nextLink leaves graph.base-url " + baseUrl + "; refusing to follow it");
        }
        if (reading.pagesRead.contains(next)) {
            throw new GraphPageException(what + ": @odata.nextLink repeats a page already read (a paging loop)");
        }
        return next;
    }
}
