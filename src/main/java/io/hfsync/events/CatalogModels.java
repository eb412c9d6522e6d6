package io.hfsync.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The published catalog's models in file order (sorted by id), read as a stream: a model's id first, and the rest of
 * it only when asked for, so the events of a 0.5 % day skip the other 99.5 % of a 200 MB catalog without building it.
 */
final class CatalogModels implements Closeable {

    private final JsonParser parser;
    private boolean done;
    /** A model whose id was not its first key: read whole. */
    private ObjectNode whole;
    /** Positioned after the id of a model whose rest is not read yet. */
    private boolean inModel;

    CatalogModels(Path catalog) throws IOException {
        parser = Json.MAPPER.createParser(catalog.toFile());
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException(catalog + " is not a catalog");
        }
        while (true) {
            if (parser.nextToken() != JsonToken.FIELD_NAME) {
                throw new IOException(catalog + " has no models array");
            }
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("models".equals(name) && value == JsonToken.START_ARRAY) {
                return;
            }
            parser.skipChildren();
        }
    }

    /** Moves to the next model and returns its id, or null after the last one. */
    String nextId() throws IOException {
        if (inModel) {
            skipRest();
        }
        whole = null;
        while (!done) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                done = true;
                return null;
            }
            JsonToken first = parser.nextToken();
            if (first == JsonToken.FIELD_NAME && "id".equals(parser.currentName())
                    && parser.nextToken() == JsonToken.VALUE_STRING) {
                inModel = true;
                return parser.getText();
            }
            // not printed by this product (id first): read the model whole
            ObjectNode node = Json.MAPPER.createObjectNode();
            readFields(node, first);
            if (node.hasNonNull("id")) {
                whole = node;
                return node.get("id").asText();
            }
        }
        return null;
    }

    /** The current model (the one {@link #nextId()} returned) with all its keys. */
    ObjectNode model(String id) throws IOException {
        if (whole != null) {
            return whole;
        }
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", id);
        readFields(node, parser.nextToken());
        inModel = false;
        return node;
    }

    private void readFields(ObjectNode node, JsonToken first) throws IOException {
        JsonToken token = first;
        while (token == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            node.set(name, Json.MAPPER.readTree(parser));
            token = parser.nextToken();
        }
    }

    private void skipRest() throws IOException {
        JsonToken token = parser.nextToken();
        while (token == JsonToken.FIELD_NAME) {
            parser.nextToken();
            parser.skipChildren();
            token = parser.nextToken();
        }
        inModel = false;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
