package io.hfsync.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.store.DataFiles;
import io.hfsync.events.EventCursor.Phase;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

/**
 * The change events not delivered yet (docs/events.md), oldest change log first, read from the change logs under
 * {@code changes/} (the outbox) and the published catalog, one event at a time. Per change log: {@code model.added}
 * and {@code model.updated} in the catalog's id order (an id the catalog no longer holds was removed since, and its
 * {@code model.removed} follows in a later change log), then {@code model.removed} in id order, then
 * {@code sync.completed}. A model event carries the model as the catalog holds it now (a newer revision than its
 * run saw, when redelivered after a later run changed it); dedupe on (id, sha, type).
 */
final class Outbox implements Iterator<OutboxEvent>, Closeable {

    static final String CHANGE_LOGS = DataFiles.CHANGE_LOG_DIR;
    static final String CATALOG = DataFiles.CATALOG;

    private final Path dataDir;
    private final EventCursor delivered;
    private final Deque<Path> logs;
    /** Change logs the cursor points past, that were pruned before their events went out. */
    private final List<String> lost = new ArrayList<>();

    private Path log;
    private String logName;
    private ChangeLogFile.Summary summary;
    private Phase phase;
    private ChangeLogFile.ArrayReader added;
    private ChangeLogFile.ArrayReader updated;
    private ChangeLogFile.ArrayReader removed;
    private CatalogModels catalog;
    private String nextAdded;
    private String nextUpdated;
    private OutboxEvent next;

