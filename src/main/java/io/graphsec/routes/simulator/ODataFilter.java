package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Set;

/**
 * The subset of OData {@code $filter} that Graph accepts on {@code /security/alerts_v2} and {@code /security/incidents}:
 * {@code property op literal} comparisons combined with {@code and}, {@code or}, {@code not} and parentheses.
 *
 * <p>Deliberately small: a hand-written recursive-descent parser is easier to keep faithful to Graph's error behaviour
 * (a 400 naming the problem) than a general OData library, and the simulator only needs what a poller sends.
 * {@link ODataFilterParser} reads the expression; this class evaluates it against an entity.
 */
public final class ODataFilter {

    /** Thrown for any expression Graph would reject with 400 BadRequest; the message names the problem. */
    public static final class InvalidFilterException extends IllegalArgumentException {
        public InvalidFilterException(String message) {
            super(message);
        }
    }

    private static final ODataFilter ALL = new ODataFilter(entity -> true, "");

    private final Expr root;
    private final String expression;

    private ODataFilter(Expr root, String expression) {
        this.root = root;
        this.expression = expression;
    }

    /** A filter that matches everything (no $filter given). */
    public static ODataFilter all() {
        return ALL;
    }

    /**
     * Parses a $filter expression (already URL-decoded).
     *
     * @param allowedProperties the property names the resource may filter on
     * @throws InvalidFilterException naming the problem (unknown property, unsupported operator, bad literal,
     *                                unbalanced parenthesis, trailing input, lambda operators)
     */
    public static ODataFilter parse(String expression, Set<String> allowedProperties) {
        Objects.requireNonNull(allowedProperties, "allowedProperties");
        if (expression == null || expression.isBlank()) {
            throw new InvalidFilterException("$filter expression is empty");
        }
        return new ODataFilter(ODataFilterParser.parse(expression, allowedProperties), expression);
    }

    /** This filter and a condition Graph adds on its side (not part of the client's expression). */
    ODataFilter and(java.util.function.Predicate<ObjectNode> also) {
        Expr self = root;
        return new ODataFilter(e -> self.eval(e) && also.test(e), expression);
    }

    public boolean matches(ObjectNode entity) {
        return root.eval(entity);
    }

    @Override
    public String toString() {
        return "ODataFilter[" + expression + "]";
    }

    // ---------------------------------------------------------------- evaluation

    interface Expr {
        boolean eval(ObjectNode entity);
    }

    enum LitKind { STRING, DATE_TIME, NUMBER, BOOLEAN, NULL }

    record Literal(LitKind kind, Object value) { }

    static boolean compare(String op, JsonNode node, Literal lit) {
        boolean propertyNull = node == null || node.isNull() || node.isMissingNode();
        if (lit.kind == LitKind.NULL || propertyNull) {
            // null equals only null; ordering against null is never true (OData three-valued logic collapsed to false)
            boolean bothNull = lit.kind == LitKind.NULL && propertyNull;
            return switch (op) {
                case "eq" -> bothNull;
                case "ne" -> !bothNull;
                default -> false;
            };
        }
        Integer cmp = compareValues(node, lit);
        if (cmp == null) {
            // Incomparable types (e.g. a string property against a number): nothing is equal, so only 'ne' holds.
            return op.equals("ne");
        }
        return switch (op) {
            case "eq" -> cmp == 0;
            case "ne" -> cmp != 0;
            case "gt" -> cmp > 0;
            case "ge" -> cmp >= 0;
            case "lt" -> cmp < 0;
            case "le" -> cmp <= 0;
            default -> throw new IllegalStateException(op);
        };
    }

    /** property compared to literal, or null when the two cannot be compared. */
    private static Integer compareValues(JsonNode node, Literal lit) {
        switch (lit.kind) {
            case DATE_TIME: {
                Instant value = node.isTextual() ? parseInstant(node.textValue()) : null;
                return value == null ? null : value.compareTo((Instant) lit.value);
            }
            case STRING: {
                if (!node.isTextual()) {
                    return null;
                }
                // Clients sometimes quote date-times; if both sides are date-times, instants are what they mean.
                Instant value = parseInstant(node.textValue());
                Instant literal = parseInstant((String) lit.value);
                if (value != null && literal != null) {
                    return value.compareTo(literal);
                }
                // Case-insensitive because Graph matches enum members ('High' finds "high") and the filterable string
                // properties (assignedTo is a UPN) are case-insensitive in Graph too. Ordering on enums is lexical here,
                // not by CSDL member value: pollers only order on the DateTimeOffset fields.
                return String.CASE_INSENSITIVE_ORDER.compare(node.textValue(), (String) lit.value);
            }
            case NUMBER:
                return node.isNumber() ? node.decimalValue().compareTo((BigDecimal) lit.value) : null;
            case BOOLEAN:
                return node.isBoolean() ? Boolean.compare(node.booleanValue(), (Boolean) lit.value) : null;
            default:
                return null;
        }
    }

    static Instant parseInstant(String text) {
        if (text == null || text.length() < 16 || text.charAt(10) != 'T') {
            return null; // cheap rejection so ordinary strings never pay for an exception
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
