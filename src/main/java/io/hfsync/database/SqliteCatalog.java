package io.hfsync.database;

import io.hfsync.store.CatalogIndex;
import io.hfsync.store.DataFiles;
import io.hfsync.database.CatalogTables.Dialect;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * {@code DATA_DIR/gguf_models.sqlite} (docs/database.md), brought level with {@code gguf_models.json} by every run that wrote it:
 * a copy of the published file gets the run's changes and is renamed over it.
 *
 * <p>Why a new file renamed over the old one, and not one transaction in place (WAL): the rename is what makes every
 * file of this product atomic (docs/files.md), and it gives the guarantees docs/database.md promises with nothing to recover. A reader
 * that has the old file open keeps a consistent snapshot of it; the next one to open gets the new catalog; a
 * {@code kill -9} at any moment leaves the old file as it was (the half-built temporary one is deleted by the next
 * run). The file is built with no journal at all, which is the fastest way SQLite loads rows, and it is one self-
 * contained file: no {@code -wal}/{@code -shm} companions that a reader needs write access for, no WAL of a whole
 * catalog's size to checkpoint, nothing a long-running reader can keep from being checkpointed. The price: the
 * {@code sync_runs} history is copied into each new file (a few hundred rows), and a reader holding a connection open
 * for days sees the catalog of the day it opened it (reopen per request, as Datasette and the catalog page do).
 *
 * <p>Why a copy and the difference, and not a new file from scratch: copying the file costs a sequential read and
 * write of its bytes, while a rebuild parses every model, fills the full-text index and builds seven indexes; a day
 * that changes 0.5 % of the catalog then writes 0.5 % of the rows (bench/sqlite.sh measures both).
 *
 * <p>Plain JDBC batches, not camel-sql (see {@link CatalogDiff}).
 * The run's {@code sync_runs} row is written by camel-sql, through {@link #dataSource()}.
 */
public final class SqliteCatalog {

    public static final String FILE_NAME = DataFiles.SQLITE;
    private static final String TEMP_NAME = DataFiles.temporary(DataFiles.SQLITE);
    private static final Logger LOG = LoggerFactory.getLogger(SqliteCatalog.class);

    private final Path dataDir;
    private final Path file;
    private final Path catalog;

    public SqliteCatalog(Path dataDir) {
        this.dataDir = dataDir;
        this.file = dataDir.resolve(FILE_NAME);
        this.catalog = dataDir.resolve(CatalogFile.NAME);
    }

    public Path file() {
        return file;
    }

