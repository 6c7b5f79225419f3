package io.graphsec.routes.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The audit trail of write-back: one JSON record per feedback handled, whatever the outcome (who
 * asked, the target, fields before and after, Graph's status code), and for failures the reason a
 * person can act on, put on the dead-lettered message as {@code graphDeadLetterReason}.
 */
public final class FeedbackAudit {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Clock clock;

    public FeedbackAudit(Clock clock) {
        this.clock = clock;
    }

    /** After a successful run: the body becomes the audit record. */
    public String applied(Exchange exchange) throws JsonProcessingException {
        Feedback f = exchange.getProperty(FeedbackValidator.PROPERTY, Feedback.class);
        FeedbackPlan plan = exchange.getProperty(FeedbackPlanner.PROPERTY, FeedbackPlan.class);
        ObjectNode record = base(f, plan.hasPatch() || plan.hasComment() ? "applied" : "already-applied");
        record.set("before", mapper.valueToTree(plan.before()));
        record.set("after", mapper.valueToTree(plan.after()));
        Integer status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && (plan.hasPatch() || plan.hasComment())) {
            record.put("graphStatus", status);
        }
        return mapper.writeValueAsString(record);
    }

    /**
     * After a failure: sets {@code graphDeadLetterReason} (and the entity as Graph has it, for a
     * conflict) on the message going to the dead-letter queue, and keeps the audit record in the
     * exchange property {@code graphFeedbackAuditRecord}.
     */
    public void failed(Exchange exchange) throws JsonProcessingException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Feedback f = exchange.getProperty(FeedbackValidator.PROPERTY, Feedback.class);
        String reason = reason(cause, f);
        exchange.getIn().setHeader("graphDeadLetterReason", reason);
        if (cause instanceof FeedbackConflictException c) {
            exchange.getIn().setHeader("graphCurrentEntity", c.currentEntity());
        }
        ObjectNode record = base(f, cause instanceof InvalidFeedbackException ? "rejected" : "failed");
        record.put("reason", reason);
        if (cause instanceof HttpOperationFailedException http) {
            record.put("graphStatus", http.getStatusCode());
        }
        exchange.setProperty("graphFeedbackAuditRecord", mapper.writeValueAsString(record));
    }

    /** A webhook verdict refused for naming another ticket than the entity's: the body becomes its audit record. */
    public String refused(Exchange exchange) throws JsonProcessingException {
        TicketNotOwnedException cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, TicketNotOwnedException.class);
        ObjectNode record = base(null, "refused").put("requestedBy", cause.requestedBy()).put("ticket", cause.ticket())
                .put("entity", cause.entity()).put("reason", cause.getMessage());
        return mapper.writeValueAsString(record);
    }

    private ObjectNode base(Feedback f, String outcome) {
        ObjectNode record = mapper.createObjectNode().put("time", Instant.now(clock).toString()).put("outcome", outcome);
        if (f != null) {
            record.put("requestedBy", f.requestedBy()).put("tenant", f.tenant()).put("target", f.target().label())
                    .put("id", f.id());
        }
        return record;
    }

    private String reason(Throwable cause, Feedback f) {
        if (cause instanceof HttpOperationFailedException http) {
            String what = f == null ? "the request" : f.target().label() + " " + f.id();
            String graph = graphError(http.getResponseBody());
            String reason = "Graph answered " + http.getStatusCode() + " for " + what + ": " + graph;
            if (http.getStatusCode() == 403 && f != null) {
                reason += " (the app registration needs the application permission " + f.target().writePermission()
                        + " with admin consent)";
            } else if (http.getStatusCode() == 404) {
                reason += " (no such " + (f == null ? "entity" : f.target().label()) + " in this tenant)";
            }
            return reason;
        }
        return cause == null ? "unknown failure" : cause.getMessage();
    }

    /** Graph's error code and message, never the raw body (it could echo request content). */
    private String graphError(String body) {
        try {
            JsonNode error = mapper.readTree(body == null ? "{}" : body).path("error");
            if (error.isObject()) {
                return error.path("code").asText("unknown") + ": " + error.path("message").asText("");
            }
        } catch (JsonProcessingException ignored) {
            // not JSON: fall through
        }
        return "no Graph error body";
    }

}
