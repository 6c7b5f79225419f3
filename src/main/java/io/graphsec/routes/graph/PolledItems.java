package io.graphsec.routes.graph;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;

/**
 * The split flow's filter for every collection: asks the poller of the page being split (its
 * progress rides on the exchange) whether this version of the item is new.
 */
public final class PolledItems {

    public boolean isNew(JsonNode item, Exchange exchange) {
        PollProgress p = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        if (p == null) {
            throw new IllegalStateException("no poll in progress on this exchange: the split flow is fed by a poll");
        }
        return p.poller.isNew(item, exchange);
    }
}
