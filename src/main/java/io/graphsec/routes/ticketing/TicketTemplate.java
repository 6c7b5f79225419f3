package io.graphsec.routes.ticketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template syntax of routes/ticket-mapping.yaml. A string may hold placeholders
 * {@code ${path}}: a dotted path into the context (roots {@link #ROOTS}); {@code ${a.b|c.d|'text'}}
 * takes the first alternative that is not empty; {@code ${a.b:160}} makes the value one line
 * (control characters become spaces) of at most 160 characters. A string that is exactly one
 * placeholder without a length keeps the value's JSON type (an array stays an array). An object
 * {@code {value: "${header.graphSeverity}", map: {high: "1"}, default: "3"}} looks the value up.
 * Results are JSON nodes put into a body by Jackson, so a title with quotes, CRLF or markup can
 * never break out of its field.
 */
final class TicketTemplate {

    static final Set<String> ROOTS = Set.of("alert", "incident", "entity", "header", "ticket", "target", "note",
            "correlationKey", "correlationLabel", "tenant", "event", "unitId");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TicketTemplate() {
    }

    /** Renders a mapping node (string, object, array, scalar) against the context. */
    static JsonNode render(JsonNode template, JsonNode context, String where) {
        if (template == null || template.isMissingNode() || template.isNull()) {
            return NODES.nullNode();
        }
        if (template.isTextual()) {
            return renderText(template.asText(), context, where);
        }
        if (template.isObject() && template.has("map")) {
            return lookUp(template, context, where);
        }
        if (template.isObject()) {
            ObjectNode out = NODES.objectNode();
            template.fields().forEachRemaining(f -> out.set(f.getKey(), render(f.getValue(), context, where + "." + f.getKey())));
            return out;
        }
        if (template.isArray()) {
            ArrayNode out = NODES.arrayNode();
            for (JsonNode item : template) {
                JsonNode v = render(item, context, where + "[]");
                if (!(v.isNull() || v.isTextual() && v.asText().isBlank())) {
                    out.add(v);
                }
            }
            return out;
        }
        return template;
    }

    static String text(JsonNode template, JsonNode context, String where) {
        JsonNode v = render(template, context, where);
        return v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
    }

    /** The placeholders' problems (unknown root, bad length) in a mapping subtree; empty if none. */
    static List<String> problems(JsonNode template, String where) {
        List<String> out = new ArrayList<>();
        if (template.isTextual()) {
            Matcher m = PLACEHOLDER.matcher(template.asText());
            while (m.find()) {
                Expression e;
                try {
                    e = Expression.parse(m.group(1));
                } catch (IllegalArgumentException ex) {
                    out.add(where + ": " + ex.getMessage());
                    continue;
                }
                for (String alt : e.alternatives) {
                    String root = alt.split("\\.", 2)[0];
                    if (!alt.startsWith("'") && !ROOTS.contains(root)) {
                        out.add(where + ": '${" + m.group(1) + "}' starts with '" + root + "'; known: "
                                + String.join(", ", new java.util.TreeSet<>(ROOTS)));
                    }
                }
            }
        } else if (template.isContainerNode()) {
            template.fields().forEachRemaining(f -> out.addAll(problems(f.getValue(), where + "." + f.getKey())));
            if (template.isArray()) {
                template.forEach(item -> out.addAll(problems(item, where + "[]")));
            }
        }
        return out;
    }

    private static JsonNode renderText(String text, JsonNode context, String where) {
        Matcher whole = PLACEHOLDER.matcher(text);
        if (whole.matches()) {
            Expression e = Expression.parse(whole.group(1));
            if (e.maxLength < 0) {
                JsonNode v = e.evaluate(context);
                return v == null ? TextNode.valueOf("") : v;
            }
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode v = Expression.parse(m.group(1)).evaluateText(context);
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : v.asText()));
        }
        m.appendTail(out);
        return TextNode.valueOf(out.toString());
    }

    private static JsonNode lookUp(JsonNode template, JsonNode context, String where) {
        String key = text(template.path("value"), context, where);
        JsonNode mapped = template.path("map").get(key);
        if (mapped != null) {
            return render(mapped, context, where);
        }
        if (template.has("default")) {
            return render(template.get("default"), context, where);
        }
        throw new TicketingRejectedException("ticket mapping " + where + ": no entry for '" + shorten(key, 80)
                + "' in its map and no default");
    }

    static String shorten(String s, int max) {
        String line = s.replaceAll("\\p{Cntrl}", " ");
        return line.length() <= max ? line : line.substring(0, Math.max(0, max - 1)) + "…";
    }

    /** {@code a.b|c|'literal'[:max]}. */
    private record Expression(List<String> alternatives, int maxLength) {

        static Expression parse(String raw) {
            String body = raw.trim();
            int max = -1;
            Matcher len = Pattern.compile(":(\\d+)$").matcher(body);
            if (len.find()) {
                max = Integer.parseInt(len.group(1));
                body = body.substring(0, len.start());
            }
            List<String> alts = new ArrayList<>();
            for (String alt : body.split("\\|")) {
                String a = alt.trim();
                if (a.isEmpty()) {
                    throw new IllegalArgumentException("empty alternative in '${" + raw + "}'");
                }
                alts.add(a);
            }
            return new Expression(alts, max);
        }

        JsonNode evaluate(JsonNode context) {
            for (String alt : alternatives) {
                JsonNode v;
                if (alt.startsWith("'") && alt.endsWith("'") && alt.length() >= 2) {
                    v = TextNode.valueOf(alt.substring(1, alt.length() - 1));
                } else {
                    v = context;
                    for (String part : alt.split("\\.")) {
                        v = v.path(part);
                    }
                }
                if (!v.isMissingNode() && !v.isNull() && !(v.isTextual() && v.asText().isEmpty())
                        && !(v.isContainerNode() && v.isEmpty())) {
                    return v;
                }
            }
            return null;
        }

        JsonNode evaluateText(JsonNode context) {
            JsonNode v = evaluate(context);
            if (v == null) {
                return null;
            }
            String s;
            if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(i -> items.add(i.isValueNode() ? i.asText() : i.toString()));
                s = String.join(", ", items);
            } else {
                s = v.isValueNode() ? v.asText() : v.toString();
            }
            return TextNode.valueOf(maxLength < 0 ? s : shorten(s, maxLength));
        }
    }
}
