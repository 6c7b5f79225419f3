package io.graphsec.routes.simulator;

import io.graphsec.routes.simulator.ODataFilter.Expr;
import io.graphsec.routes.simulator.ODataFilter.InvalidFilterException;
import io.graphsec.routes.simulator.ODataFilter.LitKind;
import io.graphsec.routes.simulator.ODataFilter.Literal;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a $filter expression into an {@link ODataFilter} expression tree by recursive descent, failing
 * with Graph's kind of 400 message (position and what was expected) on anything Graph would refuse.
 */
final class ODataFilterParser {

    /** The expression tree; {@code allowed} are the property names the resource may filter on. */
    static Expr parse(String expression, Set<String> allowed) {
        ODataFilterParser parser = new ODataFilterParser(tokenize(expression), allowed);
        Expr root = parser.parseOr();
        parser.expectEnd();
        return root;
    }

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

    private final List<Token> tokens;
    private final Set<String> allowed;
    private int index;

    private ODataFilterParser(List<Token> tokens, Set<String> allowed) {
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
    private Expr parseOr() {
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
        return e -> ODataFilter.compare(op, e.get(name), literal);
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
            Instant instant = ODataFilter.parseInstant(text);
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

    private void expectEnd() {
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
