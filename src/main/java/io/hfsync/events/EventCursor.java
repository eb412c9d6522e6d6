package io.hfsync.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hfsync.store.DataFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * How far the change events have been delivered (docs/events.md), in {@code DATA_DIR/events_cursor.json}: every change log
 * named before {@code change_log} is delivered, and of that one the events up to {@code phase} / {@code after_id}. A
 * few bytes, written to a temporary file, forced to disk and renamed over the old one (never half a cursor).
 *
 * @param changeLog the change log's file name ({@code 20261125T020000Z.json})
 * @param phase     what of that change log is delivered
 * @param afterId   in {@link Phase#MODELS} and {@link Phase#REMOVED}: the last model id delivered in that phase
 */
public record EventCursor(String changeLog, Phase phase, String afterId) {

    public static final String FILE = DataFiles.EVENTS_CURSOR;

    /** The events of one change log, in the order they are sent. */
    public enum Phase {
        /** Nothing of the change log yet. */
        START,
        /** {@code model.added} and {@code model.updated}, in the catalog's id order, up to afterId. */
        MODELS,
        /** Every model event, and {@code model.removed} in id order up to afterId. */
        REMOVED,
        /** Everything, {@code sync.completed} included. */
        DONE
    }

    /** Nothing delivered of {@code changeLog} (and everything before it). */
    public static EventCursor before(String changeLog) {
        return new EventCursor(changeLog, Phase.START, null);
    }

    /** The stored cursor, or null when there is none (events were never sent from this data directory). */
    public static EventCursor read(Path dataDir) throws IOException {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(dataDir.resolve(FILE).toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return null;
        }
        if (node == null || !node.hasNonNull("change_log") || !node.hasNonNull("phase")) {
            throw new IOException(FILE + " is not an events cursor");
        }
        JsonNode after = node.get("after_id");
        return new EventCursor(node.get("change_log").asText(),
                Phase.valueOf(node.get("phase").asText().toUpperCase(java.util.Locale.ROOT)),
                after == null || after.isNull() ? null : after.asText());
    }

    public void write(Path dataDir) throws IOException {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("change_log", changeLog);
        node.put("phase", phase.name().toLowerCase(java.util.Locale.ROOT));
        node.put("after_id", afterId);
        byte[] bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        Path temp = dataDir.resolve("." + FILE + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        Files.move(temp, dataDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** For the log: where the next run starts. */
    public String describe() {
        return switch (phase) {
            case START -> DataFiles.CHANGE_LOG_DIR + "/" + changeLog;
            case MODELS -> DataFiles.CHANGE_LOG_DIR + "/" + changeLog + ", models after " + afterId;
            case REMOVED -> DataFiles.CHANGE_LOG_DIR + "/" + changeLog + ", removals after " + afterId;
            case DONE -> "the change log after " + DataFiles.CHANGE_LOG_DIR + "/" + changeLog;
        };
    }

    /** Whether the event at (changeLog, phase, id) is delivered already. */
    boolean covers(String log, Phase eventPhase, String id) {
        int byLog = log.compareTo(changeLog);
        if (byLog != 0) {
            return byLog < 0;
        }
        if (eventPhase != phase) {
            return eventPhase.ordinal() < phase.ordinal();
        }
        if (phase == Phase.DONE || phase == Phase.START) {
            return phase == Phase.DONE;
        }
        return id != null && afterId != null && id.compareTo(afterId) <= 0;
    }
}
