package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.config.ConfigFiles;
import io.graphsec.routes.config.ConfigurationException;
import io.graphsec.routes.templates.CompiledTemplate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ticket templates of one system, from the folder graph.tickets.templates names (the
 * configuration folder's files replacing the jar's, file by file): request bodies
 * ({@code <system>-<step>.json.mustache}), the notes ({@code ticket-notes.txt.mustache}, a section
 * per kind) and the Graph comment ({@code ticket-graph-comment.txt.mustache}). Compiled at start, so
 * a broken or missing template stops the start naming it instead of failing the first alert.
 */
final class TicketTemplates {

    static final String KEY = "graph.tickets.templates";
    static final String NOTES = "ticket-notes.txt.mustache";
    static final String GRAPH_COMMENT = "ticket-graph-comment.txt.mustache";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, CompiledTemplate> templates;

    TicketTemplates(Map<String, CompiledTemplate> templates) {
        this.templates = templates;
    }

    /** The templates {@code system} needs, read through {@code files} and compiled. */
    static TicketTemplates load(ConfigFiles files, String folder, String system) {
        return of(folder, files.readAll(KEY, ".mustache"), system);
    }

    /** {@code found}: the template files by name, as {@link ConfigFiles#readAll} gives them. */
    static TicketTemplates of(String folder, Map<String, ConfigFiles.ConfigFile> found, String system) {
        List<String> needed = new ArrayList<>(switch (system) {
            case "servicenow" -> List.of("servicenow-create.json.mustache", "servicenow-note.json.mustache",
                    "servicenow-resolve.json.mustache", "servicenow-reopen.json.mustache", NOTES, GRAPH_COMMENT);
            case "jira" -> List.of("jira-create.json.mustache", "jira-comment.json.mustache", NOTES, GRAPH_COMMENT);
            default -> List.of("webhook-body.json.mustache");
        });
        List<String> missing = needed.stream().filter(n -> !found.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new ConfigurationException(KEY + "=" + folder + ": " + String.join(", ", missing) + " found neither in"
                    + " the configuration folder nor in the jar; copy the jar's graph-security/routes/templates there, or set "
                    + KEY + " to a folder that has them");
        }
        Map<String, CompiledTemplate> compiled = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String name : needed) {
            ConfigFiles.ConfigFile file = found.get(name);
            try {
                CompiledTemplate t = CompiledTemplate.compile(file.location(), file.text());
                // A typo ({{alrt.title}}) would render as nothing in every ticket: refused now instead.
                t.names().stream().filter(n -> !TicketScope.ROOTS.contains(n.split("\\.", 2)[0])).distinct()
                        .forEach(n -> problems.add("template " + file.location() + ": {{" + n + "}} is not a value"
                                + " tickets have (docs/ticketing.md, \"Templates\"; a name starts with one of "
                                + String.join(", ", new java.util.TreeSet<>(TicketScope.ROOTS)) + ")"));
                compiled.put(name, t);
            } catch (IllegalStateException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(KEY + ": " + String.join("; ", problems));
        }
        return new TicketTemplates(compiled);
    }

    /** A request body, rendered and parsed; the template failing is the message's problem, not a retry's. */
    JsonNode body(String name, JsonNode ctx) {
        String text = text(name, ctx);
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new TicketingRejectedException("template " + name + " did not render JSON");
        }
    }

    /** A text template rendered, trimmed; empty when it writes nothing for this scope. */
    String text(String name, JsonNode ctx) {
        CompiledTemplate t = templates.get(name);
        if (t == null) {
            throw new TicketingRejectedException("no ticket template " + name);
        }
        try {
            return t.render(TicketScope.of(ctx)).strip();
        } catch (IllegalStateException e) {
            throw new TicketingRejectedException(e.getMessage());
        }
    }

    /** The note of {@code kind}: the section of that name in the notes template; empty when it has none. */
    String note(String kind, JsonNode ctx) {
        com.fasterxml.jackson.databind.node.ObjectNode withKind = ctx.deepCopy();
        withKind.putObject("kind").put(kind, true);
        return text(NOTES, withKind);
    }
}
