package io.hfsync.database;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.store.CatalogIndex;
import io.hfsync.store.DataFiles;
import io.hfsync.store.ModelHashes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * {@code gguf_models.json} read the way the databases need it: one model at a time with Jackson's streaming parser,
 * so a 200,000-model catalog (about 210 MB) is never in memory as a whole.
 */
final class CatalogFile {

    static final String NAME = DataFiles.CATALOG;
    private static final ObjectMapper JSON = new ObjectMapper();

    @FunctionalInterface
    interface ModelVisitor {
        void model(Model model) throws IOException, SQLException;
    }

    /** One model of the catalog: its id and {@link ModelHashes}, and its tree for a model that is written. */
    interface Model {
        String id();

        long entryHash();

        long filesHash();

        JsonNode tree() throws IOException;
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

    /**
     * Hands every model of the catalog to {@code visitor}: from the writer's {@code index} when it describes the file
     * (no token of the catalog is read, only the models whose tree is asked for, from their offsets), else as
     * {@link #forEachModel(Path, ModelVisitor)} reads them.
     *
     * @return true when the index was used
     */
    static boolean forEachModel(Path catalog, CatalogIndex index, ModelVisitor visitor) throws IOException, SQLException {
        if (index == null || !index.describes(catalog)) {
            forEachModel(catalog, visitor);
            return false;
        }
        try (FileChannel bytes = FileChannel.open(catalog)) {
            for (int i = 0; i < index.size(); i++) {
                int at = i;
                visitor.model(new Model() {
                    @Override
                    public String id() {
                        return index.id(at);
                    }

                    @Override
                    public long entryHash() {
                        return index.entryHash(at);
                    }

                    @Override
                    public long filesHash() {
                        return index.filesHash(at);
                    }

                    @Override
                    public JsonNode tree() throws IOException {
                        return JSON.readTree(index.model(bytes, at));
                    }
                });
            }
        }
        return true;
    }

    /**
     * Hands every model of the catalog to {@code visitor} as its bytes, in the file's (id) order; a missing file has
     * none. Only the tokens are read here (Jackson's streaming parser), no tree: a visitor that finds a model
     * unchanged by its hashes never pays for parsing it.
     */
    static void forEachModel(Path catalog, ModelVisitor visitor) throws IOException, SQLException {
        if (!Files.exists(catalog)) {
            return;
        }
        try (InputStream in = Files.newInputStream(catalog); FileChannel bytes = FileChannel.open(catalog);
                JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(catalog + " is not a catalog: not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("models".equals(field) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        ModelBytes model = ModelBytes.read(parser, bytes);
                        if (model.id != null) {
                            visitor.model(model);
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
    }

    /** One model of the catalog as the file has it: its id, its bytes, and where its {@code files} array lies. */
    static final class ModelBytes implements Model {

        final String id;
        private final byte[] bytes;
        private final int filesStart;
        private final int filesEnd;

        private ModelBytes(String id, byte[] bytes, int filesStart, int filesEnd) {
            this.id = id;
            this.bytes = bytes;
            this.filesStart = filesStart;
            this.filesEnd = filesEnd;
        }

        /** The parser is at the model's START_OBJECT; leaves it at its END_OBJECT. */
        static ModelBytes read(JsonParser parser, FileChannel file) throws IOException {
            long start = parser.currentTokenLocation().getByteOffset();
            String id = null;
            long filesStart = -1;
            long filesEnd = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("id".equals(name) && value == JsonToken.VALUE_STRING) {
                    id = parser.getText();
                } else if ("files".equals(name) && value == JsonToken.START_ARRAY) {
                    filesStart = parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    filesEnd = parser.currentTokenLocation().getByteOffset() + 1;
                } else {
                    parser.skipChildren();
                }
            }
            long end = parser.currentTokenLocation().getByteOffset() + 1;
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(end - start));
            while (buffer.hasRemaining()) {
                if (file.read(buffer, start + buffer.position()) < 0) {
                    throw new IOException("the catalog ended inside model " + id);
                }
            }
            return new ModelBytes(id, buffer.array(), filesStart < 0 ? -1 : (int) (filesStart - start),
                    filesEnd < 0 ? -1 : (int) (filesEnd - start));
        }

        @Override
        public String id() {
            return id;
        }

        /** The model's entry without its files, as bytes hashed (the catalog is written the same way every run). */
        @Override
        public long entryHash() {
            return ModelHashes.entryHash(bytes, 0, bytes.length, filesStart, filesEnd);
        }

        @Override
        public long filesHash() {
            return ModelHashes.filesHash(bytes, 0, filesStart, filesEnd);
        }

        /** The model as a tree, for a model that is written. */
        @Override
        public JsonNode tree() throws IOException {
            return JSON.readTree(bytes);
        }
    }
}
