package io.graphsec.routes.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.state.TicketCorrelations;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Admits a ticket's verdict only for the alert or incident that ticket was opened for: the ticket
 * the call names (ServiceNow sys_id and/or number, Jira key) must be the one the correlation store
 * holds for the entity, and the tenant is the one whose record that is, whatever the ticket's
 * editable fields say. Otherwise anyone who can edit a ticket's Graph id or correlation field
 * could close any alert of any tenant. Sites whose tickets another integration opens turn the
 * check off (graph.webhook.verify-ticket-owner=false) and trust the payload as before.
 */
public final class TicketOwnership {

    private final ObjectMapper mapper = new ObjectMapper();
    private final TicketCorrelations store;
    private final java.util.function.Supplier<? extends List<String>> tenants;
    private final boolean verify;

    /** {@code tenants}: the deployment's tenant names, {@link GraphTenants#DEFAULT} among them. */
    public TicketOwnership(TicketCorrelations store, List<String> tenants, boolean verify) {
        this(store, () -> tenants, verify);
    }

    /** {@code tenants}: as they are when a ticket's feedback arrives (tenants are added while the app runs). */
    public TicketOwnership(TicketCorrelations store, java.util.function.Supplier<? extends List<String>> tenants,
                           boolean verify) {
        this.store = store;
        this.tenants = tenants;
        this.verify = verify;
    }

    public boolean verifies() {
        return verify;
    }

    /** The mapped feedback (with its {@code ticket} part) in, the feedback to queue out. */
    public String admit(String mapped) throws JsonProcessingException {
        ObjectNode feedback = (ObjectNode) mapper.readTree(mapped);
        JsonNode ticket = feedback.remove("ticket");
        if (!verify) {
            return feedback.toString();
        }
        String system = ticket == null ? "" : ticket.path("system").asText("");
        String id = ticket == null ? null : ticket.path("id").asText(null);
        String number = ticket == null ? null : ticket.path("number").asText(null);
        boolean incident = feedback.has("incidentId");
        String entity = incident ? "incident:" + feedback.get("incidentId").asText() : "alert:" + feedback.path("alertId").asText();
        String named = describe(system, id, number);
        if (id == null && number == null) {
            throw refused(feedback, named, entity, "names no ticket (the mapping's ticket.id / ticket.number fields)");
        }
        List<String> owners = new ArrayList<>();
        for (String tenant : tenants.get()) {
            Optional<ObjectNode> record = store.get((tenant.equals(GraphTenants.DEFAULT) ? "" : tenant + ":") + entity);
            if (record.isPresent() && system.equals(record.get().path("system").asText())
                    && (id == null || id.equals(record.get().path("ticketId").asText(null)))
                    && (number == null || number.equals(record.get().path("number").asText(null)))) {
                owners.add(tenant);
            }
        }
        if (owners.size() != 1) {
            throw refused(feedback, named, entity, owners.isEmpty()
                    ? "is not the ticket this app opened for it (graph.webhook.verify-ticket-owner)"
                    : "is recorded for it in several tenants " + owners + "; refusing to choose");
        }
        if (owners.get(0).equals(GraphTenants.DEFAULT)) {
            feedback.remove("tenant");
        } else {
            feedback.put("tenant", owners.get(0));
        }
        return feedback.toString();
    }

    private static TicketNotOwnedException refused(ObjectNode feedback, String ticket, String entity, String why) {
        return new TicketNotOwnedException(ticket + " " + why + ": " + printable(entity),
                feedback.path("requestedBy").asText("unknown"), ticket, printable(entity));
    }

    private static String describe(String system, String id, String number) {
        return printable(system.isEmpty() ? "ticket" : system) + " ticket "
                + (id == null ? "" : "'" + printable(id) + "'") + (id != null && number != null ? " " : "")
                + (number == null ? "" : "'" + printable(number) + "'");
    }

    /** Ticket fields are text from outside: a log line shows them escaped and short. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(120).forEach(c -> {
            if (c < 0x20 || c == 0x7f || Character.getType(c) == Character.FORMAT || c == '\'' || c == '\\') {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return s.codePointCount(0, s.length()) > 120 ? b + "..." : b.toString();
    }
}
