package io.graphsec.routes.graph;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A Graph page read once: its tree (what the poller and the enrichers look at) and, for each item
 * of {@code value}, the item's JSON text exactly as Graph sent it, which becomes the message body.
 * Writing every item's tree back to text used to cost a tenth of the poll thread
 * (docs/performance.md).
 */
record GraphPage(JsonNode tree, Map<JsonNode, String> itemTexts) {

    /**
     * Reads a page whose items become trees of {@code fields} only (their texts stay whole); a body
     * that is not a JSON object is returned as a tree alone (the poller refuses it).
     */
    static GraphPage read(ObjectMapper mapper, byte[] bytes, ItemFields fields) throws IOException {
        Map<JsonNode, String> texts = new IdentityHashMap<>();
        try (JsonParser p = mapper.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new GraphPage(mapper.readTree(bytes), Map.of());
            }
            ObjectNode page = mapper.createObjectNode();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() == JsonToken.START_ARRAY && field.equals("value")) {
                    ArrayNode items = page.putArray(field);
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (t == null) {
                            throw new JsonParseException(p, "the page ends inside \"value\"");
                        }
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        JsonNode item = fields.read(mapper, p);
                        int end = (int) p.currentLocation().getByteOffset();
                        String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
                        if (item.isObject() && !fields.identifies(item)) {
                            item = mapper.readTree(text);
                        }
                        items.add(item);
                        texts.put(item, text);
                    }
                } else {
                    page.set(field, mapper.readTree(p));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new JsonParseException(p, "the page ends before its closing brace");
            }
            return new GraphPage(page, texts);
        }
    }
}
