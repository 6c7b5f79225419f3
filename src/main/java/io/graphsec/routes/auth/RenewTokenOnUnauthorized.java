package io.graphsec.routes.auth;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * On a 401 from Graph (token revoked or expired early), before the one retry: drops the tenant's
 * cached token and fetches a new one, which the retried call (routes/1-call-graph.camel.yaml takes
 * the tenant's token at each attempt) then sends.
 */
public final class RenewTokenOnUnauthorized implements Processor {

    private final GraphTenants tenants;

    /** Renews the token of the tenant the failed call was for. */
    public RenewTokenOnUnauthorized(GraphTenants tenants) {
        this.tenants = tenants;
    }

    @Override
    public void process(Exchange exchange) {
        tenants.of(exchange).tokens().renewedAuthorizationHeader();
    }
}
