package io.hfsync.database;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;
import org.sqlite.SQLiteConfig;

/**
 * The read side of {@code DATA_DIR/gguf_models.sqlite} for the catalog page and its JSON API (SPEC §9).
 *
 * <p>Nothing of the catalog is kept in memory: every answer is read from the file. A run publishes a new file by
 * renaming it over the old one, so the reader looks at the file's identity (inode, size, modification time) on every
 * request: connections opened on an older file are closed as they come back and new ones open the new file. A
 * connection reads its file in one consistent snapshot, so an answer never mixes two runs. What is cached belongs to
 * one file and goes with it: how many models a filter matches (a count costs as much as the matches, the page itself
 * only as much as it shows) and the lists of quantizations and architectures the page offers.
 *
 * <p>Every value a user sends is bound as a parameter; the SQL text is chosen from fixed fragments only.
 */
public final class CatalogReader {

    /** Connections kept open per file; more may be open at once (one per concurrent request), the rest are closed. */
    private static final int IDLE_CONNECTIONS = 8;
    /** Distinct filters whose count is remembered per file (a few hundred bytes each). */
    private static final int COUNTS_REMEMBERED = 4_096;
    /**
     * Bytes of model-list answers remembered per file (a page of 50 entries is about 100 KB): the most recent ones,
     * so the first page of a popular search or of the whole catalog is read from SQLite once per published file.
     */
    private static final int PAGES_CACHED_BYTES = 8 * 1024 * 1024;
    /**
     * A search matching more models than this is answered by walking the sort order's index and keeping the matches;
     * fewer are sorted after the search. The walk stops at the page's last row, the sort costs all matches.
     */
    private static final long WALK_SORT_INDEX_ABOVE = 2_000;
    private static final String WEIGHTS = "weights";
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final long walkAbove;
    private Generation current;

    public CatalogReader(Path dataDir) {
        this(dataDir, WALK_SORT_INDEX_ABOVE);
    }

    /** @param walkAbove how many matches make a sort walk an index instead of sorting them (tests compare both) */
    CatalogReader(Path dataDir, long walkAbove) {
        this.file = dataDir.resolve(SqliteCatalog.FILE_NAME);
        this.walkAbove = walkAbove;
    }

    public Path file() {
        return file;
    }

    /** How the model list is ordered; all descending, ties in id order. */
    public enum Sort {
        DOWNLOADS("downloads", "models_downloads"),
        LIKES("likes", "models_likes"),
        LAST_MODIFIED("last_modified", "models_last_modified"),
        /** By the largest weights file that passes the quantization and size filters (unknown sizes last). */
        SIZE(null, null);

        final String column;
        final String index;

        Sort(String column, String index) {
            this.column = column;
            this.index = index;
        }
    }

    /**
     * A checked model query. {@code match} is an FTS5 expression built from quoted words only (or null), the other
     * filters are null when not set; {@code maxSizeBytes} keeps models with a weights file of at most that size.
     */
    public record ModelFilter(String match, String quantization, String architecture, Long maxSizeBytes,
            String gated) {
    }

    public record Page(long total, List<byte[]> models) {
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
        byte[] known = generation.pages.get(key);
        if (known != null) {
            return known;
        }
        byte[] answer = withConnection(generation, (g, db) -> {
            long total = g.count(filter, () -> count(db, g, filter));
            long offset = (long) (page - 1) * pageSize;
            List<String> ids = sort == Sort.SIZE && total > walkAbove
                    ? largestFirst(db, g, filter, offset, pageSize)
                    : pageIds(db, g, filter, sort, offset, pageSize, walkAbove);
            ByteArrayOutputStream out = new ByteArrayOutputStream(8_192);
            try (JsonGenerator json = JSON.createGenerator(out)) {
                json.writeStartObject();
                json.writeNumberField("total", total);
                json.writeNumberField("page", page);
                json.writeArrayFieldStart("models");
                writeEntries(db, g, ids, json);
                json.writeEndArray();
                json.writeEndObject();
            }
            return out.toByteArray();
        });
        generation.pages.put(key, answer);
        return answer;
    }

