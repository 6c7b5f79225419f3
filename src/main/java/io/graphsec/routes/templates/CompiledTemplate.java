package io.graphsec.routes.templates;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.Code;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.codes.IterableCode;
import com.github.mustachejava.codes.ValueCode;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One template file's text, compiled with the escaping its name chooses ({@link TemplateKind}), and
 * rendered against a scope a bean made of plain values (strings, numbers, booleans, maps, lists):
 * mustache.java then finds nothing to call, and a value is only ever written, never read as a
 * template. A {@code .json} template's output is checked to be one JSON value and written compact.
 */
public final class CompiledTemplate {

    static final ObjectMapper JSON = new ObjectMapper()
            // A template that writes a field twice (or a value that did) is refused, not silently half-applied.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final String name;
    private final TemplateKind kind;
    private final Mustache mustache;

    private CompiledTemplate(String name, TemplateKind kind, Mustache mustache) {
        this.name = name;
        this.kind = kind;
        this.mustache = mustache;
    }

    /** {@code name}: the file's location, whose ending sets the escaping and which messages name. */
    public static CompiledTemplate compile(String name, String text) {
        TemplateKind kind = TemplateKind.of(name);
        try {
            return new CompiledTemplate(name, kind, new EscapingMustacheFactory(kind).compile(new StringReader(text), name));
        } catch (MustacheException e) {
            throw new IllegalStateException("template " + name + " does not compile: " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    /**
     * The names the template's value tags and sections use ({@code alert.title}, {@code level.high}), in
     * order, sections' own included: for a check of the names against the scope a bean gives.
     */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        collect(mustache.getCodes(), names);
        return names;
    }

    private static void collect(Code[] codes, List<String> names) {
        for (Code code : codes == null ? new Code[0] : codes) {
            if (code instanceof ValueCode || code instanceof IterableCode) {
                names.add(code.getName().trim());
            }
            if (code instanceof IterableCode) {
                collect(code.getCodes(), names);
            }
        }
    }

    public String render(Map<String, Object> scope) {
        StringWriter out = new StringWriter();
        mustache.execute(out, scope);
        if (kind != TemplateKind.JSON) {
            return out.toString();
        }
        try {
            JsonNode tree = JSON.readTree(out.toString());
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            // Jackson's message quotes no input (source location is off by default), so no alert text reaches a log here.
            throw new IllegalStateException("template " + name + " did not render one JSON value: " + e.getOriginalMessage());
        }
    }
}
