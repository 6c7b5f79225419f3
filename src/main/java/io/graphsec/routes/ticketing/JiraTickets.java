package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;

/**
 * Jira REST v2: an issue per ticket (jira-create.json.mustache), comments (jira-comment), and
 * workflow transitions looked up by name (graph.tickets.jira.resolve-transition, -reopen-transition).
 */
final class JiraTickets implements TicketingSystem {

    private final TicketingCall http;
    private final TicketTemplates templates;
    private final String resolveTransition;
    private final String reopenTransition;

    /** {@code reopenTransition} empty: a comment instead of a reopen. */
    JiraTickets(TicketingCall http, TicketTemplates templates, String resolveTransition, String reopenTransition) {
        if (resolveTransition.isBlank()) {
            throw new IllegalStateException("graph.tickets.jira.resolve-transition is empty; name the transition that"
                    + " resolves an issue (Done)");
        }
        this.http = http;
        this.templates = templates;
        this.resolveTransition = resolveTransition.trim();
        this.reopenTransition = reopenTransition.trim();
    }

    @Override
    public String name() {
        return "Jira";
    }

    @Override
    public Optional<Ticket> find(String correlationKey, String correlationLabel) {
        // A quote or backslash would end the JQL string and add conditions of its own.
        if (!correlationLabel.matches("[A-Za-z0-9_.=-]{1,255}")) {
            throw new TicketingRejectedException("correlation label " + io.graphsec.routes.graph.GraphIds.quote(correlationLabel)
                    + " holds a character JQL could read as syntax; not searched");
        }
        String jql = TicketingCall.encode("labels = \"" + correlationLabel + "\"").replace("%20", "+");
        JsonNode res = http.send("GET", "/rest/api/2/search", "jql=" + jql + "&fields=status&maxResults=1", null,
                Map.of(), "search for label " + correlationLabel);
        JsonNode issue = res.path("issues").path(0);
        if (!issue.isObject()) {
            return Optional.empty();
        }
        boolean done = "done".equals(issue.path("fields").path("status").path("statusCategory").path("key").asText());
        return Optional.of(ticket(issue.path("key").asText(), done));
    }

    @Override
    public Ticket create(JsonNode context) {
        JsonNode rendered = templates.body("jira-create.json.mustache", context);
        if (!(rendered instanceof ObjectNode body) || !body.path("fields").isObject()) {
            throw new TicketingRejectedException("template jira-create.json.mustache did not render an object with fields");
        }
        // The duplicate search after a crash depends on the label, whatever the template says.
        ObjectNode fields = (ObjectNode) body.get("fields");
        boolean labelled = false;
        for (JsonNode l : fields.withArray("labels")) {
            labelled |= l.asText().equals(context.path("correlationLabel").asText());
        }
        if (!labelled) {
            fields.withArray("labels").add(context.path("correlationLabel").asText());
        }
        JsonNode res = http.send("POST", "/rest/api/2/issue", null, body, Map.of(), "create");
        if (!res.path("key").isTextual()) {
            throw new TicketingRejectedException("Jira create answered without an issue key: "
                    + TicketScope.oneLine(res.toString(), 300));
        }
        return ticket(res.path("key").asText(), false);
    }

    @Override
    public void note(Ticket ticket, JsonNode context) {
        JsonNode body = templates.body("jira-comment.json.mustache", context);
        http.send("POST", issuePath(ticket) + "/comment", null, body, Map.of(), "comment on " + ticket.number());
    }

    @Override
    public void resolve(Ticket ticket, JsonNode context) {
        transition(ticket, "resolve", resolveTransition, context);
    }

    @Override
    public boolean reopen(Ticket ticket, JsonNode context) {
        if (reopenTransition.isEmpty()) {
            return false;
        }
        transition(ticket, "reopen", reopenTransition, context);
        return true;
    }

    /**
     * Comments the note, then moves the issue: Jira's transition screens often reject a comment field.
     * {@code name}: the transition's id (digits), or its name or target status, looked up.
     */
    private void transition(Ticket ticket, String step, String name, JsonNode context) {
        note(ticket, context);
        if (name.matches("\\d{1,10}")) {
            move(ticket, step, name);
            return;
        }
        JsonNode all = http.send("GET", issuePath(ticket) + "/transitions", null, null, Map.of(),
                "list transitions of " + ticket.number());
        String id = "";
        for (JsonNode t : all.path("transitions")) {
            if (name.equalsIgnoreCase(t.path("name").asText()) || name.equalsIgnoreCase(t.path("to").path("name").asText())) {
                id = t.path("id").asText();
            }
        }
        if (id.isEmpty()) {
            throw new TicketingRejectedException("Jira offers no transition named '" + name + "' for " + ticket.number()
                    + " (graph.tickets.jira." + step + "-transition)");
        }
        move(ticket, step, id);
    }

    private void move(Ticket ticket, String step, String id) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("transition").put("id", id);
        http.send("POST", issuePath(ticket) + "/transitions", null, body, Map.of(), step + " " + ticket.number());
    }

    private static String issuePath(Ticket ticket) {
        return "/rest/api/2/issue/" + TicketingCall.encode(ticket.id());
    }

    private Ticket ticket(String key, boolean done) {
        return new Ticket(key, key, http.baseUrl() + "/browse/" + key, done);
    }
}
