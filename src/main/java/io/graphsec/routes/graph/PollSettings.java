package io.graphsec.routes.graph;

import java.time.Duration;

/**
 * What differs between the Graph collections we poll; everything else is the same mechanism.
 *
 * @param resource        short name, used for state files and logs (e.g. alerts_v2)
 * @param path            path under the Graph base URL (e.g. /v1.0/security/alerts_v2)
 * @param watermarkField  the DateTimeOffset property the window filters on (lastUpdateDateTime)
 * @param pageSize        $top
 * @param lag             how far each window reaches back before the previous one ended; Graph
 *                        publishes some alerts minutes after their lastUpdateDateTime
 * @param initialLookback how far the very first poll reaches back
 * @param extraQuery      further query options, already encoded (e.g. $expand=alerts), or empty
 * @param maxWindowItems  the most items one poll's window may hold; a larger backlog is read in
 *                        several windows, each committed, so memory and re-reads stay bounded
 * @param changeMemory    how long the state an entity was delivered in is remembered: an update
 *                        within it is told apart from a new entity (resolved, reopened, escalated)
 * @param collection      the name in the flows each item goes through: direct:graph-{collection}-enrich
 * @param routeCollection the name of the route flow: direct:graph-{routeCollection}-route (legacy
 *                        alerts are routed as alerts are)
 * @param extraFilter     an OData condition and-ed to the window's $filter (e.g. severity eq 'high'), or empty
 * @param maxSkip         the deepest $skip the collection accepts (legacy alerts: 500), or 0 for none
 * @param count           whether to ask for $count (the check that nothing left the window mid-paging)
 *
 * <p>An empty {@code watermarkField} makes a snapshot collection: every poll reads it whole, and
 * only items whose JSON changed since their last delivery go on.
 */
public record PollSettings(String resource, String path, String watermarkField, int pageSize, Duration lag,
                           Duration initialLookback, String extraQuery, int maxWindowItems, Duration changeMemory,
                           String collection, String routeCollection, String extraFilter, int maxSkip, boolean count) {

    /** True when the collection has no watermark field: each poll reads it whole. */
    public boolean snapshot() {
        return watermarkField.isEmpty();
    }

    public PollSettings {
        if (pageSize < 1) {
            throw new IllegalArgumentException("the page size of " + resource + " must be at least 1, was " + pageSize);
        }
        if (maxSkip > 0 && maxWindowItems > maxSkip + pageSize) {
            // A window is paged with $skip: it may hold no more than the deepest skip plus one page.
            maxWindowItems = maxSkip + pageSize;
        }
        if (lag.isNegative() || initialLookback.isNegative()) {
            throw new IllegalArgumentException("lag and initial lookback of " + resource + " must not be negative");
        }
    }
}
