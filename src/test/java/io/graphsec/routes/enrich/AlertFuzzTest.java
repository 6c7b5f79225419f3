package io.graphsec.routes.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.AlertFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * Real alert bodies, mutated at random (fields removed, retyped, hostile strings, huge strings, deep
 * nesting, new enum members), through the same parsing and enrichment the routes use. Every item
 * either passes with its JSON intact and sane headers, or is refused with an InvalidAlertException
 * naming the problem; nothing else escapes, so one bad item can only ever end on the dead-letter queue.
 */
class AlertFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] HOSTILE = {"../../etc/passwd", "a\r\nBcc: victim@example.com", "<script>alert(1)</script>",
        "\u0000\u0001", "\uD83D\uDE00 émoji", "%2e%2e%2f", "id with spaces", "", " ", "x".repeat(300)};

    private final AlertEnricher enricher = new AlertEnricher("https://security.microsoft.com");
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @Test
    void three_thousand_mutated_alerts_are_either_routed_intact_or_refused_with_a_reason() throws Exception {
        Random random = new Random(42);
        AlertFactory factory = new AlertFactory(7, "tenant-fuzz");
        int routed = 0;
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            ObjectNode alert = factory.newAlert(Instant.parse("2026-11-25T00:00:00Z").plusSeconds(i), "incident-" + i % 50);
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                mutate(alert, random);
            }
            // The alert travels as text between Graph and us: what the enricher sees is what JSON parsing makes of it.
            JsonNode wire = JSON.readTree(JSON.writeValueAsString(alert));
            Exchange e = new DefaultExchange(camel);
            e.getIn().setBody(wire);
            try {
                enricher.enrich(e);
                routed++;
                assertThat(JSON.readTree(e.getIn().getBody(String.class))).isEqualTo(wire);
                assertThat(e.getIn().getHeader("graphRoute", String.class))
                        .isIn("high", "medium", "low", "informational", "triage");
                String id = e.getIn().getHeader("graphAlertId", String.class);
                assertThat(id).doesNotContain("/", "..", "\r", "\n", " ").isNotBlank();
                assertThat(e.getIn().getHeader("graphPortalUrl", String.class)).doesNotContain("\r", "\n");
            } catch (InvalidAlertException expected) {
                refused++;
                assertThat(expected.getMessage()).isNotBlank().doesNotContain("\r", "\n", "\u0000");
                assertThat(JSON.readTree(e.getIn().getBody(String.class))).as("a refused alert keeps its JSON for the DLQ")
                        .isEqualTo(wire);
            }
        }
        assertThat(routed).as("most mutations leave a routable alert").isGreaterThan(1000);
        assertThat(refused).as("and many do not").isGreaterThan(300);
    }

    private static void mutate(ObjectNode alert, Random random) {
        List<String> fields = new ArrayList<>();
        alert.fieldNames().forEachRemaining(fields::add);
        String field = random.nextInt(4) == 0
                ? List.of("id", "severity", "lastUpdateDateTime", "status").get(random.nextInt(4))
                : fields.get(random.nextInt(fields.size()));
        switch (random.nextInt(9)) {
            case 0 -> alert.remove(field);
            case 1 -> alert.put(field, random.nextInt(1000) - 500);
            case 2 -> alert.putNull(field);
            case 3 -> alert.put(field, random.nextBoolean());
            case 4 -> alert.put(field, HOSTILE[random.nextInt(HOSTILE.length)]);
            case 5 -> alert.put(field, "y".repeat(100_000 + random.nextInt(100_000)));
            case 6 -> {
                ObjectNode deep = alert.putObject(field);
                for (int d = 0; d < 200; d++) {
                    deep = deep.putObject("nested");
                }
            }
            case 7 -> alert.put(random.nextBoolean() ? "alertWebUrl" : "severity", List.of("critical", "unknownFutureValue", "HIGH", "Medium", "https://security.microsoft.com/x\r\nX-Injected: 1")
                    .get(random.nextInt(5)));
            default -> {
                ArrayNode evidence = alert.path("evidence").isArray() ? (ArrayNode) alert.get("evidence")
                        : alert.putArray("evidence");
                evidence.addObject().put("@odata.type", "#microsoft.graph.security.brandNewEvidence")
                        .put("verdict", "someFutureVerdict").putArray("roles").add(random.nextInt());
                evidence.add(HOSTILE[random.nextInt(HOSTILE.length)]);
            }
        }
    }
}