    /** The published database, for camel-sql: each statement opens it anew, so it always sees the current file. */
    public DataSource dataSource() {
        SQLiteConfig config = new SQLiteConfig();
        // a reader (sqlite3 shell, Datasette) may hold the read lock for a moment; wait for it instead of failing
        config.setBusyTimeout(30_000);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    /** {@link #refresh(CatalogIndex)} without the writer's index: the catalog is read back from its file. */
    public CatalogDiff.Changes refresh() throws IOException, SQLException {
        return refresh(null);
    }

    /**
     * A run that wrote the catalog: a copy of the published file brought level with the catalog (only the models that
     * changed are written, see {@link CatalogDiff}), renamed over the old one. A file this version did not write
     * (missing, unreadable, or without the hash columns) is built anew instead, indexes and statistics after the load.
     *
     * @param index what the catalog writer recorded while it printed this run's catalog, or null (then the catalog is
     *        read back from its file); used only if it describes the file on disk
     */
    public CatalogDiff.Changes refresh(CatalogIndex index) throws IOException, SQLException {
        refuseLinkOutside();
        long started = System.nanoTime();
        Path temp = dataDir.resolve(TEMP_NAME);
        // a killed run's half-built file, never published
        Files.deleteIfExists(temp);
        Files.deleteIfExists(dataDir.resolve(TEMP_NAME + "-journal"));
        settleOldFile();
        boolean update = writtenByThisVersion();
        if (update) {
            Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        long copied = System.nanoTime();
        CatalogDiff.Changes changes;
        boolean packed = false;
        long held;
        try (Connection db = open(temp)) {
            if (!update) {
                try (Statement ddl = db.createStatement()) {
                    for (String statement : CatalogTables.createStatements(Dialect.SQLITE)) {
                        ddl.execute(statement);
                    }
                }
            }
            HeldHashes heldHashes = update ? readPacked(db) : HeldHashes.none();
            packed = heldHashes != null;
            if (heldHashes == null) {
                heldHashes = HeldHashes.fromRows(db);
            }
            held = System.nanoTime();
            db.setAutoCommit(false);
            changes = CatalogDiff.apply(db, Dialect.SQLITE, catalog, index, heldHashes);
            writePacked(db, changes.now);
            db.commit();
            db.setAutoCommit(true);
            if (!update) {
                copyRuns(db);
                try (Statement ddl = db.createStatement()) {
                    for (String statement : CatalogTables.indexStatements(Dialect.SQLITE)) {
                        ddl.execute(statement);
                    }
                    ddl.execute("ANALYZE");
                }
            }
        }
        long applied = System.nanoTime();
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        long done = System.nanoTime();
        LOG.info("SQLite catalog {} {} ({} MB) in {} s (copy {} s, held hashes {} s from {}, difference {} s, fsync and "
                        + "rename {} s): {}", file, update ? "updated" : "built", Math.round(Files.size(file) / 1e5) / 10.0,
                seconds(done - started), seconds(copied - started), seconds(held - copied),
                !update ? "nothing (a new file)" : packed ? "catalog_hashes" : "the models rows", seconds(applied - held), seconds(done - applied), changes);
        return changes;
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e7) / 100.0;
    }

    /**
     * The hashes the last run left packed in {@code catalog_hashes}, or null when there are none: a file written
     * before the table existed, or one whose {@code models} rows changed since (its triggers empty the table on any
     * insert, delete or hash change that did not come with a new packing, such as an older version's run or a hand
     * edit), so it never disagrees with the rows.
     */
    private static HeldHashes readPacked(Connection db) throws SQLException {
        try (Statement query = db.createStatement();
                ResultSet table = query.executeQuery(
                        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalog_hashes'")) {
            if (!table.next()) {
                return null;
            }
        }
        try (Statement query = db.createStatement();
                ResultSet row = query.executeQuery("SELECT models, packed FROM catalog_hashes")) {
            return row.next() ? HeldHashes.unpack(row.getBytes(2), row.getLong(1)) : null;
        }
    }

    /** The hashes the database holds now, packed in one row, for the next run (see {@link #readPacked}). */
    private static void writePacked(Connection db, HeldHashes now) throws SQLException {
        try (Statement ddl = db.createStatement()) {
            // after the rows are loaded (a new file's load does not fire the triggers 200,000 times)
            for (String statement : PACKED_HASHES) {
                ddl.execute(statement);
            }
            ddl.execute("DELETE FROM catalog_hashes");
        }
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO catalog_hashes (models, packed) VALUES (?, ?)")) {
            insert.setLong(1, now.size());
            insert.setBytes(2, now.pack());
            insert.executeUpdate();
        }
    }

    private static final List<String> PACKED_HASHES = List.of(
            "CREATE TABLE IF NOT EXISTS catalog_hashes (models INTEGER NOT NULL, packed BLOB NOT NULL)",
            "CREATE TRIGGER IF NOT EXISTS catalog_hashes_stale_on_insert AFTER INSERT ON models "
                    + "BEGIN DELETE FROM catalog_hashes; END",
            "CREATE TRIGGER IF NOT EXISTS catalog_hashes_stale_on_delete AFTER DELETE ON models "
                    + "BEGIN DELETE FROM catalog_hashes; END",
            "CREATE TRIGGER IF NOT EXISTS catalog_hashes_stale_on_update AFTER UPDATE OF id, entry_hash, files_hash "
                    + "ON models BEGIN DELETE FROM catalog_hashes; END");

    /**
     * The published file opens and has the hash columns (and so full-text rows keyed by their model's rowid) and every
     * column of this version's models and files tables (an older file lacks the newer ones: it is built anew).
     */
    private boolean writtenByThisVersion() {
        if (!Files.exists(file)) {
            return false;
        }
        try (Connection db = dataSource().getConnection(); Statement statement = db.createStatement()) {
            Set<String> models = columns(statement, "models");
            Set<String> files = columns(statement, "files");
            Set<String> runs = columns(statement, "sync_runs");
            return models.contains("entry_hash") && models.contains("files_hash")
                    && CatalogTables.MODELS.stream().allMatch(c -> models.contains(c.name()))
                    && CatalogTables.FILES.stream().allMatch(c -> files.contains(c.name()))
                    && CatalogTables.SYNC_RUNS.stream().allMatch(c -> runs.contains(c.name()));
        } catch (SQLException unreadable) {
            LOG.warn("SQLite catalog {} cannot be read ({}): it is built anew", file, unreadable.getMessage());
            return false;
        }
    }

    private static Set<String> columns(Statement statement, String table) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        try (ResultSet columns = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (columns.next()) {
                names.add(columns.getString("name"));
            }
        }
        return names;
    }

