package io.graphsec.routes.enrich;

import io.graphsec.routes.graph.CollectionPoller;
import io.graphsec.routes.graph.PollProgress;
import io.graphsec.routes.state.EntityState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Raises an alert (or incident) to the high route when Microsoft ranks it so, whatever its own
 * severity: its incident's priority score is at least {@code graph.priority.raise-score}, or it
 * carries one of the system tags of {@code graph.priority.raise-tags}. The message says why
 * ({@code graphRouteReason}), takes high's route and JMS priority, and what changed is told by the
 * route it was delivered on: crossing the threshold is a {@code severityRaised} (one ticket, one
 * mail), dropping back below it an {@code updated}. A missing score raises nothing and lowers
 * nothing; switched off, this step leaves every message as the severity enrichment made it.
 */
public final class PriorityRaise {

    static final String HIGH = "high";

    private final boolean enabled;
    private final int raiseScore;
    private final Set<String> raiseTags;

    /** {@code raiseTags}: system tags that raise, compared without case (e.g. "Defender Experts"). */
    public PriorityRaise(boolean enabled, int raiseScore, List<String> raiseTags) {
        if (raiseScore < 0 || raiseScore > 100) {
            throw new IllegalArgumentException("graph.priority.raise-score=" + raiseScore
                    + " is outside 0..100, the range of Graph's incident priorityScore");
        }
        this.enabled = enabled;
        this.raiseScore = raiseScore;
        this.raiseTags = raiseTags.stream().map(String::trim).filter(t -> !t.isEmpty())
                .map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public void apply(Exchange exchange) {
        Message in = exchange.getIn();
        String route = in.getHeader("graphRoute", String.class);
        if (!enabled || route == null) {
            return;
        }
        List<String> reasons = reasons(in);
        boolean raised = !reasons.isEmpty() && !HIGH.equals(route);
        EntityState previous = exchange.getProperty(CollectionPoller.PREVIOUS_STATE, EntityState.class);
        if (raised || previous != null && previous.route() != null) {
            // Compared as delivered: a raise already told is not told again, a drop is no raise.
            String severityNow = raised ? HIGH : in.getHeader("graphSeverity", String.class);
            EntityState asRouted = previous == null ? null
                    : new EntityState(previous.version(), previous.routedSeverity(), previous.status());
            in.setHeader("graphEventType", ChangeEvent.of(asRouted, severityNow, in.getHeader("graphStatus", String.class)));
            if (previous != null && previous.route() != null) {
                in.setHeader("graphPreviousRoute", previous.route());
            }
        }
        if (raised) {
            in.setHeader("graphRoute", HIGH);
            in.setHeader("JMSPriority", AlertEnricher.PRIORITY.get(HIGH));
            in.setHeader("graphRouteReason", String.join("; ", reasons));
            // This delivery is the raise (not a later version of an alert raised before): tickets hear of it.
            if (ChangeEvent.SEVERITY_RAISED.equals(in.getHeader("graphEventType"))) {
                in.setHeader("graphPriorityRaised", true);
            }
            PollProgress poll = exchange.getProperty(CollectionPoller.PROGRESS, PollProgress.class);
            String key = in.getHeader("incident".equals(in.getHeader("graphEntityType")) ? "graphIncidentId" : "graphAlertId",
                    String.class);
            if (poll != null && key != null) {
                poll.restate(key, state -> state.routedTo(HIGH));
            }
        }
    }

    /** Why Microsoft's signals rank the message high: the score at or over the threshold, each tag chosen. */
    private List<String> reasons(Message in) {
        List<String> reasons = new ArrayList<>();
        Object score = in.getHeader(TriageSignals.PRIORITY_SCORE);
        if (score instanceof Integer s && s >= raiseScore) {
            reasons.add("incident priority score " + s + " >= " + raiseScore);
        }
        if (!raiseTags.isEmpty()) {
            for (String tag : TriageSignals.listOf(in.getHeader(TriageSignals.SYSTEM_TAGS, String.class))) {
                if (raiseTags.contains(tag.toLowerCase(Locale.ROOT))) {
                    reasons.add("system tag " + tag);
                }
            }
        }
        return reasons;
    }
}
