package io.hfsync.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Reads a change log ({@code changes/<time>.json}) as a stream: its scalar keys and array lengths in one pass, and
 * each id array through its own parser, so a first sync's 200,000 ids are never a list on the heap.
 */
final class ChangeLogFile {

    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** What a change log says about its run, for {@code sync.completed}; null where an older change log lacks it. */
    record Summary(String syncTime, String syncMode, String modeReason, int added, int updated, int removed,
            Integer totalModels, Integer detailsPending, boolean hasRemovedModels) {
    }

    private ChangeLogFile() {
    }

    static Summary summary(Path file) throws IOException {
        String syncTime = null;
        String syncMode = null;
        String modeReason = null;
        Integer total = null;
        Integer pending = null;
        int added = 0;
        int updated = 0;
        int removed = 0;
        boolean removedModels = false;
        try (JsonParser parser = Json.MAPPER.createParser(file.toFile())) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, file);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "sync_time" -> syncTime = text(parser, value);
                    case "sync_mode" -> syncMode = text(parser, value);
                    case "mode_reason" -> modeReason = text(parser, value);
                    case "total_models" -> total = value.isNumeric() ? parser.getIntValue() : null;
                    case "details_pending" -> pending = value.isNumeric() ? parser.getIntValue() : null;
                    case "added" -> added = count(parser, value);
                    case "updated" -> updated = count(parser, value);
                    case "removed" -> removed = count(parser, value);
                    case "removed_models" -> {
                        removedModels = value == JsonToken.START_ARRAY;
                        parser.skipChildren();
                    }
                    default -> parser.skipChildren();
                }
            }
        }
        if (syncTime == null) {
            syncTime = timeOfName(file.getFileName().toString());
        }
        return new Summary(syncTime, syncMode, modeReason, added, updated, removed, total, pending, removedModels);
    }

    /** {@code 20261125T020000Z.json} → {@code 2026-11-25T02:00:00Z}. */
    static String timeOfName(String name) {
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return LocalDateTime.parse(stem, NAME).atOffset(ZoneOffset.UTC).toInstant().toString();
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_NULL ? null : parser.getText();
    }

    private static int count(JsonParser parser, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return 0;
        }
        int n = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            parser.skipChildren();
            n++;
        }
        return n;
    }

    private static void expect(JsonToken token, JsonToken wanted, Path file) throws IOException {
        if (token != wanted) {
            throw new IOException(file + " is not a change log");
        }
    }

    /** The elements of one array of the change log, one at a time: ids (strings) or removed models (objects). */
    static final class ArrayReader implements Closeable {

        private final JsonParser parser;
        private boolean done;

        /** An empty reader when the change log has no such array. */
        ArrayReader(Path file, String field) throws IOException {
            parser = Json.MAPPER.createParser(file.toFile());
            expect(parser.nextToken(), JsonToken.START_OBJECT, file);
            while (true) {
                if (parser.nextToken() != JsonToken.FIELD_NAME) {
                    done = true;
                    return;
                }
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(field) && value == JsonToken.START_ARRAY) {
                    return;
                }
                parser.skipChildren();
            }
        }

        /** The next element, or null at the end of the array. */
        JsonNode next() throws IOException {
            if (done) {
                return null;
            }
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY || token == null) {
                done = true;
                return null;
            }
            return Json.MAPPER.readTree(parser);
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }
}
