package io.graphsec.routes.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.Exchange;

/**
 * The page steps of the window read (routes/1-read-window.camel.yaml), one flow for the live polls
 * and the replays: each step goes to the poller that opened the window, whose progress rides on the
 * exchange ({@link CollectionPoller#PROGRESS}).
 */
public final class WindowPages {

    public void noteResponse(Exchange exchange) {
        poller(exchange).noteResponse(exchange);
    }

    public List<JsonNode> readPage(Exchange exchange) {
        return poller(exchange).readPage(exchange);
    }

    /**
     * Whether the page read has items to deliver. An empty page (a quiet poll's usual answer) needs no
     * JMS transaction: at hundreds of tenants, beginning and committing one per quiet poll was a large
     * part of the idle CPU, the broker's side included.
     */
    public boolean hasItems(@Body List<JsonNode> items) {
        return items != null && !items.isEmpty();
    }

    public void restartPage(Exchange exchange) {
        poller(exchange).restartPage(exchange);
    }

    public void remember(Exchange exchange) {
        poller(exchange).remember(exchange);
    }

    private static CollectionPoller poller(Exchange exchange) {
        PollProgress p = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        if (p == null) {
            throw new IllegalStateException("no window open on this exchange: direct:graph-read-window reads the window"
                    + " a poll or a replay opened");
        }
        return p.poller;
    }
}
