package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/** One simulated tenant's collections; its alerts are grouped into its incidents as they are stored. */
final class TenantData {

    final EntityStore alerts = new EntityStore();
    final EntityStore incidents = new EntityStore();
    final EntityStore legacyAlerts = new EntityStore();
    final EntityStore secureScores = new EntityStore();
    final EntityStore controlProfiles = new EntityStore();
    final IncidentBook book;
    final SecureScoreBook scores;
    volatile Function<HuntingRequest, List<ObjectNode>> hunting = r -> List.of();
    volatile Duration huntingMaxSpan;
    final Queue<HuntingRequest> huntingSeen = new ConcurrentLinkedQueue<>();

    TenantData(String id) {
        book = new IncidentBook(id, alerts, incidents);
        scores = new SecureScoreBook(id, secureScores, controlProfiles, Clock.systemUTC());
    }

    EntityStore store(SimulatedCollection c) {
        return switch (c) {
            case ALERTS_V2 -> alerts;
            case INCIDENTS -> incidents;
            case LEGACY_ALERTS -> legacyAlerts;
            case SECURE_SCORES -> secureScores;
            case SECURE_SCORE_CONTROL_PROFILES -> controlProfiles;
        };
    }
}
