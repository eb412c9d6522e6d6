package io.hfsync.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.hfsync.memory.MemoryEstimator;
import java.io.IOException;

/**
 * What the catalog page's filters and sorts look at, for one published SQLite file, as arrays over its models: the
 * three sort orders, each model's architecture and gate, and every weights file's model, quantization and size, the
 * files largest first. No name, tag or entry is held: a question is answered here as a set of models (a bit each)
 * and a page of rowids, and the page's entries are read from the file. At 200,000 models and 764,491 weights files
 * this is 22 MB, read once per file in one pass over each table (about 2 s there, bench/web.sh). For
 * {@code fits_gb} it keeps, per model and context of {@link MemoryEstimator#CONTEXTS}, what a file needs beyond its
 * weights (KV cache and compute: the same for every file of a model, docs/memory.md): 32 bytes a model.
 *
 * <p>The answers are those of the plain SQL query the reader runs without it ({@code CatalogReaderPlansIT}
 * compares them page by page): the same filters, each sort descending with ties by rowid, and for {@code sort=size}
 * the largest weights file that passes the quantization and size filters, models with none of a known size last.
 *
 * <p>Long because the model arrays, the one pass that reads them and the walks that answer a question over them are
 * one structure: split further, each part would reach into the others' arrays. The weights files, their order and
 * their search by size are {@link WeightsFiles}.
 */
final class ModelIndex {

    /** Full-text searches whose matches are remembered (a bit per model each: 25 KB at 200,000 models). */
    private static final int SEARCHES_REMEMBERED = 256;
    /** Quantization and size filters whose models are remembered. */
    private static final int FILE_FILTERS_REMEMBERED = 64;
    private static final int NONE = WeightsFiles.NONE;

    private final int models;
    /** The models' rowids, ascending: a model's place in this array is its number here. */
    private final long[] rowids;
    private final boolean dense;
    private final Map<Sort, int[]> orders = new HashMap<>();
    private final int[] architecture;
    private final Map<String, Integer> architectures = new HashMap<>();
    private final int[] gated;
    private final List<String> gates = new ArrayList<>();
    /** Weights files, largest first, those of no known size last, and each model's. */
    private final WeightsFiles files;
    private final Map<String, Integer> quantizations = new HashMap<>();
    /**
     * Per context of {@link MemoryEstimator#CONTEXTS}, per model: its files' memory {@code total} minus their
     * {@code weights} (the file's size), or NONE when not known at that context (no header, a context beyond the
     * model's, a cache the estimate does not reproduce).
     */
    private final long[][] beyondWeights;
    private final Map<String, BitSet> searches = lru(SEARCHES_REMEMBERED);
    private final Map<List<Object>, BitSet> fileFilters = lru(FILE_FILTERS_REMEMBERED);

