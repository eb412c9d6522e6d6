package io.hfsync.database;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * {@code gguf_models.json} read the way the databases need it: one model at a time with Jackson's streaming parser,
 * so a 200,000-model catalog (about 210 MB) is never in memory as a whole.
 */
final class CatalogFile {

    static final String NAME = "gguf_models.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @FunctionalInterface
    interface ModelVisitor {
        void model(JsonNode model) throws IOException, SQLException;
    }

    private CatalogFile() {
    }

    /** The catalog's {@code metadata.last_sync_time} (the run that wrote it), or null when there is none. */
    static String lastSyncTime(Path catalog) throws IOException {
        if (!Files.exists(catalog)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(catalog); JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if ("metadata".equals(field)) {
                    JsonNode metadata = JSON.readTree(parser);
                    JsonNode time = metadata == null ? null : metadata.get("last_sync_time");
                    return time == null || time.isNull() ? null : time.asText();
                }
                parser.skipChildren();
            }
            return null;
        }
    }

    /** Hands every model of the catalog to {@code visitor}, in the file's (id) order; a missing file has none. */
    static void forEachModel(Path catalog, ModelVisitor visitor) throws IOException, SQLException {
        if (!Files.exists(catalog)) {
            return;
        }
        try (InputStream in = Files.newInputStream(catalog); JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(catalog + " is not a catalog: not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("models".equals(field) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        JsonNode model = JSON.readTree(parser);
                        if (model.path("id").isTextual()) {
                            visitor.model(model);
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
    }
}
