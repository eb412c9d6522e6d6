package io.hfsync.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.CatalogMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The catalog file a run starts from, streamed once into the run's {@link Slots}: each model is read and checked, and
 * only its id, revision hash, byte range and a few flags are kept. A file this product wrote (its metadata printed
 * exactly as {@link EntryBytes} prints it) is scanned without binding its models, whose bytes are then copied as they
 * are; any other (the seed's file, a hand-formatted one) is bound model by model and re-printed when written.
 */
final class CatalogScan {

    private static final String[] TAIL_FIELDS = {"gguf_header", "gguf_header_error", "mmproj_bytes", "files"};

    private final Slots slots;
    private String runStart;

    private CatalogScan(Slots slots) {
        this.slots = slots;
    }

    /**
     * Reads {@code catalog} into {@code slots}. Fails with a {@link CatalogUnreadableException} naming the problem when
     * the file is not a catalog, with a {@link CatalogOverLimitException} when it is beyond a limit of this product's
     * own reads, with a plain {@link IOException} when it cannot be read.
     *
     * @return when the run that published the file started ({@code metadata.last_sync_time}), or null
     */
    static String read(Path catalog, Slots slots) throws IOException {
        CatalogScan scan = new CatalogScan(slots);
        try (InputStream in = Files.newInputStream(catalog); JsonParser parser = CatalogJson.MAPPER.createParser(in)) {
            scan.scan(parser);
        } catch (StreamConstraintsException | CatalogSpool.TooLongException e) {
            throw new CatalogOverLimitException(e instanceof JsonProcessingException json ? json.getOriginalMessage()
                    : e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new CatalogUnreadableException(e.getOriginalMessage(), e);
        }
        return scan.runStart;
    }

    private void scan(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new CatalogUnreadableException("not a JSON object");
        }
        boolean models = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("metadata".equals(field) && !models && value == JsonToken.START_OBJECT) {
                slots.catalogIsCanonical = isCanonicalMetadata(parser);
            } else if ("models".equals(field)) {
                if (value != JsonToken.START_ARRAY) {
                    throw new CatalogUnreadableException("no models array");
                }
                models = true;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (slots.catalogIsCanonical) {
                        scanModel(parser);
                    } else {
                        bindModel(parser);
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        if (!models) {
            throw new CatalogUnreadableException("no models array");
        }
    }

    /**
     * A catalog this product wrote begins with its metadata printed exactly as {@link EntryBytes} prints it; then
     * its models can be copied byte for byte. Anything else (the seed's file, a hand-formatted one) is re-printed.
     */
    private boolean isCanonicalMetadata(JsonParser parser) throws IOException {
        long start = parser.currentTokenLocation().getByteOffset();
        CatalogMetadata metadata = CatalogJson.MAPPER.readValue(parser, CatalogMetadata.class);
        runStart = metadata == null ? null : metadata.lastSyncTime();
        long length = parser.currentLocation().getByteOffset() - start;
        byte[] printed = EntryBytes.render(metadata, 1);
        return printed.length == length
                && Arrays.equals(printed, slots.spool.read(CatalogSpool.catalogRef(start, length)));
    }

    /** Fast path (our own file): id, revision and where the model and its files value lie; nothing else is bound. */
    private void scanModel(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new CatalogUnreadableException("a model that is not an object");
        }
        long start = parser.currentTokenLocation().getByteOffset();
        String id = null;
        String sha = null;
        String lastModified = null;
        boolean pending = false;
        long downloads = -1;
        long tailRef = CatalogSpool.NONE;
        long tailStart = -1;
        boolean earlier = false;
        boolean fromListing = false;
        boolean capabilities = false;
        boolean header = false;
        String headerError = null;
        boolean completeWeights = false;
        // the last fields must be the tail's, in EntryBytes' order, for the tail to be copied as one piece
        String[] lastFields = new String[4];
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            System.arraycopy(lastFields, 1, lastFields, 0, lastFields.length - 1);
            lastFields[lastFields.length - 1] = field;
            switch (field) {
                case "id" -> id = text(parser, value, field);
                case "sha" -> sha = text(parser, value, field);
                case "last_modified" -> lastModified = text(parser, value, field);
                case "details_pending" -> pending = value == JsonToken.VALUE_TRUE;
                case "downloads" -> downloads = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                case "gguf_header" -> {
                    tailStart = parser.currentTokenLocation().getByteOffset();
                    header = value != JsonToken.VALUE_NULL;
                    parser.skipChildren();
                }
                case "gguf_header_error" -> {
                    headerError = value == JsonToken.VALUE_NULL ? null : parser.getText();
                    parser.skipChildren();
                }
                case "files" -> {
                    // the header reason comes before the files (EntryBytes' order); where it does not, the files are
                    // not looked through and the reason stands, as it did before
                    int files = EarlierEntries.scanFiles(parser, CatalogEntry.NO_WEIGHTS_FILE.equals(headerError));
                    earlier |= (files & EarlierEntries.LACKS_DERIVED_FIELDS) != 0;
                    fromListing = (files & EarlierEntries.SIZED_FROM_LISTING) != 0;
                    completeWeights = (files & EarlierEntries.COMPLETE_WEIGHTS_FILE) != 0;
                    if (tailStart >= 0) {
                        tailRef = CatalogSpool.catalogRef(tailStart, parser.currentLocation().getByteOffset() - tailStart);
                    }
                }
                case "capabilities" -> {
                    capabilities = value != JsonToken.VALUE_NULL;
                    parser.skipChildren();
                }
                default -> parser.skipChildren();
            }
        }
        if (id == null) {
            throw new CatalogUnreadableException("a model without id");
        }
        long end = parser.currentLocation().getByteOffset();
        // as CatalogEntry.headerRead(): a read is done, save a "no complete weights file" given to files that have one
        header |= headerError != null && !CatalogEntry.healable(headerError, completeWeights);
        // printed before the header and the memory estimates (or in another order): re-printed, never copied
        earlier |= !Arrays.equals(lastFields, TAIL_FIELDS);
        slots.addBefore(id, RevisionHash.of(sha, lastModified), CatalogSpool.catalogRef(start, end - start), tailRef,
                earlier || !capabilities, pending, downloads, fromListing, header);
    }

    /** Slow path (a file printed some other way): every model bound and checked, re-printed when written. */
    private void bindModel(JsonParser parser) throws IOException {
        long start = parser.currentTokenLocation().getByteOffset();
        CatalogEntry entry = parser.currentToken() == JsonToken.VALUE_NULL ? null : EntryBytes.ENTRY_READER.readValue(parser);
        if (entry == null || entry.id() == null) {
            throw new CatalogUnreadableException("a model without id");
        }
        long end = parser.currentLocation().getByteOffset();
        slots.addBefore(entry, CatalogSpool.catalogRef(start, end - start));
    }

    private static String text(JsonParser parser, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw new CatalogUnreadableException("a model whose " + field + " is not text");
        }
        return parser.getText();
    }
}