    /** One catalog entry, or empty when the catalog has no such model. */
    public Optional<byte[]> model(String id) {
        return withConnection((generation, db) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(2_048);
            int written;
            try (JsonGenerator json = JSON.createGenerator(out)) {
                written = writeEntries(db, generation, List.of(id), json);
            }
            return written == 0 ? Optional.<byte[]>empty() : Optional.of(out.toByteArray());
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
                json.writeNumberField("total_models", single(db, "SELECT count(*) FROM models"));
                json.writeArrayFieldStart("quantizations");
                writeCounts(db, json, "SELECT quantization, count(DISTINCT model_id) AS models FROM files "
                        + "WHERE quantization IS NOT NULL AND coalesce(role, 'weights') = 'weights' "
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
        if (filter.quantization() != null || filter.maxSizeBytes() != null) {
            Where files = fileConditions(filter);
            clauses.add("EXISTS (SELECT 1 FROM files f WHERE f.model_id = m.id AND " + files.sql() + ")");
            parameters.addAll(files.parameters());
        }
        return new Where(clauses.isEmpty() ? "1" : String.join(" AND ", clauses), parameters);
    }

    /** The weights files a filter looks at: of its quantization, at most its size (a size must then be known). */
    private static Where fileConditions(ModelFilter filter) {
        List<String> clauses = new ArrayList<>(List.of("coalesce(f.role, 'weights') = ?"));
        List<Object> parameters = new ArrayList<>(List.of(WEIGHTS));
        if (filter.quantization() != null) {
            clauses.add("f.quantization = ?");
            parameters.add(filter.quantization());
        }
        if (filter.maxSizeBytes() != null) {
            clauses.add("f.size <= ?");
            parameters.add(filter.maxSizeBytes());
        }
        return new Where(String.join(" AND ", clauses), parameters);
    }

    private enum Plan { SORT_MATCHES, WALK_INDEX, WALK_INDEX_CHECK_EACH }

    private static final ModelFilter NO_FILTER = new ModelFilter(null, null, null, null, null);

    private static long count(Connection db, Generation generation, ModelFilter filter) throws SQLException {
        if (filter.equals(NO_FILTER)) {
            return single(db, "SELECT count(*) FROM models");
        }
        Where where = where(filter, generation.ftsAligned(db));
        return single(db, "SELECT count(*) FROM models m WHERE " + where.sql(), where.parameters());
    }

    private static List<String> pageIds(Connection db, Generation generation, ModelFilter filter, Sort sort,
            long offset, int limit, long walkAbove) throws SQLException, IOException {
        Where where = where(filter, generation.ftsAligned(db));
        List<Object> parameters = new ArrayList<>(where.parameters());
        String sql;
        if (sort == Sort.SIZE) {
            // few matches (see largestFirst for many): each one's largest file, then sorted
            Where files = fileConditions(filter);
            sql = "SELECT m.id FROM models m WHERE " + where.sql()
                    + " ORDER BY (SELECT max(f.size) FROM files f WHERE f.model_id = m.id AND " + files.sql()
                    + ") DESC NULLS LAST, m.rowid LIMIT ? OFFSET ?";
            parameters.addAll(files.parameters());
        } else {
            // how the search (if any) is joined depends on how much of the catalog it matches: a narrow one is sorted
            // after the search, a broad one is answered along the sort index, which stops at the page's last row, and
            // one that matches most models is checked row by row instead of collecting all its matches first
            Plan plan = Plan.SORT_MATCHES;
            if (filter.match() != null) {
                ModelFilter search = new ModelFilter(filter.match(), null, null, null, null);
                long matches = generation.count(search, () -> count(db, generation, search));
                long models = generation.count(NO_FILTER, () -> count(db, generation, NO_FILTER));
                plan = matches <= walkAbove ? Plan.SORT_MATCHES
                        : matches * 2 <= models ? Plan.WALK_INDEX : Plan.WALK_INDEX_CHECK_EACH;
            }
            if (plan == Plan.WALK_INDEX_CHECK_EACH && generation.ftsAligned(db)) {
                where = where(new ModelFilter(null, filter.quantization(), filter.architecture(), filter.maxSizeBytes(),
                        filter.gated()), true);
                parameters = new ArrayList<>(List.of(filter.match()));
                parameters.addAll(where.parameters());
                where = new Where("EXISTS (SELECT 1 FROM models_fts WHERE models_fts MATCH ? AND rowid = m.rowid) AND "
                        + where.sql(), parameters);
            }
            // rowid order is id order: the catalog is sorted by id and loaded in that order
            sql = "SELECT m.id FROM models m" + (plan == Plan.SORT_MATCHES ? "" : " INDEXED BY " + sort.index)
                    + " WHERE " + where.sql() + " ORDER BY m." + sort.column + " DESC, m.rowid LIMIT ? OFFSET ?";
        }
        parameters.add(limit);
        parameters.add(offset);
        List<String> ids = new ArrayList<>(limit);
        try (PreparedStatement query = prepare(db, sql, parameters); ResultSet row = query.executeQuery()) {
            while (row.next()) {
                ids.add(row.getString(1));
            }
        }
        return ids;
    }

    /**
     * {@link Sort#SIZE} when many models match: the weights files are walked along the size index, largest first,
     * and a model is placed where its largest matching file appears (ties by rowid, as the sorting query orders them),
     * so the walk stops at the page's last model instead of computing every match's largest file. Models with no
     * sized matching file come last, in rowid order, as {@code NULLS LAST} puts them.
     */
    private static List<String> largestFirst(Connection db, Generation generation, ModelFilter filter, long offset,
            int limit) throws SQLException {
        boolean aligned = generation.ftsAligned(db);
        Where models = where(new ModelFilter(filter.match(), null, filter.architecture(), null, filter.gated()),
                aligned);
        Where files = fileConditions(filter);
        List<Object> parameters = new ArrayList<>(files.parameters());
        parameters.addAll(models.parameters());
        // (quantization, size) walks one quantization's files in size order, (size) all of them. The model's filters
        // are a scalar subquery per file: as a join or EXISTS, SQLite (3.54) first builds a Bloom filter over every
        // model that matches them, which costs more than the walk
        String sql = "SELECT f.model_id, (SELECT rowid FROM models WHERE id = f.model_id), f.size FROM files f INDEXED BY "
                + (filter.quantization() != null ? "files_quantization" : "files_size")
                + " WHERE f.size IS NOT NULL AND " + files.sql() + " AND (SELECT 1 FROM models m WHERE m.id = f.model_id"
                + " AND " + models.sql() + ") IS NOT NULL ORDER BY f.size DESC";
        long end = offset + limit;
        long placed = 0;
        List<String> ids = new ArrayList<>(limit);
        // the models already placed: rowids are 1..N in a file SqliteCatalog wrote, a bit each
        BitSet seen = new BitSet();
        Set<Long> seenElsewhere = new HashSet<>();
        List<long[]> tied = new ArrayList<>();
        List<String> tiedIds = new ArrayList<>();
        try (PreparedStatement query = prepare(db, sql, parameters); ResultSet row = query.executeQuery()) {
            long size = Long.MIN_VALUE;
            boolean more = true;
            while (placed < end && more) {
                more = row.next();
                long rowSize = more ? row.getLong(3) : Long.MIN_VALUE;
                if (rowSize != size || !more) {
                    // the models first seen at one size, placed in rowid order
                    placed = place(tied, tiedIds, placed, offset, end, ids);
                    size = rowSize;
                }
                if (more) {
                    long rowid = row.getLong(2);
                    boolean first;
                    if (rowid >= 0 && rowid <= Integer.MAX_VALUE) {
                        first = !seen.get((int) rowid);
                        seen.set((int) rowid);
                    } else {
                        first = seenElsewhere.add(rowid);
                    }
                    if (first) {
                        tied.add(new long[] {rowid, tiedIds.size()});
                        tiedIds.add(row.getString(1));
                    }
                }
            }
            if (placed >= end) {
                return ids;
            }
        }
        // the walk ran out: then the models whose matching weights files have no size
        Where all = where(filter, aligned);
        List<Object> tail = new ArrayList<>(all.parameters());
        tail.addAll(files.parameters());
        tail.add(end - Math.max(offset, placed));
        tail.add(Math.max(0, offset - placed));
        try (PreparedStatement query = prepare(db, "SELECT m.id FROM models m WHERE " + all.sql()
                + " AND NOT EXISTS (SELECT 1 FROM files f WHERE f.model_id = m.id AND f.size IS NOT NULL AND "
                + files.sql() + ") ORDER BY m.rowid LIMIT ? OFFSET ?", tail);
                ResultSet row = query.executeQuery()) {
            while (row.next() && ids.size() < limit) {
                ids.add(row.getString(1));
            }
        }
        return ids;
    }

    /** Gives the models in {@code tied} (rowid, index in {@code tiedIds}) the next places; keeps those on the page. */
    private static long place(List<long[]> tied, List<String> tiedIds, long placed, long offset, long end,
            List<String> page) {
        tied.sort((a, b) -> Long.compare(a[0], b[0]));
        for (long[] model : tied) {
            if (placed >= offset && placed < end) {
                page.add(tiedIds.get((int) model[1]));
            }
            placed++;
        }
        tied.clear();
        tiedIds.clear();
        return placed;
    }

    /** Writes the catalog entries of {@code ids}, in that order, with their files; returns how many exist. */
    private static int writeEntries(Connection db, Generation generation, List<String> ids, JsonGenerator json)
            throws SQLException, IOException {
        if (ids.isEmpty()) {
            return 0;
        }
        String placeholders = String.join(", ", Collections.nCopies(ids.size(), "?"));
        Map<String, List<Object[]>> files = new LinkedHashMap<>();
        try (PreparedStatement query = prepare(db, "SELECT " + generation.select(db, "files", CatalogTables.FILES)
                + " FROM files WHERE model_id IN (" + placeholders + ") ORDER BY rowid", new ArrayList<>(ids));
                ResultSet row = query.executeQuery()) {
            while (row.next()) {
                Object[] values = new Object[CatalogTables.FILES.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = row.getObject(i + 1);
                }
                files.computeIfAbsent(row.getString("model_id"), k -> new ArrayList<>()).add(values);
            }
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (PreparedStatement query = prepare(db, "SELECT " + generation.select(db, "models", CatalogTables.MODELS)
                + " FROM models WHERE id IN (" + placeholders + ")", new ArrayList<>(ids));
                ResultSet row = query.executeQuery()) {
            while (row.next()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(1_024);
                try (JsonGenerator entry = JSON.createGenerator(out)) {
                    writeEntry(entry, row, files.getOrDefault(row.getString("id"), List.of()));
                }
                entries.put(row.getString("id"), out.toByteArray());
            }
        }
        int written = 0;
        for (String id : ids) {
            byte[] entry = entries.get(id);
            if (entry != null) {
                json.writeRawValue(new String(entry, java.nio.charset.StandardCharsets.UTF_8));
                written++;
            }
        }
        return written;
    }

    private static void writeEntry(JsonGenerator json, ResultSet row, List<Object[]> files) throws SQLException,
            IOException {
        json.writeStartObject();
        for (CatalogTables.Column column : CatalogTables.MODELS) {
            json.writeFieldName(column.name());
            if (column.name().equals("gated")) {
                // the Hub's value: false, or the kind of gate ("auto", "manual")
                String gated = row.getString(column.name());
                if (gated == null) {
                    json.writeNull();
                } else if (gated.equals("false") || gated.equals("true")) {
                    json.writeBoolean(Boolean.parseBoolean(gated));
                } else {
                    json.writeString(gated);
                }
            } else {
                writeValue(json, row, column);
            }
        }
        json.writeArrayFieldStart("files");
        for (Object[] file : files) {
            json.writeStartObject();
            for (int i = 0; i < CatalogTables.FILES.size(); i++) {
                CatalogTables.Column column = CatalogTables.FILES.get(i);
                Object value = file[i];
                if (column.name().equals("model_id") || value == null && column.name().equals("size_source")) {
                    continue;
                }
                json.writeFieldName(column.name());
                writeObject(json, column, value);
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
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

    private static long single(Connection db, String sql) throws SQLException {
        return single(db, sql, List.of());
    }

    private static long single(Connection db, String sql, List<Object> parameters) throws SQLException {
        try (PreparedStatement query = prepare(db, sql, parameters); ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static PreparedStatement prepare(Connection db, String sql, List<Object> parameters) throws SQLException {
        PreparedStatement statement = db.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            if (value instanceof String text) {
                statement.setString(i + 1, text);
            } else {
                statement.setLong(i + 1, ((Number) value).longValue());
            }
        }
        return statement;
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
        Connection db = generation.borrow();
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
        Object identity;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            identity = List.of(Objects.toString(attributes.fileKey()), attributes.size(),
                    attributes.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            throw new CatalogMissingException("no catalog yet: the first sync has not published one", e);
        } catch (IOException e) {
            throw new CatalogMissingException("the catalog database cannot be read: " + e.getMessage(), e);
        }
        if (current == null || !current.identity.equals(identity)) {
            if (current != null) {
                current.retire();
            }
            current = new Generation(file, identity);
        }
        return current;
    }

    private record PageKey(ModelFilter filter, Sort sort, int page, int pageSize) {
    }

    /** Answers by question, least recently used first out once they hold more than {@code budget} bytes. */
    static final class PageCache {

        private final long budget;
        private final LinkedHashMap<PageKey, byte[]> answers = new LinkedHashMap<>(64, 0.75f, true);
        private long bytes;

        PageCache(long budget) {
            this.budget = budget;
        }

        synchronized byte[] get(PageKey key) {
            return answers.get(key);
        }

        synchronized void put(PageKey key, byte[] answer) {
            if (answer.length > budget / 8) {
                return;
            }
            byte[] old = answers.put(key, answer);
            bytes += answer.length - (old == null ? 0 : old.length);
            var eldest = answers.entrySet().iterator();
            while (bytes > budget && eldest.hasNext()) {
                bytes -= eldest.next().getValue().length;
                eldest.remove();
            }
        }
    }

    private static final class Generation {

        final Path file;
        final Object identity;
        private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
        private final Map<ModelFilter, Long> counts = Collections.synchronizedMap(
                new LinkedHashMap<>(256, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<ModelFilter, Long> eldest) {
                        return size() > COUNTS_REMEMBERED;
                    }
                });
        /** The answers already given from this file: the same question gets the same bytes until a run publishes. */
        final PageCache pages = new PageCache(PAGES_CACHED_BYTES);
        private volatile byte[] facets;
        private volatile Boolean ftsAligned;
        private final Map<String, String> selects = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile boolean retired;

        Generation(Path file, Object identity) {
            this.file = file;
            this.identity = identity;
        }

        Connection borrow() {
            Connection db = idle.pollFirst();
            if (db != null) {
                return db;
            }
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

        long count(ModelFilter filter, Compute<Long> compute) throws SQLException, IOException {
            Long known = counts.get(filter);
            if (known == null) {
                known = compute.get();
                counts.put(filter, known);
            }
            return known;
        }

        /**
         * The select list of {@code columns}: a column a file written by an older version lacks is read as NULL (the
         * next run rebuilds the file with every column), so --serve on an older DATA_DIR still answers.
         */
        String select(Connection db, String table, List<CatalogTables.Column> columns) throws SQLException {
            String known = selects.get(table);
            if (known == null) {
                java.util.Set<String> present = new java.util.HashSet<>();
                try (Statement statement = db.createStatement();
                        ResultSet info = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
                    while (info.next()) {
                        present.add(info.getString("name"));
                    }
                }
                List<String> parts = new ArrayList<>();
                for (CatalogTables.Column column : columns) {
                    parts.add(present.contains(column.name()) ? column.name() : "NULL AS " + column.name());
                }
                known = String.join(", ", parts);
                selects.put(table, known);
            }
            return known;
        }

        /** Whether every models_fts row has the rowid of its models row (one scan per file). */
        boolean ftsAligned(Connection db) throws SQLException {
            Boolean aligned = ftsAligned;
            if (aligned == null) {
                aligned = single(db, "SELECT count(*) FROM models m LEFT JOIN models_fts f ON f.rowid = m.rowid "
                        + "WHERE f.id IS NOT m.id") == 0
                        && single(db, "SELECT count(*) FROM models_fts") == single(db, "SELECT count(*) FROM models");
                ftsAligned = aligned;
            }
            return aligned;
        }

        byte[] facets(Compute<byte[]> compute) throws SQLException, IOException {
            byte[] known = facets;
            if (known == null) {
                known = compute.get();
                facets = known;
            }
            return known;
        }

        private static void close(Connection db) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // a read-only connection has nothing to lose
            }
        }
    }
}
