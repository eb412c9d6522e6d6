package io.hfsync.store;

import io.hfsync.catalog.Times;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * The names of the files in {@code DATA_DIR} (docs/files.md), each declared once here; the YAML routes' file endpoints spell
 * the same names (RouteNamesTest checks that they are these).
 */
public final class DataFiles {

    /** The catalog, the source of truth. */
    public static final String CATALOG = "gguf_models.json";
    /** What the last run recorded: the mode decision's input. */
    public static final String METADATA = "last_sync_metadata.json";
    /** One change log per run, named by the run's start ({@link Times#changeLogName}). */
    public static final String CHANGE_LOG_DIR = "changes";
    /** Detail answers made durable as they arrive (docs/sync-modes.md); emptied by each publish that includes them. */
    public static final String DETAIL_JOURNAL = "gguf_models.details.jsonl";
    /** GGUF header reads made durable as they arrive (docs/gguf-headers.md); emptied by each publish that includes them. */
    public static final String HEADER_JOURNAL = "gguf_models.headers.jsonl";
    /** The run's models on disk while it merges (deleted when the run ends; a crashed run's is emptied by the next). */
    public static final String SCRATCH = ".gguf_models.spool";
    /** The catalog as a SQLite file (docs/database.md). */
    public static final String SQLITE = "gguf_models.sqlite";
    /** How far change events (docs/events.md) were delivered. */
    public static final String EVENTS_CURSOR = "events_cursor.json";
    /** Held by the process or run that writes the data directory. */
    public static final String LOCK = ".lock";

    private DataFiles() {
    }

    /** A run's change log under {@link #CHANGE_LOG_DIR}: named by the run's start, so the names sort by time. */
    public static boolean isChangeLog(String fileName) {
        return fileName.matches("\\d{8}T\\d{6}Z\\.json");
    }

    /** Where a write of {@code name} goes before it is renamed over the published file. */
    public static String temporary(String name) {
        return "." + name + ".tmp";
    }

    /**
     * A data file that cannot be read is moved aside as {@code <name>.corrupt-<utc>}, never deleted: the person who
     * finds it decides what it was. Returns where it went.
     */
    public static Path moveAside(Path file, Instant at) throws IOException {
        Path target = file.resolveSibling(file.getFileName() + ".corrupt-" + Times.changeLogName(at).replace(".json", ""));
        return Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
