package io.graphsec.routes.graph;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an item of a collection is known by: its key and its version, which the version store
 * dedups on and the Artemis duplicate id is made of.
 */
final class ItemKeys {

    private ItemKeys() {
    }

    /** The entity id, or a digest of its JSON when it has no usable id (so bad items dedup too). */
    static String keyOf(JsonNode entity) {
        JsonNode id = entity.path("id");
        return id.isTextual() && !id.asText().isBlank() ? id.asText() : "sha256:" + digest(entity.toString());
    }

    /** The entity's watermark field, or a digest of its JSON when it has none. */
    static String versionOf(JsonNode entity, String watermarkField) {
        JsonNode v = entity.path(watermarkField);
        return v.isTextual() ? v.asText() : "sha256:" + digest(entity.toString());
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
