package io.graphsec.routes.securescore;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one run of the secure score flow read from Graph: the newest daily records (newest first)
 * and every control profile by id, with the pages already read (a nextLink that comes back is a
 * paging loop, not more data).
 */
public final class SecureScoreReading {

    final List<JsonNode> scores = new ArrayList<>();
    final Map<String, JsonNode> profiles = new LinkedHashMap<>();
    final Set<String> pagesRead = new HashSet<>();
    boolean scoresRead;
    int profilePages;
    int regressions;

    public SecureScoreReading() {
    }

    public SecureScoreReading(List<? extends JsonNode> scores, List<? extends JsonNode> profiles) {
        this.scores.addAll(scores);
        profiles.forEach(p -> this.profiles.put(p.path("id").asText(), p));
        this.scoresRead = true;
    }

    /** The newest daily record (today's, once Graph computed it). */
    public JsonNode today() {
        return scores.get(0);
    }

    /** The record before the newest, or null when Graph has only one. */
    public JsonNode previous() {
        return scores.size() > 1 ? scores.get(1) : null;
    }

    public Map<String, JsonNode> profiles() {
        return profiles;
    }

    public int profilePages() {
        return profilePages;
    }
}
