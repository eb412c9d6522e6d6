package io.hfsync.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.sqlite.SQLiteConfig;

/**
 * One published catalog file as the {@link CatalogReader} sees it (docs/browser.md): its connections, and what was read
 * of it ({@link FileReads}). A new identity of the file (a run renamed a new file over it, or wrote its sync_runs row
 * in place) starts a new generation; one written in place keeps the reads of the generation before.
 */
final class FileGeneration {

    /**
     * Connections kept open per file: as many as Camel's HTTP server answers at once (Vert.x runs blocking handlers on
     * a worker pool of 20 threads). A connection opened per request costs more than the answer (opening, the schema,
     * a cold page cache): with 8 kept, 20 clients spent 10 % of the time closing connections.
     */
    private static final int IDLE_CONNECTIONS = 24;
    /**
     * How long a question waits for one of the replaced file's connections to come back (20 clients share them while
     * the new file's index is read) before it waits for that index instead.
     */
    private static final long REPLACED_WAIT_MILLIS = 250;

    /** A file as the file system tells it apart: its key (device and inode where there is one), size and time. */
    record Identity(Object key, long size, long modified) {

        /** The file {@code path} names now; fails when there is none or its attributes cannot be read. */
        static Identity of(Path path) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new Identity(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis());
        }
    }

    @FunctionalInterface
    interface Compute<T> {
        T get() throws SQLException, IOException;
    }


    final Path file;
    final Identity identity;
    private final ReaderCounts counts;
    /** The reader's log: the benches read its index line as CatalogReader's (bench/web.sh, bench/daemon-web.sh). */
    private final Logger log;
    private final LinkedBlockingDeque<Connection> idle = new LinkedBlockingDeque<>();
    /** Connections of this generation not closed yet, idle or answering a question. */
    private final AtomicInteger open = new AtomicInteger();
    private final FileReads reads;
    private final ReaderPauses pauses;
    private volatile boolean retired;

    /** @param sameFile the generation of the same file before it was written in place, whose reads still hold */
    FileGeneration(Path file, Identity identity, FileGeneration sameFile, ReaderCounts counts, ReaderPauses pauses,
            Logger log) {
        this.file = file;
        this.identity = identity;
        this.counts = counts;
        this.pauses = pauses;
        this.log = log;
        reads = sameFile == null ? new FileReads() : sameFile.reads;
    }

    /** The answers already given from this file. */
    BytesCache<PageKey> pages() {
        return reads.pages;
    }

    /**
     * The catalog entries of these models, by rowid: those printed from this file lately as they were, the others
     * printed by SQLite now (and kept). A file written in place keeps them: only its sync_runs row changes.
     */
    Map<Long, byte[]> entries(Connection db, List<Long> rowids) throws SQLException {
        Map<Long, byte[]> found = new HashMap<>();
        List<Long> missing = new ArrayList<>();
        reads.entries.get(rowids, found, missing);
        if (!missing.isEmpty()) {
            Map<Long, byte[]> printed = print(db, "m.rowid IN (" + String.join(", ",
                    Collections.nCopies(missing.size(), "?")) + ")", new ArrayList<>(missing));
            counts.entriesPrinted.addAndGet(printed.size());
            printed.forEach(reads.entries::put);
            found.putAll(printed);
        }
        return found;
    }

    /** The catalog entries of the models {@code where} selects (alias {@code m}), printed by SQLite now. */
    Map<Long, byte[]> print(Connection db, String where, List<Object> parameters) throws SQLException {
        return EntrySql.print(db, entryJson(db), where, parameters);
    }

    /**
     * Whether a connection of this generation is open, idle or still answering (it keeps the file's inode from
     * being reused).
     */
    boolean holdsOpen() {
        return open.get() > 0;
    }

    /**
     * A connection of this generation, waiting a moment for one to come back when all are answering, or null:
     * never a new one (for a replaced file, whose path now names another). An answer takes milliseconds, the new
     * file's index seconds.
     */
    Connection borrowIdle() {
        if (retired) {
            return null;
        }
        try {
            return idle.pollFirst(REPLACED_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    Connection borrow() {
        Connection db = idle.pollFirst();
        if (db != null) {
            return db;
        }
        open.incrementAndGet();
        try {
            SQLiteConfig config = new SQLiteConfig();
            config.setReadOnly(true);
            // a run adds a failed run's row in place: wait for its short write instead of failing
            config.setBusyTimeout(5_000);
            pauses.connect.run();
            Connection connection = config.createConnection("jdbc:sqlite:" + file);
            try (Statement pragma = connection.createStatement()) {
                pragma.execute("PRAGMA query_only = true");
                // pages are read through the operating system's cache, shared by all connections
                pragma.execute("PRAGMA mmap_size = 1073741824");
            }
            if (!pathStillNamesThisFile()) {
                // a run renamed a new file over the path between this generation's stat and the open: the
                // connection holds the new file, which this generation's index and entries do not describe
                close(connection);
                throw new FileReplacedException(file);
            }
            return connection;
        } catch (SQLException e) {
            open.decrementAndGet();
            throw new CatalogMissingException("the catalog database cannot be opened: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the path, looked at after a connection was opened on it, still names this generation's file (its inode):
     * the file the connection holds, since a replaced file's inode is not reused while a connection holds it open.
     */
    private boolean pathStillNamesThisFile() {
        if (identity.key() == null) {
            return true;
        }
        try {
            return identity.key().equals(Identity.of(file).key());
        } catch (IOException gone) {
            return false;
        }
    }

    void giveBack(Connection db, boolean healthy) {
        if (healthy && !retired && idle.size() < IDLE_CONNECTIONS) {
            idle.offerFirst(db);
            if (!retired) {
                return;
            }
            idle.remove(db);
        }
        close(db);
    }

    void retire() {
        retired = true;
        for (Connection db; (db = idle.pollFirst()) != null;) {
            close(db);
        }
    }

    boolean indexed() {
        return reads.index != null;
    }

    /** Whether a question (or the read ahead) is reading this file's index now. */
    boolean indexing() {
        return reads.indexing;
    }

    boolean retired() {
        return retired;
    }

    /**
     * The file's {@link ModelIndex}, read by the first question that needs it (the others wait for it), with the
     * check of its full-text table ({@link #ftsAligned}) in the same step: until both are done, the file a run
     * replaced answers (CatalogReader#models), so no question waits for either.
     */
    ModelIndex index(Connection db) throws SQLException {
        ModelIndex known = reads.index;
        if (known == null) {
            synchronized (reads) {
                known = reads.index;
                if (known == null) {
                    reads.indexing = true;
                    try {
                        pauses.index.run();
                        long start = System.nanoTime();
                        known = new ModelIndex(db);
                        ftsAligned(db);
                        counts.indexesRead.incrementAndGet();
                        reads.index = known;
                        log.info("Catalog page index of {} read in {} ms: {} models, {} weights files, {} MB",
                                file, (System.nanoTime() - start) / 1_000_000, known.models(), known.files(),
                                known.bytes() / (1024 * 1024));
                    } finally {
                        reads.indexing = false;
                    }
                }
            }
        }
        return known;
    }

    /** {@link EntrySql#entryJson(Set, Set)} for this file's columns. */
    String entryJson(Connection db) throws SQLException {
        String known = reads.entryJson;
        if (known == null) {
            known = EntrySql.entryJson(columns(db, "models"), columns(db, "files"));
            reads.entryJson = known;
        }
        return known;
    }

    private static Set<String> columns(Connection db, String table) throws SQLException {
        Set<String> present = new HashSet<>();
        try (Statement statement = db.createStatement();
                ResultSet info = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (info.next()) {
                present.add(info.getString("name"));
            }
        }
        return present;
    }

    /**
     * The select list of {@code columns}: a column a file written by an older version lacks is read as NULL (the
     * next run rebuilds the file with every column), so --serve on an older DATA_DIR still answers.
     */
    String select(Connection db, String table, List<CatalogTables.Column> columns) throws SQLException {
        String known = reads.selects.get(table);
        if (known == null) {
            Set<String> present = columns(db, table);
            List<String> parts = new ArrayList<>();
            for (CatalogTables.Column column : columns) {
                parts.add(present.contains(column.name()) ? column.name() : "NULL AS " + column.name());
            }
            known = String.join(", ", parts);
            reads.selects.put(table, known);
        }
        return known;
    }

    /**
     * Whether every models_fts row has the rowid of its models row: one scan per file, by one question, the others
     * waiting for it. Every question used to scan at once when a new file came (20 of them on two cores: a stall of
     * about 5 s for every question, wrk's timeouts in bench/daemon-web.sh).
     */
    boolean ftsAligned(Connection db) throws SQLException {
        Boolean aligned = reads.ftsAligned;
        if (aligned == null) {
            synchronized (reads) {
                aligned = reads.ftsAligned;
                if (aligned == null) {
                    counts.ftsChecks.incrementAndGet();
                    aligned = CatalogSql.single(db, "SELECT count(*) FROM models m LEFT JOIN models_fts f ON f.rowid = m.rowid "
                            + "WHERE f.id IS NOT m.id") == 0
                            && CatalogSql.single(db, "SELECT count(*) FROM models_fts") == CatalogSql.single(db, "SELECT count(*) FROM models");
                    reads.ftsAligned = aligned;
                }
            }
        }
        return aligned;
    }

    byte[] facets(Compute<byte[]> compute) throws SQLException, IOException {
        byte[] known = reads.facets;
        if (known == null) {
            known = compute.get();
            reads.facets = known;
        }
        return known;
    }

    private void close(Connection db) {
        try {
            db.close();
        } catch (SQLException ignored) {
            // a read-only connection has nothing to lose
        } finally {
            open.decrementAndGet();
        }
    }
}
