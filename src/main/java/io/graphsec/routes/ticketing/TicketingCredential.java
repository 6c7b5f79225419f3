package io.graphsec.routes.ticketing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The Authorization header routes/5-call-ticketing.camel.yaml sends (graphTicketingCredential):
 * basic or bearer from graph.tickets.&lt;system&gt;.*, or none. Its text is never logged or shown.
 */
public final class TicketingCredential {

    private final String authorization;

    private TicketingCredential(String authorization) {
        this.authorization = authorization;
    }

    static TicketingCredential basic(String user, String password) {
        return new TicketingCredential("Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    static TicketingCredential bearer(String token) {
        return new TicketingCredential("Bearer " + token);
    }

    static TicketingCredential none() {
        return new TicketingCredential(null);
    }

    /** Null: no header (a webhook without a token). */
    public String authorization() {
        return authorization;
    }

    @Override
    public String toString() {
        return authorization == null ? "no credential" : "a credential";
    }
}
