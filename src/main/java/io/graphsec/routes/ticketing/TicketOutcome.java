package io.graphsec.routes.ticketing;

/** What happened, and the Graph comment still to post (the route posts it, through Graph's error handling). */
public final class TicketOutcome {
    private final String summary;
    final String unit;
    final String commentKey;
    private final String commentUrl;
    private final String commentBody;
    boolean inGraph = true;

    TicketOutcome(String summary, String unit, String commentKey, String commentUrl, String commentBody) {
        this.summary = summary;
        this.unit = unit;
        this.commentKey = commentKey;
        this.commentUrl = commentUrl;
        this.commentBody = commentBody;
    }

    public String getSummary() {
        return summary;
    }

    public boolean isCommentNeeded() {
        return commentUrl != null;
    }

    /** False for alert-like events (graphApi secureScore, hunting): Graph has no such alert to comment on. */
    public boolean isInGraph() {
        return inGraph;
    }

    public String getCommentUrl() {
        return commentUrl;
    }

    public String getCommentBody() {
        return commentBody;
    }
}
