package io.hfsync.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.SyncHarness;
import io.hfsync.database.ModelFilter;
import io.hfsync.database.Sort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model list as {@link ModelIndex} answers it (docs/browser.md at 200k models, bench/web.sh) gives the same pages as the
 * plain SQL query: the served reader against one that sorts every match in SQLite, over a demo catalog with sizes tied on purpose, sizes not known yet, and rowids with
 * gaps and out of id order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogReaderPlansIT {

    private static final Instant T0 = Instant.parse("2026-11-20T02:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    private CatalogReader indexed;
    private CatalogReader walkingSizes;
    private CatalogReader collectingSizes;
    private CatalogReader sorting;
    private String architecture;
    private String word;

    @BeforeAll
    void sync_a_demo_catalog_then_tie_and_hide_sizes() throws Exception {
        SyncHarness app = new SyncHarness(dataDir, T0).seedDemo(15, 300);
        assertEquals(0, app.sync());
        Path file = dataDir.resolve(SqliteCatalog.FILE_NAME);
        // every entry as SQLite prints it is the catalog's entry (gates, split sets, unknown sizes, lineage, licences)
        CatalogReader reader = new CatalogReader(dataDir);
        int entries = 0;
        for (JsonNode model : app.catalog().get("models")) {
            assertEquals(model, JSON.readTree(reader.model(model.get("id").asText()).orElseThrow()));
            entries++;
        }
        assertTrue(entries > 250, "entries compared: " + entries);
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement sql = db.createStatement()) {
            // ties: many models whose largest file has the same size; unknown sizes: details still pending
            sql.executeUpdate("UPDATE files SET size = 4000000000 WHERE rowid % 7 = 0 AND size IS NOT NULL");
            sql.executeUpdate("UPDATE files SET size = NULL WHERE model_id IN (SELECT id FROM models WHERE rowid % 9 = 0)");
            sql.executeUpdate("UPDATE files SET size = NULL WHERE rowid % 11 = 0");
            // rowids as a day's refresh leaves them: gaps where models went, models added after the last one (the
            // full-text rows then no longer share the models' rowids)
            sql.executeUpdate("DELETE FROM files WHERE model_id IN (SELECT id FROM models WHERE rowid % 13 = 0)");
            sql.executeUpdate("DELETE FROM models WHERE rowid % 13 = 0");
            sql.executeUpdate("UPDATE models SET rowid = rowid + 100000 WHERE rowid % 17 = 0");
            try (ResultSet row = sql.executeQuery("SELECT architecture FROM models WHERE architecture IS NOT NULL "
                    + "GROUP BY architecture ORDER BY count(*) DESC LIMIT 1")) {
                architecture = row.getString(1);
            }
            try (ResultSet row = sql.executeQuery("SELECT count(*) FROM files WHERE size IS NULL")) {
                assertTrue(row.getInt(1) > 20, "some sizes unknown");
            }
            // memory as a catalog with GGUF headers holds it (docs/memory.md): per model what a file needs beyond its
            // weights, growing with the context; models whose context ends at 32768, models without a header
            // (weights only) and a cache not known at all; every file of a model alike
            String beyond = "((SELECT rowid FROM models m WHERE m.id = files.model_id) % 5) * 1000000000 + 300000000";
            sql.executeUpdate("UPDATE files SET memory = NULL");
            sql.executeUpdate("UPDATE files SET memory = CASE"
                    + " WHEN (SELECT rowid FROM models m WHERE m.id = files.model_id) % 6 = 0"
                    + " THEN json_array(json_object('context', NULL, 'weights', size, 'kv_cache', NULL, 'compute', NULL,"
                    + " 'total', NULL))"
                    + " WHEN (SELECT rowid FROM models m WHERE m.id = files.model_id) % 6 = 1"
                    + " THEN json_array(" + estimate("4096", beyond) + ", " + estimate("8192", beyond) + ", "
                    + estimate("32768", beyond) + ")"
                    + " WHEN (SELECT rowid FROM models m WHERE m.id = files.model_id) % 6 = 2"
                    + " THEN json_array(json_object('context', 4096, 'weights', size, 'kv_cache', NULL, 'compute', 1,"
                    + " 'total', NULL))"
                    + " ELSE json_array(" + estimate("4096", beyond) + ", " + estimate("8192", beyond) + ", "
                    + estimate("32768", beyond) + ", " + estimate("131072", beyond) + ") END"
                    + " WHERE size IS NOT NULL AND coalesce(role, 'weights') = 'weights'");
        }
        indexed = new CatalogReader(dataDir, true, null);
        walkingSizes = new CatalogReader(dataDir, true, true);
        collectingSizes = new CatalogReader(dataDir, true, false);
        sorting = new CatalogReader(dataDir, false, null);
        // a word of about half the model ids
        word = JSON.readTree(sorting.models(new ModelFilter(null, null, null, null, null), Sort.DOWNLOADS, 1, 1))
                .get("models").get(0).get("author").asText().toLowerCase(java.util.Locale.ROOT);
        assertTrue(Files.exists(file));
    }

    @Test
    void should_give_the_same_pages_whichever_plan_answers() throws Exception {
        List<ModelFilter> filters = List.of(
                new ModelFilter(null, null, null, null, null),
                new ModelFilter("\"gguf\"", null, null, null, null),
                new ModelFilter("\"" + word + "\"", null, null, null, null),
                new ModelFilter(null, "Q4_K_M", null, null, null),
                new ModelFilter(null, null, null, 8_000_000_000L, null),
                new ModelFilter(null, "Q8_0", null, 10_000_000_000L, null),
                new ModelFilter(null, null, architecture, null, null),
                new ModelFilter(null, null, null, null, "false"),
                new ModelFilter(null, null, null, null, "true"),
                new ModelFilter("\"gguf\"", "Q4_K_M", architecture, null, "false"),
                // will it fit (docs/memory.md): alone, at each context, with the other file filters
                new ModelFilter(null, null, null, null, null, 8_000_000_000L, 8192L),
                new ModelFilter(null, null, null, null, null, 16_000_000_000L, 4096L),
                new ModelFilter(null, null, null, null, null, 24_000_000_000L, 32768L),
                new ModelFilter(null, null, null, null, null, 60_000_000_000L, 131072L),
                new ModelFilter(null, "Q4_K_M", null, null, null, 12_000_000_000L, 8192L),
                new ModelFilter(null, null, null, 5_000_000_000L, null, 9_000_000_000L, 8192L),
                new ModelFilter("\"" + word + "\"", null, architecture, null, "false", 20_000_000_000L, 8192L));
        int compared = 0;
        for (ModelFilter filter : filters) {
            for (Sort sort : Sort.values()) {
                long total = JSON.readTree(sorting.models(filter, sort, 1, 1)).get("total").asLong();
                for (int pageSize : List.of(7, 50)) {
                    for (int page = 1; page <= total / pageSize + 2; page++) {
                        JsonNode expected = JSON.readTree(sorting.models(filter, sort, page, pageSize));
                        for (CatalogReader reader : List.of(indexed, walkingSizes, collectingSizes)) {
                            JsonNode actual = JSON.readTree(reader.models(filter, sort, page, pageSize));
                            assertEquals(ids(expected), ids(actual), filter + " " + sort + " page " + page + " of "
                                    + pageSize);
                            assertEquals(expected, actual);
                            compared++;
                        }
                    }
                }
            }
        }
        assertTrue(compared > 1500, "pages compared: " + compared);
    }

    @Test
    void should_keep_only_models_with_a_file_that_fits_and_not_guess_without_a_header() throws Exception {
        long all = total(new ModelFilter(null, null, null, null, null));
        long fits8k = total(new ModelFilter(null, null, null, null, null, 8_000_000_000L, 8192L));
        long fitsAnything = total(new ModelFilter(null, null, null, null, null, 1_000_000_000_000L, 4096L));
        long fits128k = total(new ModelFilter(null, null, null, null, null, 1_000_000_000_000L, 131072L));
        assertTrue(0 < fits8k && fits8k < fitsAnything, fits8k + " of " + fitsAnything);
        // a third of the models have no total (no header, or a cache not known), a sixth stop at 32768
        assertTrue(fitsAnything < all * 3 / 4 && fits128k < fitsAnything, fitsAnything + ", " + fits128k + " of " + all);
        for (JsonNode model : JSON.readTree(indexed.models(new ModelFilter(null, null, null, null, null, 8_000_000_000L,
                8192L), Sort.SIZE, 1, 200)).get("models")) {
            boolean fits = false;
            for (JsonNode file : model.get("files")) {
                for (JsonNode estimate : file.path("memory")) {
                    fits |= estimate.path("context").asLong() == 8192 && estimate.path("total").isNumber()
                            && estimate.get("total").asLong() <= 8_000_000_000L;
                }
            }
            assertTrue(fits, model.get("id").asText());
        }
    }

    private long total(ModelFilter filter) throws Exception {
        return JSON.readTree(indexed.models(filter, Sort.DOWNLOADS, 1, 1)).get("total").asLong();
    }

    @Test
    void should_put_models_without_a_known_size_last_when_sorting_by_size() throws Exception {
        List<Long> largest = new ArrayList<>();
        long total = 0;
        for (int page = 1; page <= 2; page++) {
            JsonNode models = JSON.readTree(indexed.models(new ModelFilter(null, null, null, null, null), Sort.SIZE,
                    page, 200)).get("models");
            total = JSON.readTree(indexed.models(new ModelFilter(null, null, null, null, null), Sort.SIZE, 1, 1))
                    .get("total").asLong();
            for (JsonNode model : models) {
                long max = -1;
                for (JsonNode file : model.get("files")) {
                    if (file.path("size").isNumber() && file.path("role").asText("weights").equals("weights")) {
                        max = Math.max(max, file.get("size").asLong());
                    }
                }
                largest.add(max);
            }
        }
        assertTrue(total > 200 && total <= 400, "the demo catalog: " + total);
        assertEquals(total, largest.size(), "every model, once");
        assertEquals(-1L, largest.get(largest.size() - 1), "a model with no size known comes last");
        for (int i = 1; i < largest.size(); i++) {
            assertTrue(largest.get(i - 1) >= largest.get(i), "descending at " + i + ": " + largest);
        }
    }

    /** One memory estimate of a file (alias-free: inside an UPDATE of files) at {@code context}. */
    private static String estimate(String context, String beyond) {
        String extra = "(" + beyond + ") * " + context + " / 4096";
        return "json_object('context', " + context + ", 'weights', size, 'kv_cache', " + extra + " - 300000000,"
                + " 'compute', 300000000, 'total', size + " + extra + ")";
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("models").forEach(m -> ids.add(m.get("id").asText()));
        return ids;
    }
}
