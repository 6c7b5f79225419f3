package io.graphsec.routes.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import io.graphsec.routes.config.ConfigurationException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Maps a ticketing system's "ticket changed" payload to a feedback message, driven by the mapping
 * file (routes/ticket-feedback-mapping.yaml) so that field names, states and close codes of a
 * particular ServiceNow or Jira instance are edited there, not in Java.
 */
public final class TicketFeedbackMapper {

    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonNode mapping;
    private final java.util.function.Supplier<? extends Collection<String>> tenants;

    /**
     * {@code tenants}: the names of the deployment's tenants other than the default one, which
     * their tickets' correlation (ServiceNow's correlation_id, a Jira label) carries.
     */
    public TicketFeedbackMapper(Path mappingFile, Collection<String> tenants) {
        this(mappingFile.toString(), read(mappingFile), tenants);
    }

    /** {@code location}: where the mapping's {@code text} was read from, for the messages. */
    public TicketFeedbackMapper(String location, String text, Collection<String> tenants) {
        this(location, text, () -> tenants);
    }

    /** {@code tenants}: as they are when a ticket's feedback arrives (tenants are added while the app runs). */
    public TicketFeedbackMapper(String location, String text, java.util.function.Supplier<? extends Collection<String>> tenants) {
        this.tenants = tenants;
        try {
            Object yaml = new Load(LoadSettings.builder().build()).loadFromString(text);
            this.mapping = mapper.valueToTree(yaml);
        } catch (RuntimeException e) {
            throw new ConfigurationException("graph.webhook.mapping-file=" + location + " cannot be read as YAML: "
                    + e.getMessage(), e);
        }
    }

    private static String read(Path mappingFile) {
        try {
            return Files.readString(mappingFile);
        } catch (IOException e) {
            throw new ConfigurationException("graph.webhook.mapping-file=" + mappingFile + " cannot be read: " + e.getMessage(), e);
        }
    }

    public String fromServiceNow(String body) {
        return map("servicenow", body);
    }

    public String fromJira(String body) {
        return map("jira", body);
    }

    /** The JSON a webhook caller gets back with a 400: the reason, safely encoded. */
    public String errorBody(org.apache.camel.Exchange exchange) {
        Throwable cause = exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return mapper.createObjectNode().put("error", cause == null ? "invalid request" : cause.getMessage()).toString();
    }

    String map(String system, String body) {
        JsonNode rules = mapping.path(system);
        if (!rules.isObject()) {
            throw new IllegalStateException("the webhook mapping file has no '" + system + "' section");
        }
        JsonNode ticket;
        try {
            ticket = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidFeedbackException(system + " webhook body is not valid JSON: " + e.getOriginalMessage());
        }
        ObjectNode feedback = mapper.createObjectNode();
        rules.path("fields").fields().forEachRemaining(e -> {
            String value = text(ticket, e.getValue().asText());
            if (value != null && !value.isBlank()) {
                feedback.put(e.getKey(), value);
            }
        });
        mapValue(rules.path("status"), ticket).ifPresent(v -> feedback.put("status",
                feedback.has("incidentId") && v.equals("new") ? "active" : v));
        JsonNode closeCode = rules.path("closeCodes");
        String code = text(ticket, closeCode.path("field").asText(""));
        if (code != null && closeCode.path("values").has(code)) {
            closeCode.path("values").get(code).fields().forEachRemaining(e -> feedback.put(e.getKey(), e.getValue().asText()));
        }
        if (!feedback.has("tenant")) {
            tenantOf(at(ticket, rules.path("correlation").asText(""))).ifPresent(t -> feedback.put("tenant", t));
        }
        // Which ticket speaks: TicketOwnership checks it against the one opened for the entity.
        ObjectNode named = feedback.putObject("ticket").put("system", system);
        rules.path("ticket").fields().forEachRemaining(e -> {
            String value = text(ticket, e.getValue().asText());
            if (value != null && !value.isBlank()) {
                named.put(e.getKey(), value);
            }
        });
        String who = text(ticket, rules.path("requestedBy").asText(""));
        feedback.put("requestedBy", system + ":" + (who == null ? "webhook" : who));
        if (feedback.has("alertId") && feedback.has("incidentId")) {
            // One ticket per incident: its verdict is the incident's, not only its first alert's.
            feedback.remove("alertId");
        }
        if (!feedback.has("alertId") && !feedback.has("incidentId")) {
            throw new InvalidFeedbackException(system + " webhook payload names no Graph alert or incident (mapped from "
                    + rules.path("fields").path("alertId").asText("?") + " / "
                    + rules.path("fields").path("incidentId").asText("?") + ")");
        }
        return feedback.toString();
    }

    private static Optional<String> mapValue(JsonNode rule, JsonNode ticket) {
        String v = text(ticket, rule.path("field").asText(""));
        JsonNode mapped = v == null ? null : rule.path("values").get(v);
        return Optional.ofNullable(mapped).map(JsonNode::asText);
    }

    /**
     * The tenant of the deployment a ticket was opened for, read from its correlation as the ticket
     * delivery wrote it: graph:{tenantId}:{name}:... (ServiceNow) or the label graph-{name}-incident-...
     * / graph-{name}-alert-... (Jira). None found: the default tenant.
     */
    private Optional<String> tenantOf(JsonNode correlation) {
        List<String> values = new ArrayList<>();
        if (correlation.isArray()) {
            correlation.forEach(v -> values.add(v.asText()));
        } else if (correlation.isValueNode()) {
            values.add(correlation.asText());
        }
        for (String name : tenants.get()) {
            for (String v : values) {
                if (v.matches("graph:[^:]*:" + Pattern.quote(name) + ":.+")
                        || v.startsWith("graph-" + name + "-incident-") || v.startsWith("graph-" + name + "-alert-")) {
                    return Optional.of(name);
                }
            }
        }
        return Optional.empty();
    }

    /** A dotted path into the payload (issue.fields.status.name); numbers and booleans as text. */
    private static String text(JsonNode node, String path) {
        JsonNode n = at(node, path);
        return n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    private static JsonNode at(JsonNode node, String path) {
        if (path.isEmpty()) {
            return MissingNode.getInstance();
        }
        JsonNode n = node;
        for (String part : path.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

}
