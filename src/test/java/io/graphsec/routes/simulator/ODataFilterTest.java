package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.graphsec.routes.simulator.ODataFilter.InvalidFilterException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ODataFilterTest {

    private static final Set<String> ALERT_PROPS = Set.of("assignedTo", "classification", "determination",
            "createdDateTime", "lastUpdateDateTime", "severity", "serviceSource", "status");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ObjectNode alert(String severity, String status, String assignedTo, String lastUpdate) {
        ObjectNode a = MAPPER.createObjectNode();
        a.put("severity", severity);
        a.put("status", status);
        a.put("assignedTo", assignedTo); // null -> JSON null
        a.put("lastUpdateDateTime", lastUpdate);
        a.put("createdDateTime", "2024-01-01T00:00:00.0000000Z");
        a.putNull("classification");
        a.put("serviceSource", "microsoftDefenderForEndpoint");
        return a;
    }

    private static final ObjectNode HIGH_NEW = alert("high", "new", null, "2024-03-01T10:00:00.1234567Z");
    private static final ObjectNode LOW_RESOLVED = alert("low", "resolved", "secAdmin@contoso.com", "2024-03-01T10:00:00.1234568Z");
    private static final ObjectNode MEDIUM_INPROGRESS = alert("medium", "inProgress", "it's me", "2024-02-29T23:59:59Z");

    private static boolean eval(String filter, ObjectNode entity) {
        return ODataFilter.parse(filter, ALERT_PROPS).matches(entity);
    }

    @Test
    void allMatchesEverything() {
        assertThat(ODataFilter.all().matches(HIGH_NEW)).isTrue();
        assertThat(ODataFilter.all().matches(MAPPER.createObjectNode())).isTrue();
    }

    @Test
    void eqOnSeverityIsCaseInsensitive() {
        assertThat(eval("severity eq 'high'", HIGH_NEW)).isTrue();
        assertThat(eval("severity eq 'High'", HIGH_NEW)).isTrue();
        assertThat(eval("severity EQ 'HIGH'", HIGH_NEW)).isTrue();
        assertThat(eval("severity eq 'high'", LOW_RESOLVED)).isFalse();
        assertThat(eval("severity ne 'HIGH'", HIGH_NEW)).isFalse();
        assertThat(eval("severity ne 'high'", LOW_RESOLVED)).isTrue();
    }

    @Test
    void typedEnumLiteralBehavesLikeString() {
        assertThat(eval("severity eq microsoft.graph.security.alertSeverity'high'", HIGH_NEW)).isTrue();
        assertThat(eval("severity eq microsoft.graph.security.alertSeverity'high'", LOW_RESOLVED)).isFalse();
    }

    @Test
    void andBindsTighterThanOr() {
        // or(and(high, resolved), low): true for LOW_RESOLVED only via the second branch
        String f = "severity eq 'high' and status eq 'resolved' or severity eq 'low'";
        assertThat(eval(f, HIGH_NEW)).isFalse();
        assertThat(eval(f, LOW_RESOLVED)).isTrue();
        // if 'or' bound tighter this would be high and (resolved or low) -> false for LOW_RESOLVED
        String g = "severity eq 'low' or severity eq 'high' and status eq 'resolved'";
        assertThat(eval(g, LOW_RESOLVED)).isTrue();
        assertThat(eval(g, HIGH_NEW)).isFalse();
    }

    @Test
    void parenthesesOverridePrecedence() {
        String f = "severity eq 'high' and (status eq 'resolved' or status eq 'new')";
        assertThat(eval(f, HIGH_NEW)).isTrue();
        assertThat(eval(f, LOW_RESOLVED)).isFalse();
        String g = "(severity eq 'low' or severity eq 'high') and status eq 'new'";
        assertThat(eval(g, HIGH_NEW)).isTrue();
        assertThat(eval(g, LOW_RESOLVED)).isFalse();
        assertThat(eval("((severity eq 'high'))", HIGH_NEW)).isTrue();
    }

    @Test
    void notBindsTighterThanAndAndOr() {
        assertThat(eval("not severity eq 'high'", HIGH_NEW)).isFalse();
        assertThat(eval("not severity eq 'high'", LOW_RESOLVED)).isTrue();
        // (not high) and new: false for HIGH_NEW; not (high and new) would also be false, so check the other case
        assertThat(eval("not severity eq 'low' and status eq 'resolved'", LOW_RESOLVED)).isFalse();
        assertThat(eval("not (severity eq 'low' and status eq 'new')", LOW_RESOLVED)).isTrue();
        // (not low) or resolved -> true for LOW_RESOLVED; not (low or resolved) would be false
        assertThat(eval("not severity eq 'low' or status eq 'resolved'", LOW_RESOLVED)).isTrue();
        assertThat(eval("not not severity eq 'high'", HIGH_NEW)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // filter                                                     | HIGH_NEW (…10:00:00.1234567Z) | LOW_RESOLVED (…10:00:00.1234568Z) | MEDIUM (2024-02-29T23:59:59Z)
            "lastUpdateDateTime gt 2024-03-01T10:00:00.1234567Z          | false | true  | false",
            "lastUpdateDateTime ge 2024-03-01T10:00:00.1234567Z          | true  | true  | false",
            "lastUpdateDateTime lt 2024-03-01T10:00:00.1234568Z          | true  | false | true",
            "lastUpdateDateTime le 2024-03-01T10:00:00.1234567Z          | true  | false | true",
            "lastUpdateDateTime eq 2024-03-01T10:00:00.1234567Z          | true  | false | false",
            "lastUpdateDateTime gt 2024-03-01T00:00:00Z                  | true  | true  | false",
            // +02:00 offset: 12:00:00.1234567+02:00 is the same instant as 10:00:00.1234567Z
            "lastUpdateDateTime eq 2024-03-01T12:00:00.1234567+02:00     | true  | false | false",
            "lastUpdateDateTime ge 2024-03-01T12:00:00.1234568+02:00     | false | true  | false",
            // -05:00: 2024-02-29T19:00:00-05:00 == 2024-03-01T00:00:00Z
            "lastUpdateDateTime lt 2024-02-29T19:00:00-05:00             | false | false | true",
            "lastUpdateDateTime gt 2024-01-01T00:00:00Z and severity eq 'medium' | false | false | true",
    })
    void dateTimeRangeComparisonsUseInstants(String filter, boolean highNew, boolean lowResolved, boolean medium) {
        assertThat(eval(filter, HIGH_NEW)).as("HIGH_NEW").isEqualTo(highNew);
        assertThat(eval(filter, LOW_RESOLVED)).as("LOW_RESOLVED").isEqualTo(lowResolved);
        assertThat(eval(filter, MEDIUM_INPROGRESS)).as("MEDIUM").isEqualTo(medium);
    }

    @Test
    void propertyWithFewerFractionDigitsComparesByInstant() {
        ObjectNode a = alert("low", "new", null, "2024-03-01T10:00:00.116Z");
        assertThat(eval("lastUpdateDateTime eq 2024-03-01T10:00:00.1160000Z", a)).isTrue();
        assertThat(eval("lastUpdateDateTime gt 2024-03-01T10:00:00.1159999Z", a)).isTrue();
        assertThat(eval("lastUpdateDateTime lt 2024-03-01T10:00:00.1160001Z", a)).isTrue();
    }

    @Test
    void quotedDateTimeStillComparesAsInstant() {
        assertThat(eval("lastUpdateDateTime ge '2024-03-01T11:00:00.1234567+01:00'", HIGH_NEW)).isTrue();
        assertThat(eval("lastUpdateDateTime gt '2024-03-01T11:00:00.1234567+01:00'", HIGH_NEW)).isFalse();
    }

    @Test
    void nullHandling() {
        assertThat(eval("assignedTo eq null", HIGH_NEW)).isTrue();
        assertThat(eval("assignedTo eq null", LOW_RESOLVED)).isFalse();
        assertThat(eval("assignedTo ne null", HIGH_NEW)).isFalse();
        assertThat(eval("assignedTo ne null", LOW_RESOLVED)).isTrue();
        // a null property equals nothing but null, and is 'ne' anything else
        assertThat(eval("assignedTo eq 'secAdmin@contoso.com'", HIGH_NEW)).isFalse();
        assertThat(eval("assignedTo ne 'secAdmin@contoso.com'", HIGH_NEW)).isTrue();
        // ordering with null on either side is false
        assertThat(eval("assignedTo gt 'a'", HIGH_NEW)).isFalse();
        assertThat(eval("assignedTo lt 'z'", HIGH_NEW)).isFalse();
        assertThat(eval("lastUpdateDateTime gt null", HIGH_NEW)).isFalse();
        assertThat(eval("lastUpdateDateTime le null", HIGH_NEW)).isFalse();
        // a property missing from the entity behaves like null
        assertThat(eval("determination eq null", HIGH_NEW)).isTrue();
        assertThat(eval("classification eq null", HIGH_NEW)).isTrue();
    }

    @Test
    void escapedQuoteInString() {
        assertThat(eval("assignedTo eq 'it''s me'", MEDIUM_INPROGRESS)).isTrue();
        assertThat(eval("assignedTo eq 'its me'", MEDIUM_INPROGRESS)).isFalse();
        assertThat(eval("assignedTo eq 'it''s me' and severity eq 'medium'", MEDIUM_INPROGRESS)).isTrue();
    }

    @Test
    void whitespaceTolerant() {
        assertThat(eval("  (severity   eq\t'high')and(status eq 'new')  ", HIGH_NEW)).isTrue();
        assertThat(eval("severity eq 'high' or(status eq 'resolved')", LOW_RESOLVED)).isTrue();
    }

    @Test
    void numbersAndBooleans() {
        Set<String> props = Set.of("priorityScore", "flag");
        ObjectNode incident = MAPPER.createObjectNode().put("priorityScore", 42).put("flag", true);
        assertThat(ODataFilter.parse("priorityScore gt 41.5", props).matches(incident)).isTrue();
        assertThat(ODataFilter.parse("priorityScore ge 43", props).matches(incident)).isFalse();
        assertThat(ODataFilter.parse("priorityScore eq 42", props).matches(incident)).isTrue();
        assertThat(ODataFilter.parse("flag eq true", props).matches(incident)).isTrue();
        assertThat(ODataFilter.parse("flag eq false", props).matches(incident)).isFalse();
        // type mismatch: nothing is equal, so only ne holds
        assertThat(ODataFilter.parse("priorityScore eq '42'", props).matches(incident)).isFalse();
        assertThat(ODataFilter.parse("priorityScore ne '42'", props).matches(incident)).isTrue();
    }

    // ------------------------------------------------------------------ errors

    private static void assertRejected(String filter, String... fragments) {
        assertThatThrownBy(() -> ODataFilter.parse(filter, ALERT_PROPS))
                .isInstanceOf(InvalidFilterException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .message().contains(fragments);
    }

    @Test
    void unknownPropertyIsNamedWithAllowedList() {
        assertRejected("title eq 'x'", "property 'title' is not filterable on this resource", "allowed:",
                "assignedTo", "severity", "status");
    }

    @Test
    void unsupportedOperator() {
        assertRejected("severity has 'high'", "unsupported operator", "'has'");
        assertRejected("severity like 'high'", "expected an operator", "'like'");
        assertRejected("severity", "expected an operator", "end of input");
    }

    @Test
    void badLiterals() {
        assertRejected("severity eq high", "bad literal 'high'");
        assertRejected("lastUpdateDateTime gt 2024-01-01", "bad literal '2024-01-01'");
        // 8 fractional digits exceeds DateTimeOffset precision
        assertRejected("lastUpdateDateTime gt 2024-01-01T00:00:00.12345678Z", "bad literal");
        assertRejected("lastUpdateDateTime gt 2024-13-01T00:00:00Z", "bad literal", "not a valid DateTimeOffset");
        assertRejected("severity eq 'high", "unterminated string literal");
        assertRejected("severity eq", "expected a literal", "end of input");
    }

    @Test
    void unbalancedParentheses() {
        assertRejected("(severity eq 'high'", "unbalanced parenthesis", "position 0");
        assertRejected("severity eq 'high')", "unbalanced parenthesis", "unexpected ')'");
        assertRejected("((severity eq 'high') and status eq 'new'", "unbalanced parenthesis");
        assertRejected("()", "unbalanced parenthesis");
    }

    @Test
    void trailingInput() {
        assertRejected("severity eq 'high' status eq 'new'", "trailing input", "'status'");
        assertRejected("severity eq 'high' and", "expected a property name", "end of input");
    }

    @Test
    void lambdaOperatorsAreRejected() {
        assertRejected("evidence/any(e: e/microsoft.graph.security.userEvidence/userAccount/userPrincipalName eq 'alice@contoso.com')",
                "lambda operators", "not supported by this simulator");
        assertRejected("evidence/all(e: e/verdict eq 'malicious')", "lambda operators");
    }

    @Test
    void functionsAreRejected() {
        assertRejected("contains(title, 'x')", "function 'contains'", "not supported");
    }

    @Test
    void emptyExpressionIsRejected() {
        assertRejected("   ", "empty");
    }
}
