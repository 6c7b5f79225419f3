package io.graphsec.routes.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The subset of OData {@code $filter} that Graph accepts on {@code /security/alerts_v2} and {@code /security/incidents}:
 * {@code property op literal} comparisons combined with {@code and}, {@code or}, {@code not} and parentheses.
 *
 * <p>Deliberately small: a hand-written recursive-descent parser is easier to keep faithful to Graph's error behaviour
 * (a 400 naming the problem) than a general OData library, and the simulator only needs what a poller sends.
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
        Parser parser = new Parser(tokenize(expression), allowedProperties);
        Expr root = parser.parseOr();
        parser.expectEnd();
        return new ODataFilter(root, expression);
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

    // ---------------------------------------------------------------- tokens

    private enum Kind { LPAREN, RPAREN, STRING, WORD, END }

    /** WORD covers names, keywords and unquoted literals alike; the parser decides by position what a word means. */
    private record Token(Kind kind, String text, int pos, int end) {
        String describe() {
            return kind == Kind.END ? "end of input" : "'" + text + "' at position " + pos;
        }
    }

    private static List<Token> tokenize(String s) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                tokens.add(new Token(c == '(' ? Kind.LPAREN : Kind.RPAREN, String.valueOf(c), i, i + 1));
                i++;
            } else if (c == '\'') {
                int start = i++;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (i >= s.length()) {
                        throw new InvalidFilterException("unterminated string literal starting at position " + start);
                    }
                    char d = s.charAt(i++);
                    if (d != '\'') {
                        value.append(d);
                    } else if (i < s.length() && s.charAt(i) == '\'') {
                        value.append('\''); // OData escapes a quote by doubling it
                        i++;
                    } else {
                        break;
                    }
                }
                tokens.add(new Token(Kind.STRING, value.toString(), start, i));
            } else {
                int start = i;
                while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && "()'".indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, s.substring(start, i), start, i));
            }
        }
        tokens.add(new Token(Kind.END, "", s.length(), s.length()));
        return tokens;
    }

    // ---------------------------------------------------------------- parser

    private static final Set<String> OPERATORS = Set.of("eq", "ne", "gt", "ge", "lt", "le");
    // Recognised only so the error can say "unsupported operator" instead of the vaguer "bad literal".
    private static final Set<String> KNOWN_UNSUPPORTED_OPERATORS =
            Set.of("has", "in", "add", "sub", "mul", "div", "divby", "mod");
    // Up to 7 fractional digits: the precision of .NET DateTimeOffset, which is what Graph emits and accepts.
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,7})?)?(Z|z|[+-]\\d{2}:\\d{2})");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+");
    private static final Pattern LAMBDA = Pattern.compile("(?i).*/(any|all)");

    private static final class Parser {
        private final List<Token> tokens;
        private final Set<String> allowed;
        private int index;

        Parser(List<Token> tokens, Set<String> allowed) {
            this.tokens = tokens;
            this.allowed = allowed;
        }

        private Token peek() {
            return tokens.get(index);
        }

        private Token next() {
            return tokens.get(index++);
        }

        private boolean atKeyword(String keyword) {
            Token t = peek();
            return t.kind == Kind.WORD && t.text.equalsIgnoreCase(keyword);
        }

        // Precedence is encoded by the call chain: or -> and -> not -> primary.
        Expr parseOr() {
            Expr left = parseAnd();
            while (atKeyword("or")) {
                next();
                Expr right = parseAnd();
                Expr l = left;
                left = e -> l.eval(e) || right.eval(e);
            }
            return left;
        }

        private Expr parseAnd() {
            Expr left = parseNot();
            while (atKeyword("and")) {
                next();
                Expr right = parseNot();
                Expr l = left;
                left = e -> l.eval(e) && right.eval(e);
            }
            return left;
        }

        private Expr parseNot() {
            if (atKeyword("not")) {
                next();
                Expr inner = parseNot();
                return e -> !inner.eval(e);
            }
            return parsePrimary();
        }

        private Expr parsePrimary() {
            Token t = peek();
            if (t.kind == Kind.LPAREN) {
                next();
                Expr inner = parseOr();
                Token close = next();
                if (close.kind != Kind.RPAREN) {
                    throw new InvalidFilterException("unbalanced parenthesis: '(' at position " + t.pos
                            + " is not closed (found " + close.describe() + ")");
                }
                return inner;
            }
            return parseComparison();
        }

        private Expr parseComparison() {
            Token prop = next();
            if (prop.kind == Kind.RPAREN) {
                throw new InvalidFilterException("unbalanced parenthesis: unexpected ')' at position " + prop.pos);
            }
            if (prop.kind != Kind.WORD) {
                throw new InvalidFilterException("expected a property name but found " + prop.describe());
            }
            if (LAMBDA.matcher(prop.text).matches()) {
                throw new InvalidFilterException("lambda operators (any/all) are not supported by this simulator: '"
                        + prop.text + "' at position " + prop.pos);
            }
            if (peek().kind == Kind.LPAREN) {
                throw new InvalidFilterException("function '" + prop.text + "' at position " + prop.pos
                        + " is not supported; only comparisons with eq, ne, gt, ge, lt, le are");
            }
            if (!allowed.contains(prop.text)) {
                throw new InvalidFilterException("property '" + prop.text + "' is not filterable on this resource; allowed: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
            Token opToken = next();
            String op = opToken.text.toLowerCase(Locale.ROOT);
            if (opToken.kind != Kind.WORD || !OPERATORS.contains(op)) {
                String what = KNOWN_UNSUPPORTED_OPERATORS.contains(op) ? "unsupported operator " : "expected an operator but found ";
                throw new InvalidFilterException(what + opToken.describe() + " after property '" + prop.text
                        + "'; supported: eq, ne, gt, ge, lt, le");
            }
            Literal literal = parseLiteral();
            String name = prop.text;
            return e -> compare(op, e.get(name), literal);
        }

        private Literal parseLiteral() {
            Token t = next();
            if (t.kind == Kind.STRING) {
                return new Literal(LitKind.STRING, t.text);
            }
            if (t.kind != Kind.WORD) {
                throw new InvalidFilterException("expected a literal but found " + t.describe());
            }
            // OData's typed enum form, e.g. microsoft.graph.security.alertSeverity'high', behaves like the plain string.
            if (peek().kind == Kind.STRING && peek().pos == t.end && QUALIFIED_NAME.matcher(t.text).matches()) {
                return new Literal(LitKind.STRING, next().text);
            }
            String text = t.text;
            switch (text.toLowerCase(Locale.ROOT)) {
                case "null": return new Literal(LitKind.NULL, null);
                case "true": return new Literal(LitKind.BOOLEAN, Boolean.TRUE);
                case "false": return new Literal(LitKind.BOOLEAN, Boolean.FALSE);
                default: break;
            }
            if (DATE_TIME.matcher(text).matches()) {
                Instant instant = parseInstant(text);
                if (instant == null) {
                    throw new InvalidFilterException("bad literal: '" + text + "' at position " + t.pos + " is not a valid DateTimeOffset");
                }
                return new Literal(LitKind.DATE_TIME, instant);
            }
            if (NUMBER.matcher(text).matches()) {
                return new Literal(LitKind.NUMBER, new BigDecimal(text));
            }
            throw new InvalidFilterException("bad literal '" + text + "' at position " + t.pos
                    + ": expected a quoted string, DateTimeOffset (e.g. 2024-01-01T00:00:00Z), number, true, false or null");
        }

        void expectEnd() {
            Token t = peek();
            if (t.kind == Kind.RPAREN) {
                throw new InvalidFilterException("unbalanced parenthesis: unexpected ')' at position " + t.pos);
            }
            if (t.kind != Kind.END) {
                throw new InvalidFilterException("unexpected trailing input starting at " + t.describe()
                        + " (expected 'and', 'or' or end of expression)");
            }
        }
    }

    // ---------------------------------------------------------------- evaluation

    private interface Expr {
        boolean eval(ObjectNode entity);
    }

    private enum LitKind { STRING, DATE_TIME, NUMBER, BOOLEAN, NULL }

    private record Literal(LitKind kind, Object value) { }

    private static boolean compare(String op, JsonNode node, Literal lit) {
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

    private static Instant parseInstant(String text) {
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
