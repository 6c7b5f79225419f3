package io.graphsec.routes.graph;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the retry of a page Graph answered 500 for while it asked for {@code $expand}: asks again
 * without it. Large tenants hit this on {@code incidents?$expand=alerts}; the rest of the poll reads
 * each incident's alerts apart ({@link IncidentAlertsReader}). Used as onRedelivery, so the header
 * set here is the one the retried call sends.
 */
public final class DropExpandOnServerError implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DropExpandOnServerError.class);

    @Override
    public void process(Exchange exchange) {
        PollProgress poll = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
        if (poll == null || !poll.canDropExpand()) {
            return;
        }
        String url = poll.dropExpand();
        exchange.getIn().setHeader(Exchange.HTTP_URI, url);
        LOG.warn("{}: Graph answered 500 to a page read with $expand; reading this poll without it"
                + " and each entity's related items apart", poll.resource());
    }
}
