package io.hfsync.database;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hfsync.config.DatabaseSettings;
import io.hfsync.database.CatalogTables.Dialect;
import io.hfsync.database.SqliteCatalog.Batch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog in PostgreSQL (SPEC §8), for platforms: the same tables as SQLite, full-text search as a generated
 * {@code tsvector} column with a GIN index, created if missing.
 *
 * <p>Each run writes the difference between {@code gguf_models.json} and what the database holds, in one
 * transaction: models not in the database are inserted, models whose catalog entry changed are updated (their files
 * replaced), models the catalog no longer has are deleted; every other row is left alone, so a 0.5 % day touches
 * about 0.5 % of the rows. Comparing with the database rather than with the previous run's catalog is what lets the
 * next successful run bring a database level that missed runs (it was down, or a crash came between two writes).
 * The comparison uses {@code entry_hash} and {@code files_hash}, 64-bit hashes of each model's catalog entry (without
 * its files) and of its files, kept beside the row: the run reads 200,000 (id, hashes) rows instead of every column
 * of every row, and a model whose downloads moved gets its row updated while its files rows stay as they are.
 *
 * <p>Plain JDBC batches, not camel-sql: a stream of models compared with a result set and written to two tables in
 * one transaction; camel-sql runs one statement per exchange and would need Spring's transaction manager to hold a
 * transaction across them. The run's {@code sync_runs} row is written by camel-sql, through {@link #dataSource()}.
 */