    /**
     * A run that failed: the catalog tables stay as they are, unless the database is missing or behind the catalog
     * (a crash between writing the two, or a run that failed after it published): then it is rebuilt.
     */
    public void bringLevel() throws IOException, SQLException {
        refuseLinkOutside();
        String catalogRun = CatalogFile.lastSyncTime(catalog);
        if (Files.exists(file) && (catalogRun == null || hasRun(catalogRun))) {
            return;
        }
        LOG.info("SQLite catalog {} is behind {}: bringing it level", file, CatalogFile.NAME);
        refresh(null);
    }

    private boolean hasRun(String lastSyncTime) {
        try (Connection db = dataSource().getConnection();
                PreparedStatement query = db.prepareStatement("SELECT 1 FROM sync_runs WHERE last_sync_time = ?")) {
            query.setString(1, lastSyncTime);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        } catch (SQLException unreadable) {
            LOG.warn("SQLite catalog {} cannot be read ({}): it will be rebuilt", file, unreadable.getMessage());
            return false;
        }
    }

    /** The run history lives in the database only: carry it over from the file being replaced. */
    private void copyRuns(Connection db) {
        if (!Files.exists(file)) {
            return;
        }
        try (Statement statement = db.createStatement()) {
            statement.execute("ATTACH DATABASE '" + file.toString().replace("'", "''") + "' AS previous");
            try {
                Set<String> columns = new LinkedHashSet<>();
                try (ResultSet info = statement.executeQuery("PRAGMA previous.table_info(sync_runs)")) {
                    while (info.next()) {
                        columns.add(info.getString("name"));
                    }
                }
                List<String> shared = new ArrayList<>();
                CatalogTables.SYNC_RUNS.forEach(c -> {
                    if (columns.contains(c.name())) {
                        shared.add(c.name());
                    }
                });
                if (shared.contains("last_sync_time")) {
                    String names = String.join(", ", shared);
                    statement.executeUpdate("INSERT OR IGNORE INTO sync_runs (" + names + ") SELECT " + names
                            + " FROM previous.sync_runs");
                }
            } finally {
                statement.execute("DETACH DATABASE previous");
            }
        } catch (SQLException unreadable) {
            LOG.warn("The run history in {} cannot be read ({}); the new file starts a new one", file,
                    unreadable.getMessage());
        }
    }

    /**
     * A run killed while it added its row in place leaves a hot journal beside the old file; SQLite would roll it
     * back into whatever file has that name next, so it is rolled back into the file it belongs to (by reading it)
     * before the new file takes the name.
     */
    private void settleOldFile() {
        if (!Files.exists(dataDir.resolve(FILE_NAME + "-journal"))) {
            return;
        }
        try (Connection db = dataSource().getConnection(); Statement statement = db.createStatement()) {
            statement.executeQuery("SELECT count(*) FROM sqlite_master").close();
        } catch (SQLException unreadable) {
            LOG.warn("The old SQLite catalog {} cannot be read ({}); it is replaced", file, unreadable.getMessage());
        }
        try {
            Files.deleteIfExists(dataDir.resolve(FILE_NAME + "-journal"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** SQLite would follow a link out of DATA_DIR (a failed run still records itself here): refused instead. */
    private void refuseLinkOutside() throws IOException {
        if (io.hfsync.store.DataDirLinks.leadsOutside(dataDir, file)) {
            throw new IOException(FILE_NAME + " is a symbolic link leading outside DATA_DIR: not followed");
        }
    }

    private static Connection open(Path path) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        // nobody else sees this file until it is complete and renamed: no journal, no fsync per transaction
        config.setJournalMode(SQLiteConfig.JournalMode.OFF);
        config.setSynchronous(SQLiteConfig.SynchronousMode.OFF);
        config.setTempStore(SQLiteConfig.TempStore.FILE);
        config.setCacheSize(-32_768);
        return config.createConnection("jdbc:sqlite:" + path);
    }
}
