package io.graphsec.routes.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Reads an incident's alerts apart ({@code GET /security/incidents/{id}/alerts}, every page) when
 * the poll had to give up {@code $expand=alerts}, and puts them where $expand would have: the
 * incident's {@code alerts} array. From the Graph host of the poll's own tenant.
 */
public final class IncidentAlertsReader implements AggregationStrategy {

    static final String URL = "graphReadUrl";
    private static final String STARTED = "graphIncidentAlertsStarted";

    private final ObjectMapper mapper = new ObjectMapper();

    /** Loop condition: true while a page of this incident's alerts is still to be read. */
    public boolean needsPage(Exchange exchange) {
        if (exchange.getProperty(STARTED, false, Boolean.class)) {
            return exchange.getProperty(URL) != null;
        }
        PollProgress poll = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        JsonNode incident = exchange.getIn().getBody(JsonNode.class);
        if (poll == null || !poll.isExpandDropped() || !(incident instanceof ObjectNode o) || o.has("alerts")
                || !o.path("id").isTextual() || GraphIds.problem("id", o.path("id").asText()).isPresent()) {
            return false;
        }
        exchange.setProperty(STARTED, true);
        o.putArray("alerts");
        exchange.setProperty(URL, poll.getBaseUrl() + "/v1.0/security/incidents/"
                + URLEncoder.encode(o.path("id").asText(), StandardCharsets.UTF_8) + "/alerts");
        return true;
    }

    /** Appends the page's alerts to the incident and moves to the page's nextLink (within Graph only). */
    @Override
    public Exchange aggregate(Exchange incidentExchange, Exchange page) {
        if (page.getIn().getHeader("graphReadNotFound", false, Boolean.class)) {
            // 404: the incident went away between the list and this read; it goes on with no alerts.
            incidentExchange.setProperty(URL, null);
            return incidentExchange;
        }
        JsonNode body;
        try {
            body = mapper.readTree(page.getIn().getBody(String.class));
        } catch (IOException e) {
            throw new GraphPageException("the alerts of incident " + incidentId(incidentExchange)
                    + " are not valid JSON: " + e.getMessage(), e);
        }
        ArrayNode alerts = (ArrayNode) incidentExchange.getIn().getBody(ObjectNode.class).get("alerts");
        body.path("value").forEach(alerts::add);
        String next = body.path("@odata.nextLink").isTextual() ? body.path("@odata.nextLink").asText() : null;
        String baseUrl = incidentExchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class).getBaseUrl();
        if (next != null && (!next.startsWith(baseUrl + "/") || next.equals(incidentExchange.getProperty(URL)))) {
            throw new GraphPageException("the alerts of incident " + incidentId(incidentExchange)
                    + " have an @odata.nextLink that leaves graph.base-url or repeats itself; refusing to follow it");
        }
        incidentExchange.setProperty(URL, next);
        return incidentExchange;
    }

    private static String incidentId(Exchange exchange) {
        return exchange.getIn().getBody(JsonNode.class).path("id").asText();
    }
}
