package io.hfsync.database;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.store.CatalogIndex;
import io.hfsync.database.CatalogTables.Dialect;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Brings the tables of one database level with {@code gguf_models.json}, writing only the difference (docs/database.md), in
 * the caller's transaction: models not in the database are inserted, models whose catalog entry changed are updated
 * (their files replaced only when the files changed), models the catalog no longer has are deleted; every other row
 * is left alone, so a 0.5 % day touches about 0.5 % of the rows. On an empty database it is the first load.
 *
 * <p>Comparing with the database rather than with the previous run's catalog is what lets the next successful run
 * bring a database level that missed runs (it was down, or a crash came between two writes). The comparison uses
 * {@code entry_hash} and {@code files_hash} ({@link io.hfsync.store.ModelHashes}: CRC-32C and CRC-32 of the bytes of
 * each model's catalog entry without its files and of its files array), kept beside the row: the run compares 200,000
 * (id, hashes) pairs instead of every column of every row, and parses only the models it writes; a model whose
 * downloads moved gets its row updated while its files rows stay as they are. The catalog's hashes come from the
 * catalog writer, which computed them as it printed each model ({@link CatalogIndex}); without it (a failed run
 * bringing a database level, a file the run did not write) the catalog is read back token by token. The database's
 * come from its rows, or from the packed copy SQLite keeps ({@link HeldHashes}). The catalog is written the same way by
 * every run, so equal entries have equal bytes; a version that prints the catalog differently rewrites every row once.
 *
 * <p>SQLite's full-text table {@code models_fts} is kept level in the same pass: its rows carry the rowid of their
 * {@code models} row, so one row is found by key, never by scanning the index. PostgreSQL's {@code search} column is
 * generated from the row itself.
 *
 * <p>Plain JDBC batches, not camel-sql: a stream of models compared with a result set and written to several tables
 * in one transaction; camel-sql runs one statement per exchange and would need Spring's transaction manager to hold
 * a transaction across them.
 */
public final class CatalogDiff {

    private static final String ROWID_OF = "(SELECT rowid FROM models WHERE id = ?)";

    private CatalogDiff() {
    }

    /**
     * Writes the difference between {@code catalog} and what {@code db} holds ({@code held}); the caller commits.
     *
     * @param index what the catalog writer recorded while it printed {@code catalog} (this run's), or null: then the
     *        catalog is read token by token
     */
    static Changes apply(Connection db, Dialect dialect, Path catalog, CatalogIndex index, HeldHashes held)
            throws IOException, SQLException {
        Changes changes = new Changes();
        HeldHashes.Builder now = new HeldHashes.Builder(held.size() + 1024);
        boolean sqlite = dialect == Dialect.SQLITE;
        String modelColumns = CatalogTables.names(CatalogTables.MODELS);
        String updateSet = CatalogTables.MODELS.stream().skip(1)
                .map(c -> c.name() + " = " + dialect.placeholder(c.kind()))
                .collect(Collectors.joining(", "));
        String searched = String.join(", ", CatalogTables.SEARCHED);
        String searchParameters = CatalogTables.SEARCHED.stream().map(c -> "?").collect(Collectors.joining(", "));
        List<Batch> open = new ArrayList<>();
        try {
            Batch inserts = track(open, new Batch(db, "INSERT INTO models (" + modelColumns
                    + ", entry_hash, files_hash) VALUES (" + CatalogTables.MODELS.stream()
                            .map(c -> dialect.placeholder(c.kind())).collect(Collectors.joining(", ")) + ", ?, ?)"));
            Batch updates = track(open, new Batch(db, "UPDATE models SET " + updateSet
                    + ", entry_hash = ?, files_hash = ? WHERE id = ?"));
            Batch fileDeletes = track(open, new Batch(db, "DELETE FROM files WHERE model_id = ?"));
            Batch fileInserts = track(open, new Batch(db,
                    CatalogTables.insert(dialect, "files", CatalogTables.FILES)).after(inserts, fileDeletes));
            Batch searchInserts = sqlite ? track(open, new Batch(db, "INSERT INTO models_fts (rowid, "
                    + searched + ") VALUES (" + ROWID_OF + ", " + searchParameters + ")").after(inserts)) : null;
            Batch searchUpdates = sqlite ? track(open, new Batch(db, "UPDATE models_fts SET "
                    + CatalogTables.SEARCHED.stream().map(c -> c + " = ?").collect(Collectors.joining(", "))
                    + " WHERE rowid = " + ROWID_OF)) : null;
            Batch searchDeletes = sqlite ? track(open, new Batch(db,
                    "DELETE FROM models_fts WHERE rowid = " + ROWID_OF)) : null;
            Batch deletes = track(open, new Batch(db, "DELETE FROM models WHERE id = ?")
                    .after(sqlite ? new Batch[] {fileDeletes, searchDeletes}
                            : new Batch[] {fileDeletes}));
            changes.fromIndex = CatalogFile.forEachModel(catalog, index, bytes -> {
                String id = bytes.id();
                long entryHash = bytes.entryHash();
                long filesHash = bytes.filesHash();
                now.add(id, entryHash, filesHash);
                int at = held.find(id);
                long heldEntry = at < 0 ? 0 : held.entryHash(at);
                long heldFiles = at < 0 ? 0 : held.filesHash(at);
                if (at >= 0 && heldEntry == entryHash && heldFiles == filesHash) {
                    changes.unchanged++;
                    return;
                }
                JsonNode model = bytes.tree();
                if (at < 0) {
                    inserts.add(s -> {
                        int next = CatalogTables.bind(s, 1, CatalogTables.MODELS, model, id);
                        s.setLong(next, entryHash);
                        s.setLong(next + 1, filesHash);
                    });
                    if (sqlite) {
                        searchInserts.add(s -> bindSearched(s, 2, model, id).setString(1, id));
                    }
                    changes.inserted++;
                } else {
                    updates.add(s -> {
                        int next = CatalogTables.bind(s, 1, CatalogTables.MODELS.subList(1, CatalogTables.MODELS.size()),
                                model, id);
                        s.setLong(next, entryHash);
                        s.setLong(next + 1, filesHash);
                        s.setString(next + 2, id);
                    });
                    if (sqlite && heldEntry != entryHash) {
                        searchUpdates.add(s -> bindSearched(s, 1, model, id)
                                .setString(CatalogTables.SEARCHED.size() + 1, id));
                    }
                    changes.updated++;
                    if (heldFiles == filesHash) {
                        return;
                    }
                    fileDeletes.add(s -> s.setString(1, id));
                }
                for (JsonNode file : model.path("files")) {
                    fileInserts.add(s -> CatalogTables.bind(s, 1, CatalogTables.FILES, file, id));
                }
            });
            // what is left was not in the catalog: removed (its files and search row first)
            for (String gone : held.notFound()) {
                fileDeletes.add(s -> s.setString(1, gone));
                if (sqlite) {
                    searchDeletes.add(s -> s.setString(1, gone));
                }
                deletes.add(s -> s.setString(1, gone));
                changes.deleted++;
            }
            for (Batch batch : open) {
                batch.flush();
            }
            changes.filesDeleted = fileDeletes.rows();
            changes.filesInserted = fileInserts.rows();
            changes.now = now.build();
        } finally {
            for (Batch batch : open) {
                batch.closeStatement();
            }
        }
        return changes;
    }

    private static Batch track(List<Batch> open, Batch batch) {
        open.add(batch);
        return batch;
    }

    /** Binds the searched columns from parameter {@code first} on; returns the statement for one more bind. */
    private static PreparedStatement bindSearched(PreparedStatement statement, int first, JsonNode model, String id)
            throws SQLException {
        int i = first;
        for (String column : CatalogTables.SEARCHED) {
            JsonNode value = model.get(column);
            statement.setString(i++, value == null || value.isNull() ? null
                    : value.isTextual() ? value.textValue() : value.toString());
        }
        return statement;
    }

    /** What one run wrote: rows touched in models and files. */
    public static final class Changes {
        long inserted;
        long updated;
        long deleted;
        long unchanged;
        long filesInserted;
        long filesDeleted;
        /** The catalog's models were taken from the writer's index, not read from the file. */
        boolean fromIndex;
        /** The hashes the database holds after this run (what the next run compares with). */
        HeldHashes now;

        public long rowsTouched() {
            return inserted + updated + deleted + filesInserted + filesDeleted;
        }

        @Override
        public String toString() {
            return "models inserted " + inserted + ", updated " + updated + ", deleted " + deleted + ", unchanged "
                    + unchanged + "; files inserted " + filesInserted + ", deleted " + filesDeleted
                    + (fromIndex ? "" : " (catalog read back from the file)");
        }
    }
}
