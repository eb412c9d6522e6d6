package io.hfsync.database;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.catalog.DataFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * {@code gguf_models.json} read the way the databases need it: one model at a time with Jackson's streaming parser,
 * so a 200,000-model catalog (about 210 MB) is never in memory as a whole.
 */
final class CatalogFile {

    static final String NAME = DataFiles.CATALOG;
    private static final ObjectMapper JSON = new ObjectMapper();

    @FunctionalInterface
    interface ModelVisitor {
        void model(ModelBytes model) throws IOException, SQLException;
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
    static final class ModelBytes {

        private static final byte[] NO_FILES = "[]".getBytes(StandardCharsets.UTF_8);

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

        /** The model's entry without its files, as bytes hashed (the catalog is written the same way every run). */
        long entryHash() {
            return filesStart < 0 ? hash(bytes, 0, bytes.length, null, 0, 0)
                    : hash(bytes, 0, filesStart, bytes, filesEnd, bytes.length - filesEnd);
        }

        long filesHash() {
            return filesStart < 0 ? hash(NO_FILES, 0, NO_FILES.length, null, 0, 0)
                    : hash(bytes, filesStart, filesEnd - filesStart, null, 0, 0);
        }

        /** The model as a tree, for a model that is written. */
        JsonNode tree() throws IOException {
            return JSON.readTree(bytes);
        }

        /**
         * 64 bits that change with any change of the bytes: CRC-32C and CRC-32 side by side (two different
         * polynomials, both computed by the processor's own instructions: a tenth of SHA-256's cost on a 200 MB
         * catalog). Not a defence against crafted input, and the catalog is our own file; never 0, which stands for
         * "no hash".
         */
        private static long hash(byte[] a, int aFrom, int aLength, byte[] b, int bFrom, int bLength) {
            CRC32C castagnoli = new CRC32C();
            CRC32 ieee = new CRC32();
            castagnoli.update(a, aFrom, aLength);
            ieee.update(a, aFrom, aLength);
            if (b != null) {
                castagnoli.update(b, bFrom, bLength);
                ieee.update(b, bFrom, bLength);
            }
            long hash = castagnoli.getValue() << 32 | ieee.getValue();
            return hash == 0L ? 1L : hash;
        }
    }
}