public final class PostgresCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCatalog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final String name;
    private final Path catalog;

    /** {@code settings} with an empty URL: a catalog that is never written (the routes skip it). */
    public PostgresCatalog(DatabaseSettings settings, Path dataDir) {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        if (settings.postgresql()) {
            pg.setUrl(settings.url());
        }
        if (!settings.user().isEmpty()) {
            pg.setUser(settings.user());
        }
        if (!settings.password().isEmpty()) {
            pg.setPassword(settings.password());
        }
        pg.setApplicationName("hf-gguf-sync");
        // an unreachable database fails the run in seconds, not after the operating system's TCP timeout
        pg.setConnectTimeout(10);
        pg.setLoginTimeout(10);
        this.dataSource = pg;
        this.name = describe(settings.url(), settings.user());
        this.catalog = dataDir.resolve(CatalogFile.NAME);
    }

    public String name() {
        return name;
    }

    /** How logs and error messages name the database: URL and user, never the password. */
    public static String describe(String url, String user) {
        return DatabaseSettings.masked(url) + (user.isEmpty() ? "" : " (user " + user + ")");
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Creates the tables if missing and adds columns a newer version has (both paths: sync_runs must exist). */
    public void prepare() {
        try (Connection db = connect(); Statement ddl = db.createStatement()) {
            db.setAutoCommit(false);
            // two replicas preparing at once must not race on CREATE TABLE IF NOT EXISTS
            ddl.execute("SELECT pg_advisory_xact_lock(hashtext('hf-gguf-sync catalog schema'))");
            for (String statement : CatalogTables.createStatements(Dialect.POSTGRESQL)) {
                ddl.execute(statement);
            }
            for (String statement : CatalogTables.addMissingColumns()) {
                ddl.execute(statement);
            }
            for (String statement : CatalogTables.indexStatements(Dialect.POSTGRESQL)) {
                ddl.execute(statement);
            }
            db.commit();
        } catch (SQLException e) {
            throw failure("cannot be prepared", e);
        }
    }

    /** A run that wrote the catalog: bring the database level with it, in one transaction. */
    public Changes applyChanges() throws IOException {
        long started = System.nanoTime();
        Changes changes = new Changes();
        try (Connection db = connect()) {
            db.setAutoCommit(false);
            Map<String, long[]> held = heldHashes(db);
            String modelColumns = CatalogTables.names(CatalogTables.MODELS);
            String updateSet = CatalogTables.MODELS.stream().skip(1)
                    .map(c -> c.name() + " = " + Dialect.POSTGRESQL.placeholder(c.kind()))
                    .collect(Collectors.joining(", "));
            try (Batch inserts = new Batch(db, "INSERT INTO models (" + modelColumns + ", entry_hash, files_hash) VALUES ("
                            + CatalogTables.MODELS.stream().map(c -> Dialect.POSTGRESQL.placeholder(c.kind()))
                                    .collect(Collectors.joining(", ")) + ", ?, ?)");
                    Batch updates = new Batch(db, "UPDATE models SET " + updateSet
                            + ", entry_hash = ?, files_hash = ? WHERE id = ?");
                    Batch fileDeletes = new Batch(db, "DELETE FROM files WHERE model_id = ?");
                    Batch fileInserts = new Batch(db, CatalogTables.insert(Dialect.POSTGRESQL, "files", CatalogTables.FILES))
                            .after(inserts, fileDeletes);
                    Batch deletes = new Batch(db, "DELETE FROM models WHERE id = ?").after(fileDeletes)) {
                CatalogFile.forEachModel(catalog, model -> {
                    String id = model.get("id").asText();
                    long entryHash = hash(withoutFiles(model));
                    long filesHash = hash(model.path("files"));
                    long[] heldHashes = held.remove(id);
                    if (heldHashes != null && heldHashes[0] == entryHash && heldHashes[1] == filesHash) {
                        changes.unchanged++;
                        return;
                    }
                    if (heldHashes == null) {
                        inserts.add(s -> {
                            int next = CatalogTables.bind(s, 1, CatalogTables.MODELS, model, id);
                            s.setLong(next, entryHash);
                            s.setLong(next + 1, filesHash);
                        });
                        changes.inserted++;
                    } else {
                        updates.add(s -> {
                            int next = CatalogTables.bind(s, 1, CatalogTables.MODELS.subList(1, CatalogTables.MODELS.size()),
                                    model, id);
                            s.setLong(next, entryHash);
                            s.setLong(next + 1, filesHash);
                            s.setString(next + 2, id);
                        });
                        changes.updated++;
                        if (heldHashes[1] == filesHash) {
                            return;
                        }
                        fileDeletes.add(s -> s.setString(1, id));
                    }
                    for (JsonNode file : model.path("files")) {
                        fileInserts.add(s -> CatalogTables.bind(s, 1, CatalogTables.FILES, file, id));
                    }
                });
                // what is left was not in the catalog: removed (its files first, so they are counted)
                for (String gone : held.keySet()) {
                    fileDeletes.add(s -> s.setString(1, gone));
                    deletes.add(s -> s.setString(1, gone));
                    changes.deleted++;
                }
                updates.flush();
                fileInserts.flush();
                deletes.flush();
                changes.filesDeleted = fileDeletes.rows();
                changes.filesInserted = fileInserts.rows();
            }
            db.commit();
        } catch (SQLException e) {
            throw failure("cannot be written", e);
        }
        LOG.info("PostgreSQL catalog {}: {} in {} s", name, changes, Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return changes;
    }

    /** What one run wrote: rows touched in models and files. */
    public static final class Changes {
        long inserted;
        long updated;
        long deleted;
        long unchanged;
        long filesInserted;
        long filesDeleted;

        public long rowsTouched() {
            return inserted + updated + deleted + filesInserted + filesDeleted;
        }

        @Override
        public String toString() {
            return "models inserted " + inserted + ", updated " + updated + ", deleted " + deleted + ", unchanged "
                    + unchanged + "; files inserted " + filesInserted + ", deleted " + filesDeleted;
        }
    }

    private Connection connect() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw failure("cannot be reached", e);
        }
    }

    /** (entry hash, files hash) per model id; 0 where a row has none (written by something else: never a match). */
    private static Map<String, long[]> heldHashes(Connection db) throws SQLException {
        Map<String, long[]> held = new HashMap<>();
        try (Statement query = db.createStatement()) {
            // a cursor, not the whole result at once (the connection is in a transaction, as pgjdbc needs for that)
            query.setFetchSize(10_000);
            try (ResultSet rows = query.executeQuery("SELECT id, entry_hash, files_hash FROM models")) {
                while (rows.next()) {
                    held.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3)});
                }
            }
        }
        return held;
    }

    private static JsonNode withoutFiles(JsonNode model) {
        ObjectNode head = JSON.createObjectNode();
        head.setAll((ObjectNode) model);
        head.remove("files");
        return head;
    }

    /** The first 64 bits of the SHA-256 of a JSON value (never 0, which stands for "no hash"). */
    static long hash(JsonNode value) throws IOException {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(value));
            long hash = ByteBuffer.wrap(digest).getLong();
            return hash == 0L ? 1L : hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private CatalogDatabaseException failure(String what, SQLException cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage().lines().findFirst().orElse("");
        return new CatalogDatabaseException("PostgreSQL catalog database " + name + " " + what + ": " + reason, cause);
    }
}
