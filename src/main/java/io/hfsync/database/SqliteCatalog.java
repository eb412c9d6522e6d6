package io.hfsync.database;

import io.hfsync.catalog.DataFiles;
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
 * {@code DATA_DIR/gguf_models.sqlite} (SPEC §8), brought level with {@code gguf_models.json} by every run that wrote it:
 * a copy of the published file gets the run's changes and is renamed over it.
 *
 * <p>Why a new file renamed over the old one, and not one transaction in place (WAL): the rename is what makes every
 * file of this product atomic (SPEC §4), and it gives the guarantees §8 asks for with nothing to recover. A reader
 * that has the old file open keeps a consistent snapshot of it; the next one to open gets the new catalog; a
 * {@code kill -9} at any moment leaves the old file as it was (the half-built temporary one is deleted by the next
 * run). The file is built with no journal at all, which is the fastest way SQLite loads rows, and it is one self-
 * contained file: no {@code -wal}/{@code -shm} companions that a reader needs write access for, no WAL of a whole
 * catalog's size to checkpoint, nothing a long-running reader can keep from being checkpointed. The price: the
 * {@code sync_runs} history is copied into each new file (a few hundred rows), and a reader holding a connection open
 * for days sees the catalog of the day it opened it (reopen per request, as Datasette and the §9 page do).
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
    private static final int BATCH = 1_000;
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

    /**
     * A run that wrote the catalog: a copy of the published file brought level with the catalog (only the models that
     * changed are written, see {@link CatalogDiff}), renamed over the old one. A file this version did not write
     * (missing, unreadable, or without the hash columns) is built anew instead, indexes and statistics after the load.
     */
    public void refresh() throws IOException, SQLException {
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
        CatalogDiff.Changes changes;
        try (Connection db = open(temp)) {
            if (!update) {
                try (Statement ddl = db.createStatement()) {
                    for (String statement : CatalogTables.createStatements(Dialect.SQLITE)) {
                        ddl.execute(statement);
                    }
                }
            }
            db.setAutoCommit(false);
            changes = CatalogDiff.apply(db, Dialect.SQLITE, catalog);
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
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("SQLite catalog {} {} ({} MB) in {} s: {}", file, update ? "updated" : "built",
                Math.round(Files.size(file) / 1e5) / 10.0, Math.round((System.nanoTime() - started) / 1e8) / 10.0, changes);
    }

    /** The published file opens and has the hash columns (and so full-text rows keyed by their model's rowid). */
    private boolean writtenByThisVersion() {
        if (!Files.exists(file)) {
            return false;
        }
        try (Connection db = dataSource().getConnection(); Statement statement = db.createStatement();
                ResultSet columns = statement.executeQuery("PRAGMA table_info(models)")) {
            Set<String> names = new LinkedHashSet<>();
            while (columns.next()) {
                names.add(columns.getString("name"));
            }
            return names.contains("entry_hash") && names.contains("files_hash");
        } catch (SQLException unreadable) {
            LOG.warn("SQLite catalog {} cannot be read ({}): it is built anew", file, unreadable.getMessage());
            return false;
        }
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
        refresh();
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
        if (io.hfsync.catalog.DataDirLinks.leadsOutside(dataDir, file)) {
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

    /**
     * A prepared statement executed every {@value #BATCH} rows. Batches it {@link #after depends on} are executed
     * first each time, so a file row never reaches the database before its model's row or its model's old files' delete.
     */
    static final class Batch {

        @FunctionalInterface
        interface Binder {
            void bind(PreparedStatement statement) throws SQLException;
        }

        private final PreparedStatement statement;
        private final List<Batch> predecessors = new ArrayList<>();
        private int pending;
        private long rows;

        Batch(Connection db, String sql) throws SQLException {
            this.statement = db.prepareStatement(sql);
        }

        void add(Binder binder) throws SQLException {
            binder.bind(statement);
            statement.addBatch();
            if (++pending == BATCH) {
                flush();
            }
        }

        Batch after(Batch... batches) {
            predecessors.addAll(List.of(batches));
            return this;
        }

        long rows() {
            return rows;
        }

        void flush() throws SQLException {
            for (Batch predecessor : predecessors) {
                predecessor.flush();
            }
            if (pending > 0) {
                for (int count : statement.executeBatch()) {
                    rows += Math.max(count, 0);
                }
                pending = 0;
            }
        }

        /** Closes the statement without executing what is pending (the transaction is committed or rolled back). */
        void closeStatement() throws SQLException {
            statement.close();
        }
    }
}
