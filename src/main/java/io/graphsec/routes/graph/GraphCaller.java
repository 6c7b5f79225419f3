package io.graphsec.routes.graph;

import org.apache.camel.Exchange;

/**
 * The tenant a Graph call is made for, as the Graph mechanics need it: its request budget and its
 * bearer header. The tenants and their tokens live above (auth); the mechanics see only this.
 */
public interface GraphCaller {

    /** Waits for a permit of the request budget of the exchange's tenant. */
    void acquire(Exchange exchange);

    /** The {@code Authorization} header value for the exchange's tenant. */
    String authorizationHeader(Exchange exchange);
}
