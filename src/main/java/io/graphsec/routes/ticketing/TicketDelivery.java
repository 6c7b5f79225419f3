package io.graphsec.routes.ticketing;

import static io.graphsec.routes.ticketing.CorrelationKeys.correlationKey;
import static io.graphsec.routes.ticketing.CorrelationKeys.correlationLabel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.graph.GraphIds;
import io.graphsec.routes.state.TicketCorrelations;
import io.graphsec.routes.ticketing.TicketingSystem.Ticket;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ticket per Graph incident (or lone alert): decides, from the correlation store and the
 * message, whether to open (or adopt, after a crash) a ticket, add a note, resolve, reopen or
 * follow a merge, and does it. Every change to the ticket is followed at once by the store write,
 * so a retry of the same message resumes instead of repeating; what a crash between the two could
 * repeat is the create, which the search by correlation key turns into an adoption.
 */
public final class TicketDelivery {

    public static final String OUTCOME = "graphTicketOutcome";
    private static final Logger LOG = LoggerFactory.getLogger(TicketDelivery.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REDIRECTS = 16;

    private final String systemKey;
    private final TicketingSystem system;
    private final WebhookTickets webhook;
    private final TicketCorrelations store;
    private final TicketTemplates templates;
    private final GraphTenants tenants;

    /** {@code tenants}: whose Graph host and Entra tenant id each message's tenant (graphTenant) has. */
    TicketDelivery(String systemKey, TicketingSystem system, WebhookTickets webhook, TicketCorrelations store,
                   TicketTemplates templates, GraphTenants tenants) {
        this.systemKey = systemKey;
        this.system = system;
        this.webhook = webhook;
        this.store = store;
        this.templates = templates;
        this.tenants = tenants;
    }

    public synchronized void deliver(Exchange exchange) {
        if (system == null && webhook == null) {
            throw new TicketingRejectedException("graph.tickets.system=none: no ticketing system to deliver to");
        }
        TicketMessage msg = TicketMessage.of(exchange.getMessage().getBody(String.class),
                exchange.getMessage().getHeaders(), name -> tenants.require(name, "tenant").settings().tenantId());
        TicketOutcome outcome = webhook != null ? postWebhook(msg) : ticket(msg);
        outcome.inGraph = msg.inGraph();
        exchange.setProperty(OUTCOME, outcome);
    }

    /** After the Graph comment was posted: remember it, so it is posted once per alert per ticket. */
    public synchronized void commented(Exchange exchange) {
        TicketOutcome o = exchange.getProperty(OUTCOME, TicketOutcome.class);
        store.get(o.unit).ifPresent(rec -> {
            rec.withArray("commented").add(o.commentKey);
            store.put(o.unit, rec);
        });
    }

    private TicketOutcome postWebhook(TicketMessage msg) {
        String key = msg.idempotencyKey();
        webhook.post(msg.context(correlationKey(msg, msg.unit()), correlationLabel(msg.unit())), key);
        return new TicketOutcome("webhook " + key + " posted", msg.unit(), null, null, null);
    }

    private TicketOutcome ticket(TicketMessage msg) {
        if (msg.incident() && msg.redirectTo() != null) {
            return redirect(msg);
        }
        String unit = msg.unit();
        Optional<ObjectNode> found = store.get(unit);
        for (int hops = 0; found.isPresent() && found.get().hasNonNull("redirectedTo") && hops < MAX_REDIRECTS; hops++) {
            unit = msg.incidentUnit(found.get().get("redirectedTo").asText());
            found = store.get(unit);
        }
        ObjectNode ctx = msg.context(correlationKey(msg, unit), correlationLabel(unit));
        String summary;
        ObjectNode rec;
        if (found.isEmpty()) {
            Optional<Ticket> existing = system.find(ctx.path("correlationKey").asText(), ctx.path("correlationLabel").asText());
            if (existing.isEmpty() && msg.resolvedNow()) {
                return new TicketOutcome(unit + " is resolved in Graph before any ticket was opened; none opened", unit,
                        null, null, null);
            }
            if (existing.isEmpty()) {
                Ticket t = system.create(ctx);
                ObjectNode opened = record(unit, t);
                msg.alertIds().forEach(a -> opened.with("alerts").put(a, false));
                store.put(unit, opened);
                return withComment(msg, unit, opened, true,
                        "opened " + system.name() + " " + t.number() + " for " + unit);
            }
            // Opened before the store knew (a crash after the create, a lost state directory): carry on with it.
            rec = record(unit, existing.get());
            store.put(unit, rec);
            summary = "adopted " + existing.get().number() + "; " + update(msg, unit, rec, withTicket(ctx, rec));
        } else {
            rec = found.get();
            summary = update(msg, unit, rec, withTicket(ctx, rec));
        }
        return withComment(msg, unit, rec, false, summary);
    }

    private String update(TicketMessage msg, String unit, ObjectNode rec, ObjectNode ctx) {
        Ticket t = ticketOf(rec);
        ObjectNode alerts = rec.with("alerts");
        boolean open = "open".equals(rec.path("state").asText());
        if (!msg.incident()) {
            String id = msg.alertId();
            if (!alerts.has(id)) {
                alerts.put(id, msg.resolvedNow());
                if (open) {
                    return note(unit, rec, t, ctx, "alertAdded");
                }
                return msg.resolvedNow() ? save(unit, rec, "resolved alert " + id + " recorded on resolved " + t.number())
                        : reopen(unit, rec, t, ctx, "alertAdded");
            }
            // Only Graph's own reopen counts: an "updated" may carry a status older than our record.
            if (msg.event().equals("reopened")) {
                alerts.put(id, false);
                return open ? note(unit, rec, t, ctx, "alertReopened") : reopen(unit, rec, t, ctx, "alertReopened");
            }
            if (msg.resolvedNow()) {
                if (alerts.path(id).asBoolean()) {
                    return "alert " + id + " already resolved on " + t.number();
                }
                alerts.put(id, true);
                if (open && allResolved(alerts)) {
                    return resolve(unit, rec, t, ctx, "allAlertsResolved");
                }
                return open ? note(unit, rec, t, ctx, "alertResolved") : save(unit, rec, "alert " + id + " resolved");
            }
        } else {
            msg.alertIds().forEach(a -> {
                if (!alerts.has(a)) {
                    alerts.put(a, false);
                }
            });
            if (msg.resolvedNow()) {
                msg.alertIds().forEach(a -> alerts.put(a, true));
                return open ? resolve(unit, rec, t, ctx, "incidentResolved") : TicketTriage.hasResolvingComment(msg)
                        ? note(unit, rec, t, ctx, "incidentResolved") : save(unit, rec, "incident already resolved");
            }
            if (msg.event().equals("reopened")) {
                return open ? note(unit, rec, t, ctx, "incidentReopened") : reopen(unit, rec, t, ctx, "incidentReopened");
            }
        }
        String triage = TicketTriage.noteKind(msg);
        // A notes template without that section (written before it): the plain event's note.
        return triage != null && !templates.note(triage, ctx).isEmpty() ? note(unit, rec, t, ctx, triage) : switch (msg.event()) {
            case "severityRaised" -> note(unit, rec, t, ctx, "severityRaised");
            case "statusChanged" -> note(unit, rec, t, ctx, "statusChanged");
            // "updated" is also what our own comment on the alert causes: a note for it would be an echo.
            default -> save(unit, rec, msg.event() + ": nothing to add to " + t.number());
        };
    }

    /**
     * An incident merged into another (status redirected): the target's ticket carries on. If the
     * target has none yet, this ticket becomes the target's; otherwise this one is resolved with a
     * note naming the target's ticket.
     */
    private TicketOutcome redirect(TicketMessage msg) {
        String unit = msg.unit();
        String targetUnit = msg.incidentUnit(msg.redirectTo());
        Optional<ObjectNode> found = store.get(unit);
        if (found.isPresent() && found.get().hasNonNull("redirectedTo")) {
            return new TicketOutcome(unit + " already follows " + found.get().get("redirectedTo").asText(), unit, null, null, null);
        }
        ObjectNode ctx = msg.context(correlationKey(msg, unit), correlationLabel(unit));
        if (found.isEmpty()) {
            Optional<Ticket> existing = system.find(ctx.path("correlationKey").asText(), ctx.path("correlationLabel").asText());
            if (existing.isEmpty()) {
                store.put(unit, JSON.createObjectNode().put("unit", unit).put("redirectedTo", msg.redirectTo()));
                return new TicketOutcome(unit + " merged into " + targetUnit + " before any ticket; none opened", unit,
                        null, null, null);
            }
            found = Optional.of(record(unit, existing.get()));
        }
        ObjectNode rec = found.get();
        withTicket(ctx, rec);
        Ticket t = ticketOf(rec);
        Optional<ObjectNode> target = store.get(targetUnit).filter(r -> r.hasNonNull("ticketId"));
        String summary;
        if (target.isPresent()) {
            ObjectNode tr = target.get();
            ctx.putObject("target").put("system", system.name()).put("id", tr.path("ticketId").asText())
                    .put("number", tr.path("number").asText()).put("url", tr.path("url").asText())
                    .put("incidentId", msg.redirectTo());
            tr.with("alerts").setAll(rec.with("alerts"));
            store.put(targetUnit, tr);
            ctx.put("note", noteText(ctx, "mergedInto"));
            if ("open".equals(rec.path("state").asText())) {
                system.resolve(t, ctx);
            } else {
                system.note(t, ctx);
            }
            summary = "resolved " + t.number() + ": " + unit + " merged into " + targetUnit + " (" + tr.path("number").asText() + ")";
            rec.put("state", "merged");
        } else {
            ctx.putObject("target").put("incidentId", msg.redirectTo());
            ctx.put("note", noteText(ctx, "redirected"));
            system.note(t, ctx);
            ObjectNode moved = rec.deepCopy();
            moved.put("unit", targetUnit);
            moved.withArray("mergedFrom").add(msg.incidentId());
            store.put(targetUnit, moved);
            summary = t.number() + " now follows " + targetUnit + " (" + unit + " merged into it)";
        }
        rec.put("redirectedTo", msg.redirectTo());
        store.put(unit, rec);
        return new TicketOutcome(summary, unit, null, null, null);
    }

    private String note(String unit, ObjectNode rec, Ticket t, ObjectNode ctx, String kind) {
        ctx.put("note", noteText(ctx, kind));
        system.note(t, ctx);
        return save(unit, rec, "noted " + kind + " on " + t.number());
    }

    private String resolve(String unit, ObjectNode rec, Ticket t, ObjectNode ctx, String kind) {
        ctx.put("note", noteText(ctx, kind));
        system.resolve(t, ctx);
        rec.put("state", "resolved");
        return save(unit, rec, "resolved " + t.number() + " (" + kind + ")");
    }

    private String reopen(String unit, ObjectNode rec, Ticket t, ObjectNode ctx, String kind) {
        ctx.put("note", noteText(ctx, kind));
        if (system.reopen(t, ctx)) {
            rec.put("state", "open");
            return save(unit, rec, "reopened " + t.number() + " (" + kind + ")");
        }
        system.note(t, ctx);
        return save(unit, rec, "noted " + kind + " on resolved " + t.number() + " (graph.tickets.reopen is off)");
    }

    private String save(String unit, ObjectNode rec, String summary) {
        store.put(unit, rec);
        return summary;
    }

    private String noteText(ObjectNode ctx, String kind) {
        String text = templates.note(kind, ctx);
        if (text.isEmpty()) {
            throw new TicketingRejectedException(TicketTemplates.NOTES + " writes nothing for {{#kind." + kind + "}}");
        }
        return text;
    }

    /** Alerts get the comment once per ticket; an incident only from the message that opened its ticket. */
    private TicketOutcome withComment(TicketMessage msg, String unit, ObjectNode rec, boolean opened, String summary) {
        String key = msg.incident() ? "incident:" + msg.incidentId() : msg.alertId();
        boolean done = false;
        for (JsonNode c : rec.withArray("commented")) {
            done |= c.asText().equals(key);
        }
        if (done || !msg.inGraph() || msg.incident() && !opened || "merged".equals(rec.path("state").asText())) {
            return new TicketOutcome(summary, unit, null, null, null);
        }
        ObjectNode ctx = withTicket(msg.context(correlationKey(msg, unit), correlationLabel(unit)), rec);
        String text = templates.text(TicketTemplates.GRAPH_COMMENT, ctx);
        if (text.isEmpty()) {
            // An emptied comment template: no comment on Graph.
            return new TicketOutcome(summary, unit, null, null, null);
        }
        // The comment goes to the Graph host of the alert's own tenant (its cloud), with its token (the route).
        String graphBaseUrl = tenants.require(msg.deploymentTenant(), "tenant").settings().graphBaseUrl();
        String url = graphBaseUrl + "/v1.0/security/" + (msg.incident()
                ? "incidents/" + GraphIds.pathSegment("incident id", msg.incidentId())
                : "alerts_v2/" + GraphIds.pathSegment("alert id", msg.alertId())) + "/comments";
        String body = JSON.createObjectNode().put("@odata.type", "microsoft.graph.security.alertComment")
                .put("comment", text).toString();
        return new TicketOutcome(summary, unit, key, url, body);
    }

    private ObjectNode record(String unit, Ticket t) {
        ObjectNode rec = JSON.createObjectNode().put("unit", unit).put("system", systemKey).put("ticketId", t.id())
                .put("number", t.number()).put("url", t.url()).put("state", t.resolved() ? "resolved" : "open");
        rec.putObject("alerts");
        rec.putArray("commented");
        return rec;
    }

    private ObjectNode withTicket(ObjectNode ctx, ObjectNode rec) {
        ctx.putObject("ticket").put("system", system.name()).put("id", rec.path("ticketId").asText())
                .put("number", rec.path("number").asText()).put("url", rec.path("url").asText());
        return ctx;
    }

    private static Ticket ticketOf(ObjectNode rec) {
        return new Ticket(rec.path("ticketId").asText(), rec.path("number").asText(), rec.path("url").asText(),
                !"open".equals(rec.path("state").asText()));
    }

    private static boolean allResolved(ObjectNode alerts) {
        for (Iterator<Map.Entry<String, JsonNode>> it = alerts.fields(); it.hasNext(); ) {
            if (!it.next().getValue().asBoolean()) {
                return false;
            }
        }
        return true;
    }
}
