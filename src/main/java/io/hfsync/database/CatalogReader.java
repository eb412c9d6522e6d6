package io.hfsync.database;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of {@code DATA_DIR/gguf_models.sqlite} for the catalog page and its JSON API (docs/browser.md).
 *
 * <p>Nothing of the catalog is kept in memory: every answer is read from the file. A run publishes a new file by
 * renaming it over the old one, so the reader looks at the file's identity (inode, size, modification time) on every
 * request: connections opened on an older file are closed as they come back and new ones open the new file (until
 * the new file's page index is read, the file it replaced answers model lists from the connections that still hold
 * it open). A connection reads its file in one consistent snapshot, so an answer never mixes two runs. What is kept
 * belongs to one file and goes with it: the file's {@link ModelIndex} (sort orders, architectures, gates and weights
 * files' quantizations and sizes as arrays, about 110 bytes a model: which models a question keeps, how many, and in
 * which order, without reading every match from SQLite), recent answers, recently printed entries, and the lists of
 * quantizations and architectures the page offers. An entry is printed from the file once while it stays among the
 * recent ones; a new file prints its own.
 *
 * <p>Every value a user sends is bound as a parameter; the SQL text is chosen from fixed fragments only.
 */
public final class CatalogReader {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogReader.class);

    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final boolean indexed;
    private final Boolean walkSizes;
    private FileGeneration current;
    /**
     * The file the last run replaced, while the new file's page index is not read yet: it answers model lists from
     * the connections that still hold it open, so no question waits the index read (about 2 s at 200k models) after a
     * publish. Retired once the new file's index is read.
     */
    private volatile FileGeneration replaced;
    private final ReaderCounts counts = new ReaderCounts();
    /** Tests: where a question or an index read can be held (nothing in production). */
    final ReaderPauses pauses = new ReaderPauses();

    public CatalogReader(Path dataDir) {
        this(dataDir, true, null);
    }

    /**
     * @param indexed whether the model list is answered from the file's {@link ModelIndex} (as it is served) or by
     *        the plain SQL query for every question (what tests compare the index with)
     * @param walkSizes how the index answers {@code sort=size}: null to choose, or which way (tests compare both)
     */
    CatalogReader(Path dataDir, boolean indexed, Boolean walkSizes) {
        this.file = dataDir.resolve(SqliteCatalog.FILE_NAME);
        this.indexed = indexed;
        this.walkSizes = walkSizes;
    }

    public Path file() {
        return file;
    }

    /** One page of models, each as its catalog entry (JSON), or {@link CatalogMissingException}. */
    public byte[] models(ModelFilter filter, Sort sort, int page, int pageSize) {
        return ofTheFileAsItIs(() -> modelsOnce(filter, sort, page, pageSize));
    }

    private byte[] modelsOnce(ModelFilter filter, Sort sort, int page, int pageSize) {
        FileGeneration generation = generation();
        PageKey key = new PageKey(filter, sort, page, pageSize);
        byte[] known = generation.pages().get(key);
        if (known != null) {
            return known;
        }
        FileGeneration before = replaced;
        if (indexed && before != null && !generation.indexed()) {
            // a run has just published a new file and its index is being read: the file it replaced answers
            // meanwhile, from a connection that still holds it open (never one opened now: the path names the new file)
            byte[] given = before.pages().get(key);
            if (given != null) {
                return given;
            }
            while (true) {
                Connection open = before.borrowIdle();
                if (open != null) {
                    return remembered(before, open, key);
                }
                counts.replacedWaitsExpired.incrementAndGet();
                // all of its connections busy: wait on for one while another question reads the new index (joining
                // that read would wait as long as it takes, 2 s at 200k), or read the index here if nobody does
                if (!generation.indexing() || generation.indexed() || before.retired()) {
                    break;
                }
            }
        }
        byte[] answer = remembered(generation, generation.borrow(), key);
        indexRead();
        return answer;
    }

    /** The model list {@code key} asks for, read from {@code g}'s file on {@code db} and kept among its answers. */
    private byte[] remembered(FileGeneration g, Connection db, PageKey key) {
        byte[] answer = withConnection(g, db, (generation, connection) -> modelsAnswer(generation, connection, key));
        g.pages().put(key, answer);
        return answer;
    }

    /** The model list {@code key} asks for, read from {@code g}'s file. */
    private byte[] modelsAnswer(FileGeneration g, Connection db, PageKey key) throws SQLException {
        pauses.answer.run();
        ModelFilter filter = key.filter();
        Sort sort = key.sort();
        int page = key.page();
        int pageSize = key.pageSize();
        long offset = (long) (page - 1) * pageSize;
        long total;
        List<Long> rowids;
        if (indexed) {
            ModelIndex index = g.index(db);
            BitSet kept = index.matching(filter, match -> ModelListSql.searchRowids(db, g, match));
            total = kept.cardinality();
            rowids = index.page(kept, filter, sort, offset, pageSize, walkSizes);
        } else {
            total = ModelListSql.count(db, g, filter);
            rowids = ModelListSql.sortedPage(db, g, filter, sort, offset, pageSize);
        }
        Map<Long, byte[]> entries = g.entries(db, rowids);
        byte[] head = ("{\"total\":" + total + ",\"page\":" + page + ",\"models\":[").getBytes(StandardCharsets.UTF_8);
        int size = head.length + rowids.size() + 2;
        for (byte[] entry : entries.values()) {
            size += entry.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes(head);
        boolean first = true;
        for (long rowid : rowids) {
            byte[] entry = entries.get(rowid);
            if (entry != null) {
                if (!first) {
                    out.write(',');
                }
                out.writeBytes(entry);
                first = false;
            }
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** One catalog entry, or empty when the catalog has no such model. */
    public Optional<byte[]> model(String id) {
        return withConnection((generation, db) -> generation.print(db, "m.id = ?", List.of(id)).values().stream()
                .findFirst());
    }

    /**
     * Reads the current file's page index if no question has yet (after a run published a new file, or at start), so
     * no visitor waits for it; false while no catalog has been published. An unchanged file costs one {@code stat}.
     */
    public boolean readAhead() {
        try {
            ofTheFileAsItIs(() -> {
                FileGeneration generation = generation();
                if (indexed && !generation.indexed()) {
                    withConnection(generation, (g, db) -> g.index(db));
                }
                return null;
            });
            indexRead();
            return true;
        } catch (CatalogMissingException e) {
            return false;
        }
    }

    /**
     * Tests: runs {@code inside} while a question holds a connection to the current file, its page index read (as a
     * question still being answered when a run writes its row in place).
     */
    <T> T whileAnswering(FileGeneration.Compute<T> inside) {
        return withConnection((generation, db) -> {
            generation.index(db);
            return inside.get();
        });
    }

    /** The last {@code limit} runs (sync_runs rows), newest first, as a JSON array. */
    public byte[] runs(int limit) {
        return withConnection((generation, db) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8_192);
            try (PreparedStatement query = db.prepareStatement("SELECT "
                    + generation.select(db, "sync_runs", CatalogTables.SYNC_RUNS)
                    + " FROM sync_runs ORDER BY last_sync_time DESC LIMIT ?");
                    JsonGenerator json = JSON.createGenerator(out)) {
                query.setInt(1, limit);
                json.writeStartArray();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        json.writeStartObject();
                        for (CatalogTables.Column column : CatalogTables.SYNC_RUNS) {
                            json.writeFieldName(column.name());
                            writeValue(json, row, column);
                        }
                        json.writeEndObject();
                    }
                }
                json.writeEndArray();
            }
            return out.toByteArray();
        });
    }

    /**
     * What the page's filters offer: the quantizations of weights files and the architectures, each with how many
     * models have it, most common first.
     */
    public byte[] facets() {
        return withConnection((generation, db) -> generation.facets(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8_192);
            try (JsonGenerator json = JSON.createGenerator(out)) {
                json.writeStartObject();
                json.writeNumberField("total_models", CatalogSql.single(db, "SELECT count(*) FROM models"));
                json.writeArrayFieldStart("quantizations");
                writeCounts(db, json, "SELECT f.quantization, count(DISTINCT f.model_id) AS models FROM files f "
                        + "WHERE f.quantization IS NOT NULL AND " + CatalogSql.WEIGHTS + " "
                        + "GROUP BY quantization ORDER BY models DESC, quantization");
                json.writeEndArray();
                json.writeArrayFieldStart("architectures");
                writeCounts(db, json, "SELECT architecture, count(*) AS models FROM models WHERE architecture IS NOT NULL "
                        + "GROUP BY architecture ORDER BY models DESC, architecture LIMIT 500");
                json.writeEndArray();
                json.writeEndObject();
            }
            return out.toByteArray();
        }));
    }

    private static void writeValue(JsonGenerator json, ResultSet row, CatalogTables.Column column)
            throws SQLException, IOException {
        writeObject(json, column, row.getObject(column.name()));
    }

    private static void writeObject(JsonGenerator json, CatalogTables.Column column, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
            return;
        }
        switch (column.kind()) {
            case TEXT -> json.writeString(value.toString());
            case INTEGER -> json.writeNumber(((Number) value).longValue());
            case REAL -> json.writeNumber(((Number) value).doubleValue());
            case BOOLEAN -> json.writeBoolean(((Number) value).intValue() != 0);
            // written by this product from the catalog's own JSON
            case JSON -> json.writeRawValue(value.toString());
        }
    }

    private static void writeCounts(Connection db, JsonGenerator json, String sql) throws SQLException, IOException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            while (row.next()) {
                json.writeStartObject();
                json.writeStringField("name", row.getString(1));
                json.writeNumberField("models", row.getLong(2));
                json.writeEndObject();
            }
        }
    }

    // --- connections, per published file ---------------------------------------------------------------

    @FunctionalInterface
    private interface Read<T> {
        T apply(FileGeneration generation, Connection db) throws SQLException, IOException;
    }

    private <T> T withConnection(Read<T> read) {
        return ofTheFileAsItIs(() -> withConnection(generation(), read));
    }

    /** {@code question} answered from one file: asked again when a new file was published as it opened a connection. */
    private static <T> T ofTheFileAsItIs(java.util.function.Supplier<T> question) {
        for (int attempt = 1; ; attempt++) {
            try {
                return question.get();
            } catch (FileReplacedException e) {
                if (attempt == 3) {
                    throw new CatalogMissingException("the catalog was replaced three times while being read", e);
                }
            }
        }
    }

    private static <T> T withConnection(FileGeneration generation, Read<T> read) {
        return withConnection(generation, generation.borrow(), read);
    }

    private static <T> T withConnection(FileGeneration generation, Connection db, Read<T> read) {
        boolean healthy = false;
        try {
            T result = read.apply(generation, db);
            healthy = true;
            return result;
        } catch (SQLException e) {
            throw new CatalogMissingException("the catalog database cannot be read: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            generation.giveBack(db, healthy);
        }
    }

    /** The file as it is now: a new identity (a run renamed a new file over it) starts a new generation. */
    private synchronized FileGeneration generation() {
        FileGeneration.Identity identity;
        try {
            identity = FileGeneration.Identity.of(file);
        } catch (NoSuchFileException e) {
            throw new CatalogMissingException("no catalog yet: the first sync has not published one", e);
        } catch (IOException e) {
            throw new CatalogMissingException("the catalog database cannot be read: " + e.getMessage(), e);
        }
        if (current == null || !current.identity.equals(identity)) {
            // the same file written in place (a run's sync_runs row, after it published): what was read of the models
            // still holds. Only while a connection keeps the old file open: then its inode cannot be a new file's
            FileGeneration sameFile = current != null && identity.key() != null && identity.key().equals(current.identity.key())
                    && current.holdsOpen() ? current : null;
            if (current != null && sameFile == null && indexed && current.indexed() && current.holdsOpen()) {
                // a new file: the one it replaced answers until the new one's index is read
                if (replaced != null) {
                    replaced.retire();
                }
                replaced = current;
            } else if (current != null) {
                current.retire();
            }
            current = new FileGeneration(file, identity, sameFile, counts, pauses, LOG);
        }
        return current;
    }

    /**
     * Once the current file's index is read, the file it replaced has answered its last question. Only the current
     * file's: a question that began on the replaced file before the publish and ends after it used to retire that file
     * here (its own index read), so every later question waited for the new file's index (the 20 wrk timeouts at each
     * publish in bench/daemon-web.sh, bench/RESULTS.md).
     */
    private void indexRead() {
        if (replaced == null) {
            return;
        }
        synchronized (this) {
            if (replaced != null && current.indexed()) {
                replaced.retire();
                replaced = null;
            }
        }
    }

    /** How many page indexes this reader has read (tests: a file written in place is not read again). */
    long indexesRead() {
        return counts.indexesRead.get();
    }

    /** How many times this reader has checked a file's full-text table against its models (tests: once per file). */
    long ftsChecks() {
        return counts.ftsChecks.get();
    }

    /** How many entries of model lists SQLite has printed for this reader (tests: once per entry and file). */
    long entriesPrinted() {
        return counts.entriesPrinted.get();
    }

    /**
     * How many times a question found none of the replaced file's connections idle within its wait (tests: it waits
     * on while the new file's index is read).
     */
    long replacedWaitsExpired() {
        return counts.replacedWaitsExpired.get();
    }
}
