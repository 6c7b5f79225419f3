package io.graphsec.routes.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, reads the application roles in the token's {@code roles} claim and says, per feature,
 * which application permission is missing, so a half-consented app registration shows up in the
 * first seconds instead of as a 403 on the first PATCH hours later. Only the claim is read; the
 * token itself is never logged.
 */
public final class GraphPermissionsCheck {

    private static final Logger LOG = LoggerFactory.getLogger(GraphPermissionsCheck.class);

    /** Feature → the roles any one of which it needs (least privilege first). */
    private static final Map<String, List<String>> NEEDS = new LinkedHashMap<>();

    static {
        NEEDS.put("polling alerts_v2", List.of("SecurityAlert.Read.All", "SecurityAlert.ReadWrite.All"));
        NEEDS.put("polling incidents", List.of("SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"));
        NEEDS.put("polling legacy_alerts", List.of("SecurityEvents.Read.All", "SecurityEvents.ReadWrite.All"));
        NEEDS.put("snapshot of secure score", List.of("SecurityEvents.Read.All", "SecurityEvents.ReadWrite.All"));
        NEEDS.put("scheduled hunting", List.of("ThreatHunting.Read.All"));
        NEEDS.put("feedback on alerts", List.of("SecurityAlert.ReadWrite.All"));
        NEEDS.put("feedback on incidents", List.of("SecurityIncident.ReadWrite.All"));
        NEEDS.put("feedback on legacy alerts", List.of("SecurityEvents.ReadWrite.All"));
    }

    private final GraphTokenProvider tokens;
    private final Set<String> switchedOff;
    private volatile List<String> missing = List.of();
    private volatile Set<String> roles = Set.of();

    /** {@code switchedOff}: features the configuration turned off (e.g. "polling incidents"), not reported. */
    public GraphPermissionsCheck(GraphTokenProvider tokens, Set<String> switchedOff) {
        this.tokens = tokens;
        this.switchedOff = Set.copyOf(switchedOff);
    }

    public void check() {
        try {
            roles = rolesOf(tokens.authorizationHeader().substring("Bearer ".length()));
        } catch (GraphAuthenticationException e) {
            LOG.error("Cannot obtain a Graph token, so nothing will be polled until this is fixed: {}", e.getMessage());
            return;
        }
        List<String> gaps = new ArrayList<>();
        NEEDS.forEach((feature, anyOf) -> {
            if (!switchedOff.contains(feature) && anyOf.stream().noneMatch(roles::contains)) {
                gaps.add(feature + " needs " + String.join(" or ", anyOf));
            }
        });
        missing = List.copyOf(gaps);
        if (gaps.isEmpty()) {
            LOG.info("Graph token roles {} cover every feature", roles);
        } else {
            LOG.warn("Graph token roles {}: {} (grant the application permission and admin consent in Entra ID)",
                    roles, String.join("; ", gaps));
        }
    }

    /** What cannot work with the current token, one sentence per feature; empty when all can. */
    public List<String> missing() {
        return missing;
    }

    public Set<String> roles() {
        return roles;
    }

    /** The roles claim of a JWT access token; empty if the token is not a readable JWT (then Graph decides). */
    static Set<String> rolesOf(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return Set.of();
        }
        try {
            JsonNode claims = new ObjectMapper().readTree(new String(Base64.getUrlDecoder().decode(parts[1]),
                    StandardCharsets.UTF_8));
            Set<String> out = new TreeSet<>();
            claims.path("roles").forEach(r -> out.add(r.asText()));
            return out;
        } catch (Exception notAJwt) {
            return Set.of();
        }
    }
}
