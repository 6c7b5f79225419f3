package io.graphsec.routes.auth;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * On a 401 from Graph (token revoked or expired early), fetches a new token and puts it on the
 * exchange before the one retry: redelivery repeats only the failed HTTP step, so the header set
 * earlier in the route would otherwise be sent again unchanged.
 */
public final class RenewTokenOnUnauthorized implements Processor {

    private final GraphTenants tenants;

    /** Renews the token of the tenant the failed call was for. */
    public RenewTokenOnUnauthorized(GraphTenants tenants) {
        this.tenants = tenants;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getIn().setHeader("Authorization", tenants.of(exchange).tokens().renewedAuthorizationHeader());
    }
}
