package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The incidents of one simulated tenant, kept the way Defender keeps them: an alert's incidentId
 * names an incident that exists as soon as its first alert does, carries the highest severity of
 * its alerts and is stamped whenever one of them is added or changes. Tests and the demo also
 * drive the lifecycle Graph offers no endpoint for here: resolving an incident with its alerts,
 * merging one incident into another.
 */
public final class IncidentBook {

    private static final String PORTAL = "https://security.microsoft.com";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String tenant;
    private final EntityStore alerts;
    private final EntityStore incidents;
    // Both maps change only under the alerts store's write lock, so they agree with it for anyone holding its read lock.
    private final Map<String, String> incidentOfAlert = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> alertsOfIncident = new ConcurrentHashMap<>();

    IncidentBook(String tenant, EntityStore alerts, EntityStore incidents) {
        this.tenant = tenant;
        this.alerts = alerts;
        this.incidents = incidents;
        alerts.groupInto(this);
    }

    /** The incident as stored now, if it exists. */
    public Optional<ObjectNode> incident(String incidentId) {
        return incidents.get(incidentId);
    }

    /** Copies of the incident's alerts, newest created first; empty for an unknown or alert-less incident. */
    public List<ObjectNode> alertsOf(String incidentId) {
        return alerts.read(() -> {
            List<ObjectNode> out = new ArrayList<>();
            for (String id : alertsOfIncident.getOrDefault(incidentId, Set.of())) {
                alerts.get(id).ifPresent(out::add);
            }
            out.sort(EntityStore.NEWEST_FIRST);
            return out;
        });
    }

    /**
     * Resolves the incident and every alert of it not yet resolved, as the portal's "Resolve incident"
     * does: each changed alert and the incident get a fresh lastUpdateDateTime, the incident's last.
     */
    public ObjectNode resolve(String incidentId) {
        return resolve(incidentId, null);
    }

    /** The same, with the resolving comment the analyst (or Microsoft's experts) wrote; null: none. */
    public ObjectNode resolve(String incidentId, String resolvingComment) {
        existing(incidentId);
        resolveAlerts(incidentId);
        return incidents.update(incidentId, e -> e.put("status", "resolved").put("resolvingComment", resolvingComment))
                .orElseThrow();
    }

    /**
     * Microsoft ranks the incident: its priorityScore (0-100; null while Defender computes it) and
     * summary change, and it is stamped. Incidents start without a score, as a new one does.
     */
    public ObjectNode rank(String incidentId, Integer priorityScore, String summary) {
        existing(incidentId);
        return incidents.update(incidentId, e -> e.put("priorityScore", priorityScore).put("summary", summary)).orElseThrow();
    }

    /** Adds a system tag to the incident (e.g. "Defender Experts", when Microsoft's experts take it on). */
    public ObjectNode tag(String incidentId, String systemTag) {
        existing(incidentId);
        return incidents.update(incidentId, e -> e.withArray("systemTags").add(systemTag)).orElseThrow();
    }

    /**
     * Defender Experts ask the customer to act: the incident becomes awaitingAction (a member Graph
     * sends only with Prefer: include-unknown-enum-members) with their request as its latest comment.
     */
    public ObjectNode awaitAction(String incidentId, String request) {
        existing(incidentId);
        return incidents.update(incidentId, e -> {
            e.put("status", "awaitingAction");
            e.withArray("comments").addObject().put("comment", request)
                    .put("createdByDisplayName", "Microsoft Defender Experts")
                    .put("createdDateTime", GraphTime.format(Instant.now()));
        }).orElseThrow();
    }

    /**
     * Merges {@code fromId} into {@code intoId}: its alerts move (their incidentId and incidentWebUrl
     * change and they are stamped), and it becomes {@code redirected} with redirectIncidentId = intoId.
     */
    public ObjectNode merge(String fromId, String intoId) {
        if (Objects.equals(fromId, intoId)) {
            throw new IllegalArgumentException("cannot merge incident '" + fromId + "' into itself");
        }
        existing(fromId);
        ObjectNode into = existing(intoId);
        if ("redirected".equals(into.path("status").asText())) {
            throw new IllegalArgumentException("incident '" + intoId + "' was itself merged away; merge into "
                    + into.path("redirectIncidentId").asText() + " instead");
        }
        for (String alertId : List.copyOf(alertsOfIncident.getOrDefault(fromId, Set.of()))) {
            alerts.update(alertId, a -> a.put("incidentId", intoId).put("incidentWebUrl", webUrl(intoId)));
        }
        return incidents.update(fromId, e -> e.put("status", "redirected").put("redirectIncidentId", intoId)).orElseThrow();
    }

    /** Resolves the incident's unresolved alerts (an incident PATCHed to resolved takes them along). */
    void resolveAlerts(String incidentId) {
        for (String alertId : List.copyOf(alertsOfIncident.getOrDefault(incidentId, Set.of()))) {
            boolean open = Boolean.TRUE.equals(alerts.peek(alertId,
                    a -> a != null && !"resolved".equals(a.path("status").asText())));
            if (open) {
                alerts.update(alertId, a -> a.put("status", "resolved")
                        .put("resolvedDateTime", GraphTime.format(Instant.now())));
            }
        }
    }

