package io.hfsync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The listing position a {@code cursor} stands for: the sort key and id of the last item already served.
 * A key rather than an offset, as on the real Hub, so that a listing that changes between pages neither
 * repeats nor skips the repos that kept their place. On the wire it is base64 of a small JSON object,
 * opaque to clients.
 *
 * @param sort the {@code sort} it was made for; a cursor is only valid for the same order
 * @param key  the sort key of the last item served
 * @param id   the id of the last item served
 */
record ListingCursor(String sort, long key, String id) {

    private static final ObjectMapper JSON = new ObjectMapper();

    String encode() {
        ObjectNode position = JSON.createObjectNode();
        position.put("sort", sort);
        position.put("key", key);
        position.put("id", id);
        ObjectNode wrapper = JSON.createObjectNode();
        wrapper.set("$after", position);
        return Base64.getEncoder().encodeToString(wrapper.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The position, checked against the order it is used with; HTTP 400 when it is not a cursor of ours. */
    static ListingCursor decode(String cursor, String sort) {
        try {
            JsonNode position = JSON.readTree(Base64.getDecoder().decode(cursor)).get("$after");
            if (position == null || !position.path("key").canConvertToLong() || !position.path("id").isTextual()
                    || !sort.equals(position.path("sort").asText())) {
                throw invalid();
            }
            return new ListingCursor(sort, position.get("key").asLong(), position.get("id").asText());
        } catch (IllegalArgumentException | java.io.IOException notBase64OrJson) {
            throw invalid();
        }
    }

    private static HubError invalid() {
        return new HubError(400, "Invalid cursor");
    }
}
