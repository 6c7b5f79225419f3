package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Jira REST v2: an issue per ticket, comments, and workflow transitions by id or by name. */
final class JiraTickets implements TicketingSystem {

    private final TicketingHttp http;
    private final JsonNode mapping;

    JiraTickets(TicketingHttp http, JsonNode mapping) {
        this.http = http;
        this.mapping = mapping;
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
        String jql = URLEncoder.encode("labels = \"" + correlationLabel + "\"", StandardCharsets.UTF_8);
        JsonNode res = http.send("GET", "/rest/api/2/search?jql=" + jql + "&fields=status&maxResults=1", null,
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
        ObjectNode body = (ObjectNode) TicketTemplate.render(mapping.path("create"), context, "jira.create");
        // The duplicate search after a crash depends on the label, whatever the mapping says.
        ObjectNode fields = body.with("fields");
        boolean labelled = false;
        for (JsonNode l : fields.withArray("labels")) {
            labelled |= l.asText().equals(context.path("correlationLabel").asText());
        }
        if (!labelled) {
            fields.withArray("labels").add(context.path("correlationLabel").asText());
        }
        JsonNode res = http.send("POST", "/rest/api/2/issue", body, Map.of(), "create");
        if (!res.path("key").isTextual()) {
            throw new TicketingRejectedException("Jira create answered without an issue key: "
                    + TicketTemplate.shorten(res.toString(), 300));
        }
        return ticket(res.path("key").asText(), false);
    }

    @Override
    public void note(Ticket ticket, JsonNode context) {
        JsonNode body = TicketTemplate.render(mapping.path("comment"), context, "jira.comment");
        http.send("POST", "/rest/api/2/issue/" + ticket.id() + "/comment", body, Map.of(), "comment on " + ticket.number());
    }

    @Override
    public void resolve(Ticket ticket, JsonNode context) {
        transition(ticket, "resolve", context);
    }

    @Override
    public boolean reopen(Ticket ticket, JsonNode context) {
        if (!mapping.path("reopen").path("transition").isObject()) {
            return false;
        }
        transition(ticket, "reopen", context);
        return true;
    }

    /** Comments the note, then moves the issue: Jira's transition screens often reject a comment field. */
    private void transition(Ticket ticket, String step, JsonNode context) {
        note(ticket, context);
        JsonNode wanted = mapping.path(step).path("transition");
        String id = wanted.path("id").asText("");
        if (id.isEmpty()) {
            String name = wanted.path("name").asText("");
            if (name.isEmpty()) {
                throw new TicketingRejectedException("ticket mapping jira." + step + ".transition needs an id or a name");
            }
            JsonNode all = http.send("GET", "/rest/api/2/issue/" + ticket.id() + "/transitions", null, Map.of(),
                    "list transitions of " + ticket.number());
            for (JsonNode t : all.path("transitions")) {
                if (name.equalsIgnoreCase(t.path("name").asText()) || name.equalsIgnoreCase(t.path("to").path("name").asText())) {
                    id = t.path("id").asText();
                }
            }
            if (id.isEmpty()) {
                throw new TicketingRejectedException("Jira offers no transition named '" + name + "' for " + ticket.number()
                        + " (jira." + step + ".transition.name in the ticket mapping)");
            }
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("transition").put("id", id);
        http.send("POST", "/rest/api/2/issue/" + ticket.id() + "/transitions", body, Map.of(),
                step + " " + ticket.number());
    }

    private Ticket ticket(String key, boolean done) {
        return new Ticket(key, key, http.baseUrl() + "/browse/" + key, done);
    }
}
