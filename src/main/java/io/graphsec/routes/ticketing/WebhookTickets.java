package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The generic webhook: one POST per event with the mapping's body and an Idempotency-Key, so the
 * receiver can drop the repeat a retry or a redelivery makes. No ticket is correlated here.
 */
final class WebhookTickets {

    private final TicketingHttp http;
    private final JsonNode mapping;

    WebhookTickets(TicketingHttp http, JsonNode mapping) {
        this.http = http;
        this.mapping = mapping;
    }

    void post(JsonNode context, String idempotencyKey) {
        JsonNode body = TicketTemplate.render(mapping.path("body"), context, "webhook.body");
        http.send("POST", "", body, Map.of("Idempotency-Key", idempotencyKey), "webhook " + idempotencyKey);
    }
}
