package io.graphsec.routes.simulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Microsoft's own triage in the demo tenant: each incident gets a priority score a while after it
 * forms (some stay null: Defender has not computed one, or the tenant has it off), most below 85, a
 * few in the top tier with a summary; one is taken on by Defender Experts, who tag it and then ask
 * the customer to act (awaitingAction); resolutions carry a resolving comment.
 */
final class DemoRanking {

    private static final Logger LOG = LoggerFactory.getLogger(DemoRanking.class);
    private static final List<String> SUMMARIES = List.of(
            "Hands-on-keyboard attack: credential theft followed by lateral movement to finance servers",
            "Phishing campaign delivered malicious links to several mailboxes; two users clicked",
            "Ransomware precursor activity: defense evasion and discovery on multiple devices");
    private static final List<String> COMMENTS = List.of(
            "Contained: device isolated, user password reset, no further activity",
            "Benign: authorized penetration test by the red team",
            "Resolved by automated investigation; malicious files quarantined");

    private final Random random;
    private final List<String> unranked = new ArrayList<>();
    /** Incidents already ranked or waiting for it: each is ranked once (and may stay null). */
    private final Set<String> known = new HashSet<>();
    private boolean expertsCalled;

    DemoRanking(Random random) {
        this.random = random;
    }

    /** The backlog's incidents: the first in Microsoft's top tier (95), the others drawn like new ones. */
    void rankBacklog(IncidentBook book, List<String> drawn) {
        // An id drawn for the next new incident exists only once an alert names it.
        List<String> incidents = drawn.stream().filter(id -> book.incident(id).isPresent()).toList();
        known.addAll(incidents);
        for (int i = 0; i < incidents.size(); i++) {
            if (i == 0) {
                book.rank(incidents.get(i), 95, SUMMARIES.get(0));
                LOG.info("demo: Microsoft ranks incident {} at 95 (its alerts are routed as high, whatever their severity)",
                        incidents.get(i));
            } else {
                rank(book, incidents.get(i));
            }
        }
    }

    /** A tick: an incident formed since the last one is ranked; once, Defender Experts step in. */
    void step(IncidentBook book, List<String> open) {
        open.stream().filter(id -> book.incident(id).isPresent()).filter(known::add).forEach(unranked::add);
        if (!unranked.isEmpty() && random.nextInt(2) == 0) {
            rank(book, unranked.remove(0));
        }
        List<String> existing = open.stream().filter(id -> book.incident(id).isPresent()).toList();
        if (!expertsCalled && existing.size() >= 6) {
            expertsCalled = true;
            String id = existing.get(existing.size() - 1);
            book.tag(id, "Defender Experts");
            book.awaitAction(id, "Isolate the affected device and reset the signed-in user's credentials, then confirm here.");
            LOG.info("demo: Defender Experts took on incident {} and ask the customer to act (awaitingAction)", id);
        }
    }

    String resolvingComment() {
        return COMMENTS.get(random.nextInt(COMMENTS.size()));
    }

    private void rank(IncidentBook book, String id) {
        int draw = random.nextInt(10);
        if (draw == 0) {
            return; // stays null: not computed, or the tenant has priority scoring off
        }
        int score = draw <= 1 ? 86 + random.nextInt(14) : 10 + random.nextInt(70);
        book.rank(id, score, score > 85 ? SUMMARIES.get(1 + random.nextInt(SUMMARIES.size() - 1)) : null);
    }
}