    /** Called by the alerts store, under its write lock, with an alert as it is now stored. */
    void alertStored(ObjectNode alert) {
        String alertId = alert.path("id").asText();
        JsonNode ref = alert.path("incidentId");
        String incidentId = (ref.isTextual() || ref.isNumber()) && !ref.asText().isEmpty() ? ref.asText() : null;
        String before = incidentId == null ? incidentOfAlert.remove(alertId) : incidentOfAlert.put(alertId, incidentId);
        if (before != null && !before.equals(incidentId)) {
            Set<String> left = alertsOfIncident.get(before);
            if (left != null) {
                left.remove(alertId);
            }
        }
        if (incidentId == null) {
            return;
        }
        boolean joined = alertsOfIncident.computeIfAbsent(incidentId, k -> ConcurrentHashMap.newKeySet()).add(alertId);
        incidents.compute(incidentId, current -> {
            ObjectNode incident = current != null ? current : newIncident(incidentId, alert);
            if (rank(alert.path("severity").asText()) > rank(incident.path("severity").asText())) {
                incident.put("severity", alert.path("severity").asText());
            }
            if (GraphTime.later(alert.path("lastUpdateDateTime").asText(""), incident.path("lastUpdateDateTime").asText(""))) {
                incident.put("lastUpdateDateTime", alert.path("lastUpdateDateTime").asText());
            }
            if (joined && current != null) {
                joinedBy(incident, alert, incidentId);
            }
            return incident;
        });
    }

    private void joinedBy(ObjectNode incident, ObjectNode alert, String incidentId) {
        // Defender reopens a resolved incident when a new, unresolved alert is correlated into it.
        if ("resolved".equals(incident.path("status").asText()) && !"resolved".equals(alert.path("status").asText())) {
            incident.put("status", "active");
        }
        ArrayNode tags = incident.withArray("systemTags");
        alert.path("systemTags").forEach(t -> {
            if (!contains(tags, t.asText())) {
                tags.add(t.asText());
            }
        });
        Set<String> categories = new LinkedHashSet<>();
        List<String> members = new ArrayList<>(alertsOfIncident.getOrDefault(incidentId, Set.of()));
        for (String id : members.subList(0, Math.min(members.size(), 10))) {
            String category = id.equals(alert.path("id").asText()) ? alert.path("category").asText()
                    : alerts.peek(id, a -> a == null ? "" : a.path("category").asText());
            if (!category.isEmpty()) {
                categories.add(humanized(category));
            }
        }
        if (members.size() > 1 && !categories.isEmpty()) {
            incident.put("displayName", "Multi-stage incident involving " + String.join(" & ", categories));
        }
    }

    private ObjectNode newIncident(String id, ObjectNode alert) {
        String created = alert.path("createdDateTime").asText(GraphTime.format(Instant.now()));
        ObjectNode i = JSON.objectNode();
        i.put("@odata.type", "#microsoft.graph.security.incident");
        i.put("id", id);
        i.put("incidentWebUrl", webUrl(id));
        i.putNull("redirectIncidentId");
        i.put("displayName", alert.path("title").asText("Incident " + id));
        i.put("tenantId", tenant);
        i.put("createdDateTime", created);
        i.put("lastUpdateDateTime", alert.path("lastUpdateDateTime").asText(created));
        i.putNull("assignedTo");
        i.put("classification", "unknown");
        i.put("determination", "unknown");
        i.put("status", "active");
        i.put("severity", alert.path("severity").asText("unknown"));
        i.putArray("customTags");
        ArrayNode systemTags = i.putArray("systemTags");
        alert.path("systemTags").forEach(t -> systemTags.add(t.asText()));
        i.putNull("description");
        i.putNull("summary");
        // Defender computes the score a while after the incident forms: null until then (rank).
        i.putNull("priorityScore");
        i.putNull("lastModifiedBy");
        i.putNull("resolvingComment");
        i.putArray("comments");
        return i;
    }

    private String webUrl(String incidentId) {
        return PORTAL + "/incidents/" + incidentId + "?tid=" + tenant;
    }

    private ObjectNode existing(String incidentId) {
        return incidents.get(incidentId).orElseThrow(() -> new IllegalArgumentException(
                "no incident '" + incidentId + "' in tenant " + tenant));
    }

    /** alertSeverity members in CSDL order; anything else (unknownFutureValue, a future member) never raises. */
    private static int rank(String severity) {
        return AlertFactory.SEVERITIES.indexOf(severity);
    }

    private static boolean contains(ArrayNode array, String value) {
        for (var v : array) {
            if (v.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** "CommandAndControl" → "Command and control", as the portal names an incident's categories. */
    private static String humanized(String category) {
        String words = category.replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