    /** @param newest the newest change log to read: the sending run's own (a later run's may be ahead of its catalog) */
    Outbox(Path dataDir, EventCursor delivered, String newest) throws IOException {
        this.dataDir = dataDir;
        this.delivered = delivered;
        this.logs = new ArrayDeque<>();
        Path dir = dataDir.resolve(CHANGE_LOGS);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> DataFiles.isChangeLog(p.getFileName().toString()))
                        .sorted()
                        .filter(p -> p.getFileName().toString().compareTo(delivered.changeLog()) >= 0)
                        .filter(p -> p.getFileName().toString().compareTo(newest) <= 0)
                        .forEach(logs::add);
            }
        }
        if (delivered.phase() != Phase.START
                && (logs.isEmpty() || !logs.peekFirst().getFileName().toString().equals(delivered.changeLog()))) {
            lost.add(delivered.changeLog());
        }
    }

    /** The change log the cursor stood in, when it has been pruned meanwhile (its remaining events are gone). */
    List<String> lost() {
        return lost;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = advance();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return next != null;
    }

    @Override
    public OutboxEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        OutboxEvent event = next;
        next = null;
        return event;
    }

    private OutboxEvent advance() throws IOException {
        while (true) {
            if (log == null) {
                if (logs.isEmpty()) {
                    return null;
                }
                openLog(logs.removeFirst());
            }
            OutboxEvent event = switch (phase) {
                case START -> null;
                case MODELS -> nextModelEvent();
                case REMOVED -> nextRemovedEvent();
                case DONE -> completedEvent();
            };
            if (event != null) {
                return event;
            }
        }
    }

    private void openLog(Path file) throws IOException {
        closeLog();
        log = file;
        logName = file.getFileName().toString();
        summary = ChangeLogFile.summary(file);
        phase = Phase.MODELS;
        if (delivered.covers(logName, Phase.DONE, null)) {
            closeLog();
            return;
        }
        boolean models = summary.added() + summary.updated() > 0 && !delivered.covers(logName, Phase.MODELS, null);
        if (models && Files.exists(dataDir.resolve(CATALOG))) {
            added = new ChangeLogFile.ArrayReader(file, "added");
            updated = new ChangeLogFile.ArrayReader(file, "updated");
            nextAdded = nextId(added);
            nextUpdated = nextId(updated);
            catalog = new CatalogModels(dataDir.resolve(CATALOG));
        } else {
            startRemoved();
        }
    }

    private OutboxEvent nextModelEvent() throws IOException {
        while (nextAdded != null || nextUpdated != null) {
            String id = catalog.nextId();
            if (id == null) {
                break;
            }
            while (nextAdded != null && nextAdded.compareTo(id) < 0) {
                nextAdded = nextId(added);
            }
            while (nextUpdated != null && nextUpdated.compareTo(id) < 0) {
                nextUpdated = nextId(updated);
            }
            String type;
            if (id.equals(nextAdded)) {
                type = "model.added";
                nextAdded = nextId(added);
            } else if (id.equals(nextUpdated)) {
                type = "model.updated";
                nextUpdated = nextId(updated);
            } else {
                continue;
            }
            if (delivered.covers(logName, Phase.MODELS, id)) {
                continue;
            }
            JsonNode model = catalog.model(id);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", type);
            event.put("id", id);
            event.put("sha", text(model.get("sha")));
            event.put("last_modified", text(model.get("last_modified")));
            event.put("sync_time", summary.syncTime());
            event.put("files", files(model.get("files")));
            // docs/memory.md: the model's largest vision projector, beside each file's memory
            JsonNode mmproj = model.get("mmproj_bytes");
            event.put("mmproj_bytes", mmproj == null || mmproj.isNull() ? null : mmproj.asLong());
            return new OutboxEvent(event, new EventCursor(logName, Phase.MODELS, id));
        }
        startRemoved();
        return null;
    }

    private void startRemoved() throws IOException {
        closeReaders();
        phase = Phase.REMOVED;
        if (summary.removed() > 0) {
            removed = new ChangeLogFile.ArrayReader(log, summary.hasRemovedModels() ? "removed_models" : "removed");
        }
    }

    private OutboxEvent nextRemovedEvent() throws IOException {
        JsonNode element;
        while (removed != null && (element = removed.next()) != null) {
            String id = element.isObject() ? text(element.get("id")) : element.asText();
            if (id == null || delivered.covers(logName, Phase.REMOVED, id)) {
                continue;
            }
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", "model.removed");
            event.put("id", id);
            event.put("sha", element.isObject() ? text(element.get("sha")) : null);
            event.put("last_modified", element.isObject() ? text(element.get("last_modified")) : null);
            event.put("sync_time", summary.syncTime());
            return new OutboxEvent(event, new EventCursor(logName, Phase.REMOVED, id));
        }
        closeReaders();
        phase = Phase.DONE;
        return null;
    }

    private OutboxEvent completedEvent() throws IOException {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "sync.completed");
        event.put("sync_time", summary.syncTime());
        event.put("sync_mode", summary.syncMode());
        event.put("mode_reason", summary.modeReason());
        event.put("models_added", summary.added());
        event.put("models_updated", summary.updated());
        event.put("models_removed", summary.removed());
        event.put("total_models", summary.totalModels());
        event.put("details_pending", summary.detailsPending());
        String name = logName;
        closeLog();
        return new OutboxEvent(event, new EventCursor(name, Phase.DONE, null));
    }

    private static List<Map<String, Object>> files(JsonNode files) {
        List<Map<String, Object>> list = new ArrayList<>();
        if (files != null && files.isArray()) {
            for (JsonNode file : files) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", text(file.get("name")));
                entry.put("quantization", text(file.get("quantization")));
                JsonNode size = file.get("size");
                entry.put("size", size == null || size.isNull() ? null : size.asLong());
                // docs/memory.md: [{context, weights, kv_cache, compute, total}] as the catalog holds it, or null
                JsonNode memory = file.get("memory");
                entry.put("memory", memory == null || memory.isNull() ? null : memory);
                list.add(entry);
            }
        }
        return list;
    }

    private static String nextId(ChangeLogFile.ArrayReader reader) throws IOException {
        JsonNode id = reader.next();
        return id == null ? null : id.asText();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private void closeReaders() throws IOException {
        for (Closeable c : new Closeable[] {added, updated, removed, catalog}) {
            if (c != null) {
                c.close();
            }
        }
        added = null;
        updated = null;
        removed = null;
        catalog = null;
        nextAdded = null;
        nextUpdated = null;
    }

    private void closeLog() throws IOException {
        closeReaders();
        log = null;
    }

    @Override
    public void close() throws IOException {
        logs.clear();
        closeLog();
    }
}