    /** Reads the index of the file {@code db} has open. */
    ModelIndex(Connection db) throws SQLException {
        models = (int) CatalogSql.single(db, "SELECT count(*) FROM models");
        int weightsFiles = (int) CatalogSql.single(db, "SELECT count(*) FROM files f WHERE " + CatalogSql.WEIGHTS);
        rowids = new long[models];
        architecture = new int[models];
        gated = new int[models];
        int read = 0;
        try (Statement sql = db.createStatement();
                ResultSet row = sql.executeQuery("SELECT rowid, architecture, gated FROM models ORDER BY rowid")) {
            while (row.next() && read < models) {
                rowids[read] = row.getLong(1);
                architecture[read] = code(row.getString(2), architectures, null);
                gated[read] = code(row.getString(3), null, gates);
                read++;
            }
        }
        boolean everyRowid = read == models;
        for (int i = 0; i < read; i++) {
            everyRowid &= rowids[i] == i + 1;
        }
        dense = everyRowid;
        for (Sort sort : Sort.values()) {
            if (sort.column == null) {
                continue;
            }
            int[] order = new int[models];
            int placed = 0;
            try (Statement sql = db.createStatement(); ResultSet row = sql.executeQuery("SELECT rowid FROM models ORDER BY "
                    + sort.column + " DESC, rowid")) {
                while (row.next() && placed < models) {
                    order[placed++] = number(row.getLong(1));
                }
            }
            orders.put(sort, order);
        }
        int[] model = new int[weightsFiles];
        int[] quantization = new int[weightsFiles];
        long[] size = new long[weightsFiles];
        int weights = 0;
        beyondWeights = new long[MemoryEstimator.CONTEXTS.size()][models];
        for (long[] beyond : beyondWeights) {
            Arrays.fill(beyond, NONE);
        }
        BitSet memoryRead = new BitSet(models);
        boolean withMemory = hasColumn(db, "files", "memory");
        // in the table's order (a walk of the size index would read the table at random: seconds at 200,000 models),
        // then put in order by WeightsFiles
        try (Statement sql = db.createStatement(); ResultSet row = sql.executeQuery(
                "SELECT (SELECT rowid FROM models m WHERE m.id = f.model_id), f.quantization, f.size, "
                        + (withMemory ? "f.memory" : "NULL") + " FROM files f WHERE " + CatalogSql.WEIGHTS)) {
            while (row.next() && weights < weightsFiles) {
                int number = number(row.getLong(1));
                if (row.wasNull() || number < 0) {
                    continue;
                }
                model[weights] = number;
                quantization[weights] = code(row.getString(2), quantizations, null);
                long bytes = row.getLong(3);
                size[weights] = row.wasNull() ? NONE : bytes;
                if (!memoryRead.get(number)) {
                    // one file of a model is enough: its others need as much beyond their weights
                    String memory = row.getString(4);
                    if (memory != null) {
                        memoryRead.set(number);
                        readBeyondWeights(memory, number);
                    }
                }
                weights++;
            }
        }
        // a file without its model (not written by this product) was left out
        this.files = new WeightsFiles(model, quantization, size, weights, models);
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** A file's {@code memory} array (docs/memory.md): total minus weights at each context it lists. */
    private void readBeyondWeights(String memory, int model) throws SQLException {
        try (JsonParser parser = JSON.createParser(memory)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return;
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                long context = NONE;
                long weights = NONE;
                long total = NONE;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    long number = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : NONE;
                    switch (field) {
                        case "context" -> context = number;
                        case "weights" -> weights = number;
                        case "total" -> total = number;
                        default -> parser.skipChildren();
                    }
                }
                int at = MemoryEstimator.CONTEXTS.indexOf(context);
                if (at >= 0 && weights >= 0 && total >= weights) {
                    beyondWeights[at][model] = total - weights;
                }
            }
        } catch (IOException unreadable) {
            // written by this product from the catalog's JSON; anything else is a memory not known
        }
    }

    private static boolean hasColumn(Connection db, String table, String column) throws SQLException {
        try (Statement sql = db.createStatement(); ResultSet info = sql.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (info.next()) {
                if (column.equals(info.getString("name"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How many bytes the arrays hold (for the log line). */
    long bytes() {
        // rowids, the sort orders, architecture and gate codes, firstFile; per file: model, quantization, size, place
        return models * 8L + orders.size() * models * 4L + models * 8L + (models + 1) * 4L + files.count() * 20L
                + beyondWeights.length * models * 8L;
    }

    int models() {
        return models;
    }

    int files() {
        return files.count();
    }

    /** The models a filter keeps; {@code search} gives a full-text search's matches as rowids when not known yet. */
    BitSet matching(ModelFilter filter, Search search) throws SQLException {
        BitSet kept;
        if (filter.match() != null) {
            BitSet known;
            synchronized (searches) {
                known = searches.get(filter.match());
            }
            if (known == null) {
                known = new BitSet(models);
                for (long rowid : search.rowids(filter.match())) {
                    int model = number(rowid);
                    if (model >= 0) {
                        known.set(model);
                    }
                }
                synchronized (searches) {
                    searches.put(filter.match(), known);
                }
            }
            kept = (BitSet) known.clone();
        } else {
            kept = new BitSet(models);
            kept.set(0, models);
        }
        if (filter.architecture() != null) {
            Integer wanted = architectures.get(filter.architecture());
            int code = wanted == null ? Integer.MIN_VALUE : wanted;
            keep(kept, i -> architecture[i] == code);
        }
        if (filter.gated() != null) {
            boolean[] passes = new boolean[gates.size()];
            for (int g = 0; g < passes.length; g++) {
                passes[g] = filter.gated().equals("true") ? !gates.get(g).equals("false")
                        : gates.get(g).equals(filter.gated());
            }
            keep(kept, i -> gated[i] != NONE && passes[gated[i]]);
        }
        if (filter.filtersFiles()) {
            kept.and(withWeightsFile(filter));
        }
        return kept;
    }

    /**
     * The page {@code [offset, offset + limit)} of {@code kept} in {@code sort}'s order, as rowids.
     *
     * @param walkSizes for {@code sort=size}: null to choose the cheaper way, or which way (tests compare both)
     */
    List<Long> page(BitSet kept, ModelFilter filter, Sort sort, long offset, int limit,
            Boolean walkSizes) {
        List<Long> page = new ArrayList<>(limit);
        if (sort.column != null) {
            long seen = 0;
            for (int model : orders.get(sort)) {
                if (kept.get(model) && seen++ >= offset) {
                    page.add(rowids[model]);
                    if (page.size() == limit) {
                        break;
                    }
                }
            }
            return page;
        }
        return bySize(kept, filter, offset, limit, walkSizes);
    }

    /**
     * {@link Sort#SIZE}. Many matches: walk the files largest first ({@link #walkBySize}), which stops
     * at the page's last model. Few: take each match's largest passing file ({@link #collectBySize}), which costs the
     * matches' files and a sort of them. Each is estimated by the files it reads.
     *
     * @param walk null to choose by the estimate, or which way (tests compare both)
     */
    private List<Long> bySize(BitSet kept, ModelFilter filter, long offset, int limit, Boolean walk) {
        FileTest test = fileTest(filter);
        if (test == null) {
            return List.of();
        }
        if (walk == null) {
            double matches = Math.max(1, kept.cardinality());
            double walked = (offset + limit) * (double) (files.count() - firstAtMost(test)) / matches;
            double collected = matches * files.count() / Math.max(1, models) + matches * 20;
            walk = walked < collected;
        }
        return walk ? walkBySize(kept, test, offset, limit) : collectBySize(kept, test, offset, limit);
    }

    /**
     * What a weights file must be to pass a filter's file conditions (docs/memory.md for {@code fits}): of a
     * quantization (NONE: any), at most a size, and within {@code fits} bytes in total at one context (beyond: that
     * context's {@link #beyondWeights}, null when the filter asks no fit).
     */
    private record FileTest(int quantization, long maxSize, long fits, long[] beyond) {
    }

    /** The filter's file conditions, or null when no file can pass (a quantization the catalog does not hold). */
    private FileTest fileTest(ModelFilter filter) {
        Integer wanted = filter.quantization() == null ? null : quantizations.get(filter.quantization());
        if (filter.quantization() != null && wanted == null) {
            return null;
        }
        long[] beyond = null;
        if (filter.fitsBytes() != null) {
            int at = MemoryEstimator.CONTEXTS.indexOf(filter.context());
            if (at < 0) {
                return null;
            }
            beyond = beyondWeights[at];
        }
        return new FileTest(wanted == null ? NONE : wanted,
                filter.maxSizeBytes() == null ? Long.MAX_VALUE : filter.maxSizeBytes(),
                filter.fitsBytes() == null ? Long.MAX_VALUE : filter.fitsBytes(), beyond);
    }

    private boolean passes(int file, FileTest test) {
        if (files.size[file] == NONE || files.size[file] > test.maxSize()
                || test.quantization() != NONE && files.quantization[file] != test.quantization()) {
            return false;
        }
        if (test.beyond() == null) {
            return true;
        }
        long beyond = test.beyond()[files.model[file]];
        return beyond != NONE && files.size[file] <= test.fits() - beyond;
    }

    /** Each match's largest passing file, sorted largest first, ties and those with none in rowid order. */
    private List<Long> collectBySize(BitSet kept, FileTest test, long offset, int limit) {
        int matches = kept.cardinality();
        int[] model = new int[matches];
        long[] largest = new long[matches];
        int count = 0;
        for (int m = kept.nextSetBit(0); m >= 0; m = kept.nextSetBit(m + 1)) {
            long best = NONE;
            for (int i = files.first[m]; i < files.first[m + 1]; i++) {
                int file = files.byModel[i];
                if (files.size[file] > best && passes(file, test)) {
                    best = files.size[file];
                }
            }
            model[count] = m;
            largest[count++] = best;
        }
        int[] order = WeightsFiles.descending(largest, count);
        List<Long> page = new ArrayList<>(limit);
        for (long place = offset; place < count && page.size() < limit; place++) {
            page.add(rowids[model[order[(int) place]]]);
        }
        return page;
    }

    /** The first file not too large for the test (the files are numbered largest first). */
    private int firstAtMost(FileTest test) {
        return files.firstAtMost(Math.min(test.maxSize(), test.fits()));
    }

    /**
     * The files walked largest first: a model takes its place at its largest file that passes the filter; the models
     * first placed at one size go in rowid order. Then the models whose passing files have no known size, in rowid
     * order.
     */
    private List<Long> walkBySize(BitSet kept, FileTest test, long offset, int limit) {
        long end = offset + limit;
        List<Long> page = new ArrayList<>(limit);
        BitSet placed = new BitSet(models);
        List<Integer> tied = new ArrayList<>();
        long place = 0;
        for (int file = firstAtMost(test); file < files.sized && place < end; file++) {
            int model = files.model[file];
            if (kept.get(model) && !placed.get(model) && passes(file, test)) {
                placed.set(model);
                tied.add(model);
            }
            if (file + 1 == files.sized || files.size[file + 1] != files.size[file]) {
                if (tied.size() > 1) {
                    Collections.sort(tied);
                }
                for (int tie : tied) {
                    if (place >= offset && place < end) {
                        page.add(rowids[tie]);
                    }
                    place++;
                }
                tied.clear();
            }
        }
        for (int model = kept.nextSetBit(0); model >= 0 && place < end; model = kept.nextSetBit(model + 1)) {
            if (!placed.get(model)) {
                if (place >= offset) {
                    page.add(rowids[model]);
                }
                place++;
            }
        }
        return page;
    }

    /**
     * The models with a weights file that passes the filter's file conditions: of its quantization (any when null), at
     * most its size, within its memory at its context.
     */
    private BitSet withWeightsFile(ModelFilter filter) {
        List<Object> key = Arrays.asList(filter.quantization(), filter.maxSizeBytes(), filter.fitsBytes(),
                filter.context());
        synchronized (fileFilters) {
            BitSet known = fileFilters.get(key);
            if (known != null) {
                return known;
            }
        }
        BitSet models = new BitSet(this.models);
        FileTest test = fileTest(filter);
        if (test != null) {
            boolean sized = filter.maxSizeBytes() != null || filter.fitsBytes() != null;
            int end = sized ? files.sized : files.count();
            for (int file = sized ? firstAtMost(test) : 0; file < end; file++) {
                if (sized ? passes(file, test)
                        : test.quantization() == NONE || files.quantization[file] == test.quantization()) {
                    models.set(files.model[file]);
                }
            }
        }
        synchronized (fileFilters) {
            fileFilters.put(key, models);
        }
        return models;
    }

    private static void keep(BitSet kept, IntPredicate passes) {
        for (int model = kept.nextSetBit(0); model >= 0; model = kept.nextSetBit(model + 1)) {
            if (!passes.test(model)) {
                kept.clear(model);
            }
        }
    }

    /** A model's number here, or -1 when the file has no model with that rowid. */
    private int number(long rowid) {
        if (dense) {
            return rowid >= 1 && rowid <= models ? (int) (rowid - 1) : NONE;
        }
        int found = Arrays.binarySearch(rowids, rowid);
        return found >= 0 ? found : NONE;
    }

    /** A value's code in a dictionary: by map (value to code) or by list (code to value); NULL is -1. */
    private static int code(String value, Map<String, Integer> byValue, List<String> byCode) {
        if (value == null) {
            return NONE;
        }
        if (byValue != null) {
            return byValue.computeIfAbsent(value, v -> byValue.size());
        }
        int code = byCode.indexOf(value);
        if (code < 0) {
            byCode.add(value);
            code = byCode.size() - 1;
        }
        return code;
    }

    private static <K, V> Map<K, V> lru(int size) {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > size;
            }
        };
    }

    /** A full-text search's matching models, as rowids, read from the file. */
    @FunctionalInterface
    interface Search {
        List<Long> rowids(String match) throws SQLException;
    }
}
