package io.hfsync.database;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

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

    /**
     * Connections kept open per file: as many as Camel's HTTP server answers at once (Vert.x runs blocking handlers on
     * a worker pool of 20 threads). A connection opened per request costs more than the answer (opening, the schema,
     * a cold page cache): with 8 kept, 20 clients spent 10 % of the time closing connections.
     */
    private static final int IDLE_CONNECTIONS = 24;
    /**
     * Bytes of model-list answers remembered per file (a page of 50 entries is about 100 KB): the most recent ones,
     * so the first page of a popular search or of the whole catalog is read from SQLite once per published file.
     */
    private static final int PAGES_CACHED_BYTES = 8 * 1024 * 1024;
    /**
     * Bytes of catalog entries remembered per file, as SQLite printed them (an entry with its files' memory is 3-6 KB:
     * 6,000 to 11,000 of them): a model on many pages (the popular ones, the ones that fit a common budget) is
     * printed once per published file instead of once per answer. With the memory per file, printing the page's
     * entries was most of a model list's time (docs/browser.md).
     */
    private static final int ENTRIES_CACHED_BYTES = 32 * 1024 * 1024;
    /**
     * How long a question waits for one of the replaced file's connections to come back (20 clients share them while
     * the new file's index is read) before it waits for that index instead.
     */
    private static final long REPLACED_WAIT_MILLIS = 250;
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final boolean indexed;
    private final Boolean walkSizes;
    private Generation current;
    /**
     * The file the last run replaced, while the new file's page index is not read yet: it answers model lists from
     * the connections that still hold it open, so no question waits the index read (about 2 s at 200k models) after a
     * publish. Retired once the new file's index is read.
     */
    private volatile Generation replaced;
    private final AtomicLong indexesRead = new AtomicLong();
    private final AtomicLong ftsChecks = new AtomicLong();
    private final AtomicLong replacedWaitsExpired = new AtomicLong();
    /** Tests: where a question or an index read can be held (nothing in production). */
    final Pauses pauses = new Pauses();
    private final AtomicLong entriesPrinted = new AtomicLong();

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

    /** The catalog has not been published yet (or cannot be opened). */
    public static final class CatalogMissingException extends RuntimeException {
        CatalogMissingException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One page of models, each as its catalog entry (JSON), or {@link CatalogMissingException}. */
    public byte[] models(ModelFilter filter, Sort sort, int page, int pageSize) {
        Generation generation = generation();
        PageKey key = new PageKey(filter, sort, page, pageSize);
        byte[] known = generation.pages().get(key);
        if (known != null) {
            return known;
        }
        Generation before = replaced;
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
                replacedWaitsExpired.incrementAndGet();
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
    private byte[] remembered(Generation g, Connection db, PageKey key) {
        byte[] answer = withConnection(g, db, (generation, connection) -> modelsAnswer(generation, connection, key));
        g.pages().put(key, answer);
        return answer;
    }

    /** The model list {@code key} asks for, read from {@code g}'s file. */
    private byte[] modelsAnswer(Generation g, Connection db, PageKey key) throws SQLException {
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
            BitSet kept = index.matching(filter, match -> searchRowids(db, g, match));
            total = kept.cardinality();
            rowids = index.page(kept, filter, sort, offset, pageSize, walkSizes);
        } else {
            total = count(db, g, filter);
            rowids = sortedPage(db, g, filter, sort, offset, pageSize);
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
        return withConnection((generation, db) -> entries(db, generation, "m.id = ?", List.of(id)).values().stream()
                .findFirst());
    }

    /**
     * Reads the current file's page index if no question has yet (after a run published a new file, or at start), so
     * no visitor waits for it; false while no catalog has been published. An unchanged file costs one {@code stat}.
     */
    public boolean readAhead() {
        try {
            Generation generation = generation();
            if (indexed && !generation.indexed()) {
                withConnection(generation, (g, db) -> g.index(db));
            }
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
    <T> T whileAnswering(Compute<T> inside) {
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

    // --- queries --------------------------------------------------------------------------------------

    /** The WHERE clause of a filter and its parameters, in order. */
    private record Where(String sql, List<Object> parameters) {
    }

    private static Where where(ModelFilter filter, boolean aligned) {
        List<String> clauses = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (filter.match() != null) {
            // SqliteCatalog fills models_fts in the order of models, in a new file: the same rowids, a cheaper join
            // than by id (checked once per file, see Generation.ftsAligned)
            clauses.add(aligned ? "m.rowid IN (SELECT rowid FROM models_fts WHERE models_fts MATCH ?)"
                    : "m.id IN (SELECT id FROM models_fts WHERE models_fts MATCH ?)");
            parameters.add(filter.match());
        }
        if (filter.architecture() != null) {
            clauses.add("m.architecture = ?");
            parameters.add(filter.architecture());
        }
        if (filter.gated() != null) {
            if (filter.gated().equals("true")) {
                clauses.add("m.gated IS NOT NULL AND m.gated <> ?");
                parameters.add("false");
            } else {
                clauses.add("m.gated = ?");
                parameters.add(filter.gated());
            }
        }
        if (filter.filtersFiles()) {
            Where files = fileConditions(filter);
            clauses.add("EXISTS (SELECT 1 FROM files f WHERE f.model_id = m.id AND " + files.sql() + ")");
            parameters.addAll(files.parameters());
        }
        return new Where(clauses.isEmpty() ? "1" : String.join(" AND ", clauses), parameters);
    }

    /** The weights files a filter looks at: of its quantization, at most its size (a size must then be known). */
    private static Where fileConditions(ModelFilter filter) {
        List<String> clauses = new ArrayList<>(List.of(CatalogSql.WEIGHTS));
        List<Object> parameters = new ArrayList<>();
        if (filter.quantization() != null) {
            clauses.add("f.quantization = ?");
            parameters.add(filter.quantization());
        }
        if (filter.maxSizeBytes() != null) {
            clauses.add("f.size <= ?");
            parameters.add(filter.maxSizeBytes());
        }
        if (filter.fitsBytes() != null) {
            clauses.add("EXISTS (SELECT 1 FROM json_each(f.memory) e WHERE json_extract(e.value, '$.context') = ?"
                    + " AND json_extract(e.value, '$.total') <= ?)");
            parameters.add(filter.context());
            parameters.add(filter.fitsBytes());
        }
        return new Where(String.join(" AND ", clauses), parameters);
    }

    private static final ModelFilter NO_FILTER = new ModelFilter(null, null, null, null, null);

    /** A full-text search's matching models, as rowids. */
    private static List<Long> searchRowids(Connection db, Generation generation, String match) throws SQLException {
        // SqliteCatalog fills models_fts in the order of models, in a new file: the same rowids (Generation.ftsAligned)
        String sql = generation.ftsAligned(db) ? "SELECT rowid FROM models_fts WHERE models_fts MATCH ?"
                : "SELECT m.rowid FROM models m WHERE m.id IN (SELECT id FROM models_fts WHERE models_fts MATCH ?)";
        List<Long> rowids = new ArrayList<>();
        try (PreparedStatement query = CatalogSql.prepare(db, sql, List.of(match)); ResultSet row = query.executeQuery()) {
            while (row.next()) {
                rowids.add(row.getLong(1));
            }
        }
        return rowids;
    }

    /** How many models a filter keeps, by SQL (the reference {@link ModelIndex} is compared with). */
    private static long count(Connection db, Generation generation, ModelFilter filter) throws SQLException {
        if (filter.equals(NO_FILTER)) {
            return CatalogSql.single(db, "SELECT count(*) FROM models");
        }
        Where where = where(filter, generation.ftsAligned(db));
        return CatalogSql.single(db, "SELECT count(*) FROM models m WHERE " + where.sql(), where.parameters());
    }

    /** A page of the model list by the plain sorting query (the reference {@link ModelIndex} is compared with). */
    private static List<Long> sortedPage(Connection db, Generation generation, ModelFilter filter, Sort sort,
            long offset, int limit) throws SQLException {
        Where where = where(filter, generation.ftsAligned(db));
        List<Object> parameters = new ArrayList<>(where.parameters());
        String order;
        if (sort == Sort.SIZE) {
            // each model's largest weights file that passes the filters; models with none of a known size last
            Where files = fileConditions(filter);
            order = "(SELECT max(f.size) FROM files f WHERE f.model_id = m.id AND " + files.sql() + ") DESC NULLS LAST";
            parameters.addAll(files.parameters());
        } else {
            order = "m." + sort.column + " DESC";
        }
        parameters.add(limit);
        parameters.add(offset);
        List<Long> rowids = new ArrayList<>(limit);
        try (PreparedStatement query = CatalogSql.prepare(db, "SELECT m.rowid FROM models m WHERE " + where.sql() + " ORDER BY "
                + order + ", m.rowid LIMIT ? OFFSET ?", parameters); ResultSet row = query.executeQuery()) {
            while (row.next()) {
                rowids.add(row.getLong(1));
            }
        }
        return rowids;
    }

    /**
     * The catalog entries of the models {@code where} selects (alias {@code m}), by rowid, each as JSON bytes. SQLite
     * prints them (json_object over the row and its files): one value per model crosses JDBC instead of one per column,
     * which at 50 models and 260 files a page was most of an answer's time and allocation.
     */
    private static Map<Long, byte[]> entries(Connection db, Generation generation, String where,
            List<Object> parameters) throws SQLException {
        Map<Long, byte[]> entries = new HashMap<>();
        try (PreparedStatement query = CatalogSql.prepare(db, "SELECT m.rowid, " + generation.entryJson(db) + " FROM models m WHERE "
                + where, parameters); ResultSet row = query.executeQuery()) {
            while (row.next()) {
                entries.put(row.getLong(1), row.getBytes(2));
            }
        }
        return entries;
    }

    /**
     * The SQL expression of a model's catalog entry (alias {@code m}) as the catalog has it: the {@code models}
     * columns in docs/database.md's order, booleans as JSON booleans, {@code gated} as false or the gate's kind, the JSON
     * columns as JSON, and {@code files} (each without {@code model_id}, in the order the run wrote them). A column a
     * file written by an older version lacks is null ({@code size_source}: absent, as its catalog had it).
     */
    private static String entryJson(Set<String> modelColumns, Set<String> fileColumns) {
        List<String> model = new ArrayList<>();
        for (CatalogTables.Column column : CatalogTables.MODELS) {
            String value = "m." + column.name();
            if (!modelColumns.contains(column.name())) {
                value = "NULL";
            } else if (column.name().equals("gated")) {
                // the Hub's value: false, or the kind of gate ("auto", "manual")
                value = "json(CASE WHEN m.gated IN ('true', 'false') THEN m.gated ELSE json_quote(m.gated) END)";
            } else {
                value = jsonValue(column, value);
            }
            model.add("'" + column.name() + "', " + value);
        }
        List<String> file = new ArrayList<>();
        for (CatalogTables.Column column : CatalogTables.FILES) {
            boolean present = fileColumns.contains(column.name());
            // size_source: an older catalog's files had no such key
            if (!column.name().equals("model_id") && (present || !column.name().equals("size_source"))) {
                file.add("'" + column.name() + "', " + (present ? jsonValue(column, "f." + column.name()) : "NULL"));
            }
        }
        String fileJson = "json_object(" + String.join(", ", file) + ")";
        // json(): a subquery's value loses its JSON type, and would be printed as a string
        model.add("'files', json((SELECT json_group_array(" + fileJson + " ORDER BY f.rowid) FROM files f"
                + " WHERE f.model_id = m.id))");
        return "json_object(" + String.join(", ", model) + ")";
    }

    private static String jsonValue(CatalogTables.Column column, String value) {
        return switch (column.kind()) {
            case TEXT, INTEGER, REAL -> value;
            case BOOLEAN -> "json(CASE WHEN " + value + " IS NULL THEN NULL WHEN " + value
                    + " THEN 'true' ELSE 'false' END)";
            // written by this product from the catalog's own JSON
            case JSON -> "json(" + value + ")";
        };
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
        T apply(Generation generation, Connection db) throws SQLException, IOException;
    }

    @FunctionalInterface
    public interface Compute<T> {
        T get() throws SQLException, IOException;
    }

    private <T> T withConnection(Read<T> read) {
        return withConnection(generation(), read);
    }

    private static <T> T withConnection(Generation generation, Read<T> read) {
        return withConnection(generation, generation.borrow(), read);
    }

    private static <T> T withConnection(Generation generation, Connection db, Read<T> read) {
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
    private synchronized Generation generation() {
        Identity identity;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            identity = new Identity(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            throw new CatalogMissingException("no catalog yet: the first sync has not published one", e);
        } catch (IOException e) {
            throw new CatalogMissingException("the catalog database cannot be read: " + e.getMessage(), e);
        }
        if (current == null || !current.identity.equals(identity)) {
            // the same file written in place (a run's sync_runs row, after it published): what was read of the models
            // still holds. Only while a connection keeps the old file open: then its inode cannot be a new file's
            Generation sameFile = current != null && identity.key() != null && identity.key().equals(current.identity.key())
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
            current = new Generation(file, identity, sameFile, indexesRead, ftsChecks, pauses, entriesPrinted);
        }
        return current;
    }

    /**
     * Once the current file's index is read, the file it replaced has answered its last question. Only the current
     * file's: a question that began on the replaced file before the publish and ends after it used to retire that file
     * here (its own index read), so every later question waited for the new file's index (the 20 wrk timeouts at each
     * publish in bench/daemon-web.sh, bench/README.md).
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

    /** A file as the file system tells it apart: its key (device and inode where there is one), size and time. */
    private record Identity(Object key, long size, long modified) {
    }

    /** How many page indexes this reader has read (tests: a file written in place is not read again). */
    long indexesRead() {
        return indexesRead.get();
    }

    /** How many times this reader has checked a file's full-text table against its models (tests: once per file). */
    long ftsChecks() {
        return ftsChecks.get();
    }

    /** How many entries of model lists SQLite has printed for this reader (tests: once per entry and file). */
    long entriesPrinted() {
        return entriesPrinted.get();
    }

    /**
     * How many times a question found none of the replaced file's connections idle within its wait (tests: it waits
     * on while the new file's index is read).
     */
    long replacedWaitsExpired() {
        return replacedWaitsExpired.get();
    }

    /** Tests: steps a test holds to set two files' reads side by side; each runs nothing unless a test sets it. */
    static final class Pauses {
        /** As a question starts reading a model list, from whichever file. */
        volatile Runnable answer = () -> { };
        /** As a file's page index starts being read, its lock held. */
        volatile Runnable index = () -> { };
    }

    private record PageKey(ModelFilter filter, Sort sort, int page, int pageSize) {
    }

    /**
     * Bytes by key (answers by question, entries by rowid), least recently used first out once they hold more than
     * {@code budget} bytes; a value larger than an eighth of it is not kept.
     */
    static final class BytesCache<K> {

        private final long budget;
        private final LinkedHashMap<K, byte[]> values = new LinkedHashMap<>(64, 0.75f, true);
        private long bytes;

        BytesCache(long budget) {
            this.budget = budget;
        }

        synchronized byte[] get(K key) {
            return values.get(key);
        }

        /** The values of {@code keys} that are kept, into {@code found}; the others into {@code missing}. */
        synchronized void get(List<K> keys, Map<K, byte[]> found, List<K> missing) {
            for (K key : keys) {
                byte[] value = values.get(key);
                if (value != null) {
                    found.put(key, value);
                } else {
                    missing.add(key);
                }
            }
        }

        synchronized void put(K key, byte[] value) {
            if (value.length > budget / 8) {
                return;
            }
            byte[] old = values.put(key, value);
            bytes += value.length - (old == null ? 0 : old.length);
            var eldest = values.entrySet().iterator();
            while (bytes > budget && eldest.hasNext()) {
                bytes -= eldest.next().getValue().length;
                eldest.remove();
            }
        }
    }

    /**
     * What was read of one file's models, kept by the generations of that file (its inode) while it is written in
     * place (a run's sync_runs row, after it published): a question asked in between waits for the page index being
     * read instead of reading it a second time.
     */
    private static final class FileReads {

        /** The answers already given from this file: the same question gets the same bytes until a run publishes. */
        final BytesCache<PageKey> pages = new BytesCache<>(PAGES_CACHED_BYTES);
        /** Entries as SQLite printed them from this file, by rowid: a new file (a run's publish) prints its own. */
        final BytesCache<Long> entries = new BytesCache<>(ENTRIES_CACHED_BYTES);
        volatile byte[] facets;
        volatile ModelIndex index;
        /** A question (or the read ahead) is reading {@link #index} now. */
        volatile boolean indexing;
        volatile String entryJson;
        volatile Boolean ftsAligned;
        final Map<String, String> selects = new ConcurrentHashMap<>();
    }

    private static final class Generation {

        final Path file;
        final Identity identity;
        private final AtomicLong indexesRead;
        private final AtomicLong ftsChecks;
        private final AtomicLong entriesPrinted;
        private final LinkedBlockingDeque<Connection> idle = new LinkedBlockingDeque<>();
        /** Connections of this generation not closed yet, idle or answering a question. */
        private final AtomicInteger open = new AtomicInteger();
        private final FileReads reads;
        private final Pauses pauses;
        private volatile boolean retired;

        /** @param sameFile the generation of the same file before it was written in place, whose reads still hold */
        Generation(Path file, Identity identity, Generation sameFile, AtomicLong indexesRead, AtomicLong ftsChecks,
                Pauses pauses, AtomicLong entriesPrinted) {
            this.file = file;
            this.identity = identity;
            this.indexesRead = indexesRead;
            this.ftsChecks = ftsChecks;
            this.pauses = pauses;
            this.entriesPrinted = entriesPrinted;
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
                Map<Long, byte[]> printed = CatalogReader.entries(db, this, "m.rowid IN (" + String.join(", ",
                        Collections.nCopies(missing.size(), "?")) + ")", new ArrayList<>(missing));
                entriesPrinted.addAndGet(printed.size());
                printed.forEach(reads.entries::put);
                found.putAll(printed);
            }
            return found;
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
                Connection connection = config.createConnection("jdbc:sqlite:" + file);
                try (Statement pragma = connection.createStatement()) {
                    pragma.execute("PRAGMA query_only = true");
                    // pages are read through the operating system's cache, shared by all connections
                    pragma.execute("PRAGMA mmap_size = 1073741824");
                }
                return connection;
            } catch (SQLException e) {
                open.decrementAndGet();
                throw new CatalogMissingException("the catalog database cannot be opened: " + e.getMessage(), e);
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
                            indexesRead.incrementAndGet();
                            reads.index = known;
                            LOG.info("Catalog page index of {} read in {} ms: {} models, {} weights files, {} MB",
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

        /** {@link CatalogReader#entryJson(Set, Set)} for this file's columns. */
        String entryJson(Connection db) throws SQLException {
            String known = reads.entryJson;
            if (known == null) {
                known = CatalogReader.entryJson(columns(db, "models"), columns(db, "files"));
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
                        ftsChecks.incrementAndGet();
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
}
