package io.graphsec.routes.graph;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * A page holding an item nested deeper than Jackson's default limit (1000 levels, hostile or
 * broken evidence): read again with a far higher limit, and each too-deep item replaced by a
 * stub holding its id and why ({@link CollectionPoller#UNREADABLE}), which the enricher
 * dead-letters. The rest of the page is delivered; without this the page would fail at every poll
 * and polling stall.
 */
final class DeepPageReader {

    private static final int MAX_ITEM_DEPTH = 1000;
    private static final ObjectMapper DEEP_MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200_000).build()).build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final PollSettings settings;

    DeepPageReader(PollSettings settings) {
        this.settings = settings;
    }

    JsonNode read(byte[] bytes, PollProgress p) {
        JsonNode page;
        try {
            page = DEEP_MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new GraphPageException(settings.resource() + " page " + (p.pages + 1) + " is not valid JSON: "
                    + e.getMessage(), e);
        }
        if (page != null && page.path("value").isArray()) {
            ArrayNode items = (ArrayNode) page.get("value");
            for (int i = 0; i < items.size(); i++) {
                if (depthExceeds(items.get(i), MAX_ITEM_DEPTH)) {
                    items.set(i, unreadableStub(items.get(i)));
                }
            }
        }
        return page;
    }

    private ObjectNode unreadableStub(JsonNode item) {
        ObjectNode stub = DEEP_MAPPER.createObjectNode();
        for (String field : List.of("id", settings.watermarkField())) {
            if (item.path(field).isTextual()) {
                stub.put(field, item.path(field).asText());
            }
        }
        stub.put(CollectionPoller.UNREADABLE, "the item is nested deeper than " + MAX_ITEM_DEPTH + " levels");
        return stub;
    }

    /** Without recursion: the point is to survive nesting that would overflow the stack. */
    private static boolean depthExceeds(JsonNode root, int max) {
        ArrayDeque<Map.Entry<JsonNode, Integer>> todo = new ArrayDeque<>();
        todo.push(Map.entry(root, 1));
        while (!todo.isEmpty()) {
            Map.Entry<JsonNode, Integer> e = todo.pop();
            if (e.getValue() > max) {
                return true;
            }
            if (e.getKey().isContainerNode()) {
                e.getKey().forEach(child -> {
                    if (child.isContainerNode()) {
                        todo.push(Map.entry(child, e.getValue() + 1));
                    }
                });
            }
        }
        return false;
    }
}
