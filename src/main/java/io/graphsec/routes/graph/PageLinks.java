package io.graphsec.routes.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The URLs one collection's poll pages through: the first page of a window (its filter on the
 * watermark field, {@code $top}, {@code $count}), and after each page the next one, which is
 * Graph's {@code @odata.nextLink} as long as it stays within graph.base-url.
 */
final class PageLinks {

    /** Logged under the poller's name: operators follow one poll in one logger. */
    private static final Logger LOG = LoggerFactory.getLogger(CollectionPoller.class);

    private final PollSettings settings;
    private final String baseUrl;

    PageLinks(PollSettings settings, String baseUrl) {
        this.settings = settings;
        this.baseUrl = baseUrl;
    }

    String first(Instant start, Instant end) {
        String filter = settings.snapshot() ? settings.extraFilter()
                : settings.watermarkField() + " ge " + start + " and " + settings.watermarkField() + " lt " + end
                + (settings.extraFilter().isBlank() ? "" : " and (" + settings.extraFilter() + ")");
        return baseUrl + settings.path() + "?$top=" + settings.pageSize()
                + (filter.isBlank() ? "" : "&$filter=" + encode(filter))
                + (settings.count() ? "&$count=true" : "")
                + (settings.extraQuery().isEmpty() ? "" : "&" + settings.extraQuery());
    }

    /** The URL of the page after this one (which has a "value" array), or null when it was the last. */
    String next(JsonNode page, PollProgress p) {
        String next = page.path("@odata.nextLink").isTextual() ? page.path("@odata.nextLink").asText() : null;
        int size = page.get("value").size();
        if (next == null && size >= settings.pageSize() && p.expectedCount != null
                && p.fetched + size < p.expectedCount) {
            // A full page, more items counted, and no link: page on with $skip rather than re-read the window forever.
            next = first(p.windowStart, p.windowEnd) + "&$skip=" + (p.fetched + size);
            LOG.warn("{}: Graph sent a full page without @odata.nextLink after {} of {} items; going on with $skip",
                    settings.resource(), p.fetched + size, p.expectedCount);
        }
        if (next != null && !next.startsWith(baseUrl + "/")) {
            // The bearer token goes wherever nextLink points: only ever follow it within Graph.
            throw new GraphPageException(settings.resource() + " @odata.nextLink leaves graph.base-url " + baseUrl
                    + "; refusing to follow it");
        }
        return next;
    }

    private static String encode(String s) {
        return GraphIds.percentEncoded(s);
    }
}
