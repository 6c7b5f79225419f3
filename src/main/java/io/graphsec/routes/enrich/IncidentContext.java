package io.graphsec.routes.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.graphsec.routes.auth.GraphTenants;
import io.graphsec.routes.graph.GraphIds;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each alert's incident is (name, severity, status, link), cached: filled by the incidents
 * poll and, for an incident not seen yet, by one look-up that the alert route makes. A merged
 * incident ({@code redirected}) is followed to the incident it was merged into.
 */
public final class IncidentContext implements AggregationStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentContext.class);
    private static final String LOOKUPS = "graphIncidentLookups";
    private static final int MAX_HOPS = 5;

    private final ObjectMapper mapper = new ObjectMapper();
    /** Per tenant of the deployment that reads incidents: its incidents URL (its cloud's Graph host). */
    private final Map<String, String> incidentsUrls = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;
    /** Keyed by tenant and incident id: incident ids are small numbers, the same in many tenants. */
    private final Map<String, Incident> cache;

    /** An incident as far as alerts need it; {@code missing} marks one Graph could not give us. */
    record Incident(String id, String displayName, String severity, String status, String webUrl,
                    String redirectTo, boolean missing, Instant learnedAt, Integer priorityScore, String summary,
                    List<String> systemTags) {
    }

    /**
     * For the default tenant; {@code lookups} false: incidents are not read (no permission for
     * them), alerts go without context.
     */
    public IncidentContext(String graphBaseUrl, boolean lookups, Duration ttl, int maxEntries, Clock clock) {
        forTenant(GraphTenants.DEFAULT, graphBaseUrl, lookups);
        this.ttl = ttl;
        this.clock = clock;
        this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Incident> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /**
     * Another tenant of the deployment: its alerts' incidents are read from its Graph host (with its
     * token: the look-up exchange belongs to its poll) and kept apart from every other tenant's.
     */
    public IncidentContext forTenant(String tenant, String graphBaseUrl, boolean lookups) {
        if (lookups) {
            incidentsUrls.put(tenant, graphBaseUrl + "/v1.0/security/incidents/");
        }
        return this;
    }

    /** Remembers an incident of the default tenant as Graph sent it. */
    public void learn(JsonNode incident) {
        learn(GraphTenants.DEFAULT, incident);
    }

    /** Remembers an incident of {@code tenant} as Graph sent it (from its incidents poll or a look-up). */
    public void learn(String tenant, JsonNode incident) {
        JsonNode id = incident == null ? null : incident.get("id");
        if (id == null || !id.isTextual() || GraphIds.problem("id", id.asText()).isPresent()) {
            return;
        }
        JsonNode redirect = incident.get("redirectIncidentId");
        String redirectTo = "redirected".equals(incident.path("status").asText())
                && redirect != null && redirect.isTextual() && GraphIds.problem("id", redirect.asText()).isEmpty()
                ? redirect.asText() : null;
        put(tenant, new Incident(id.asText(), text(incident, "displayName"),
                AlertEnricher.normalizeSeverity(text(incident, "severity")), text(incident, "status"),
                AlertEnricher.safeLink(incident, "incidentWebUrl"), redirectTo, false, Instant.now(clock),
                TriageSignals.priorityScore(incident), TriageSignals.summary(incident),
                TriageSignals.values(incident, "systemTags")));
    }

    /**
     * True while the alert's incident (or one it was merged into) is not known or is stale; the URL
     * to read it is left in the {@code graphIncidentLookupUrl} property.
     */
    public boolean needsLookup(Exchange exchange) {
        String id = exchange.getIn().getHeader("graphIncidentId", String.class);
        int done = exchange.getProperty(LOOKUPS, 0, Integer.class);
        String tenant = tenantOf(exchange);
        String incidentsUrl = incidentsUrls.get(tenant);
        if (incidentsUrl == null || id == null || GraphIds.problem("incidentId", id).isPresent() || done >= MAX_HOPS) {
            return false;
        }
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            Incident known = get(tenant, id);
            if (known == null) {
                exchange.setProperty(LOOKUPS, done + 1);
                exchange.setProperty("graphIncidentLookupId", id);
                exchange.setProperty("graphReadUrl", incidentsUrl + URLEncoder.encode(id, StandardCharsets.UTF_8));
                return true;
            }
            if (known.redirectTo == null) {
                return false;
            }
            id = known.redirectTo;
        }
        return false;
    }

    /**
     * Keeps the alert exchange as it was and learns the incident the look-up read. A look-up that
     * failed after its retries (or found nothing) leaves the alert without context, and the incident
     * is not asked for again before the cache time is over: an alert is never held up by it.
     */
    @Override
    public Exchange aggregate(Exchange alert, Exchange lookup) {
        String id = alert.getProperty("graphIncidentLookupId", String.class);
        String tenant = tenantOf(alert);
        Exception failure = lookup.getException();
        if (failure == null && !lookup.getIn().getHeader("graphReadNotFound", false, Boolean.class)) {
            try {
                learn(tenant, mapper.readTree(lookup.getIn().getBody(String.class)));
                return alert;
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            LOG.warn("Incident {} could not be read ({}); its alerts go on without incident context for {}",
                    id, failure.getMessage(), ttl);
        }
        put(tenant, new Incident(id, null, null, null, null, null, true, Instant.now(clock), null, null, List.of()));
        return alert;
    }

    /** The tenant of the deployment an alert (or incident) message came from: its graphTenant header. */
    static String tenantOf(Exchange exchange) {
        String t = exchange.getIn().getHeader("graphTenant", String.class);
        return t == null || t.isEmpty() ? GraphTenants.DEFAULT : t;
    }

    /** Puts the incident context on the alert: the incident it belongs to now, after any merges. */
    public void apply(Exchange exchange) {
        Message in = exchange.getIn();
        String tenant = tenantOf(exchange);
        String original = in.getHeader("graphIncidentId", String.class);
        if (original == null) {
            return;
        }
        String id = original;
        Incident incident = get(tenant, id);
        for (int hop = 0; incident != null && incident.redirectTo != null && hop < MAX_HOPS; hop++) {
            id = incident.redirectTo;
            incident = get(tenant, id);
        }
        if (!id.equals(original)) {
            in.setHeader("graphIncidentId", id);
            in.setHeader("graphIncidentMergedFrom", original);
        }
        if (incident == null || incident.missing) {
            return;
        }
        putHeader(in, "graphIncidentDisplayName", incident.displayName);
        putHeader(in, "graphIncidentSeverity", incident.severity);
        putHeader(in, "graphIncidentStatus", incident.status);
        putHeader(in, "graphIncidentWebUrl", incident.webUrl);
        if (incident.priorityScore != null) {
            in.setHeader(TriageSignals.PRIORITY_SCORE, incident.priorityScore);
        }
        putHeader(in, TriageSignals.SUMMARY, incident.summary);
        // The alert's own system tags and its incident's (Defender Experts tags the incident), once each.
        Set<String> tags = new LinkedHashSet<>(TriageSignals.listOf(in.getHeader(TriageSignals.SYSTEM_TAGS, String.class)));
        tags.addAll(incident.systemTags);
        TriageSignals.putList(in, TriageSignals.SYSTEM_TAGS, tags);
    }

    private synchronized Incident get(String tenant, String id) {
        Incident i = cache.get(tenant + "\n" + id);
        return i == null || i.learnedAt.plus(ttl).isBefore(Instant.now(clock)) ? null : i;
    }

    private synchronized void put(String tenant, Incident incident) {
        cache.put(tenant + "\n" + incident.id, incident);
    }

    private static void putHeader(Message in, String name, String value) {
        if (value != null) {
            in.setHeader(name, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
