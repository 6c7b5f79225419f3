package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The generic webhook: one POST per event of webhook-body.json.mustache with an Idempotency-Key, so
 * the receiver can drop the repeat a retry or a redelivery makes. No ticket is correlated here.
 */
final class WebhookTickets {

    private final TicketingCall http;
    private final TicketTemplates templates;

    WebhookTickets(TicketingCall http, TicketTemplates templates) {
        this.http = http;
        this.templates = templates;
    }

    void post(JsonNode context, String idempotencyKey) {
        JsonNode body = templates.body("webhook-body.json.mustache", context);
        http.send("POST", "", null, body, Map.of("Idempotency-Key", idempotencyKey), "webhook " + idempotencyKey);
    }
}
