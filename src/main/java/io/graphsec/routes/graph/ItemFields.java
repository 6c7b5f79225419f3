package io.graphsec.routes.graph;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of a polled item that the poll itself reads (its id and version, what the enricher
 * turns into headers): only these become the item's tree, the rest is skipped by the parser. The
 * message body is the item's text as Graph sent it ({@link GraphPage}), so nothing is lost
 * downstream. A whole tree per alert was a fifth of the poll thread (docs/performance.md).
 */
public final class ItemFields {

    /** The field's whole value. */
    public static final ItemFields WHOLE = new ItemFields(null, List.of());

    private final Map<String, ItemFields> fields;
    private final List<String> keys;

    private ItemFields(Map<String, ItemFields> fields, List<String> keys) {
        this.fields = fields;
        this.keys = keys;
    }

    /** Only these fields of an object (or of each object in an array), each with its whole value. */
    public static ItemFields whole(String... names) {
        Map<String, ItemFields> fields = new LinkedHashMap<>();
        for (String name : names) {
            fields.put(name, WHOLE);
        }
        return new ItemFields(Map.copyOf(fields), List.of());
    }

    /** These fields and {@code name}, of which only {@code fields} are read. */
    public ItemFields and(String name, ItemFields fields) {
        Map<String, ItemFields> more = new LinkedHashMap<>(this.fields);
        more.put(name, fields);
        return new ItemFields(Map.copyOf(more), keys);
    }

    /**
     * These fields, of which {@code keys} identify an item: one without them as non-blank strings is
     * read whole, because the poll then keys it by its whole content.
     */
    public ItemFields keyedBy(String... keys) {
        return new ItemFields(fields, List.of(keys));
    }

    /** The value the parser is at, as a tree of the chosen fields. */
    JsonNode read(ObjectMapper mapper, JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (fields == null || (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY)) {
            return mapper.readTree(p);
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayNode array = mapper.createArrayNode();
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new JsonParseException(p, "the item ends inside an array");
                }
                array.add(read(mapper, p));
            }
            return array;
        }
        ObjectNode object = mapper.createObjectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            ItemFields field = fields.get(name);
            if (field == null) {
                p.skipChildren();
            } else {
                object.set(name, field.read(mapper, p));
            }
        }
        return object;
    }

    /** Whether a tree read with these fields identifies its item (see {@link #keyedBy}). */
    boolean identifies(JsonNode item) {
        for (String key : keys) {
            JsonNode v = item.get(key);
            if (v == null || !v.isTextual() || v.asText().isBlank()) {
                return false;
            }
        }
        return true;
    }
}
