package io.hfsync;

import static io.hfsync.CatalogTablesAssert.assertSameAsCatalog;
import static io.hfsync.CatalogTablesAssert.count;
import static io.hfsync.CatalogTablesAssert.rows;
import static io.hfsync.SyncHarness.repo;
import static io.hfsync.SyncHarness.touched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.standin.Fault;
import io.hfsync.standin.HubRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/database.md, SQLite: the real application (Camel Main, one-shot) against the stand-in Hub; the database a user opens
 * with {@code sqlite3} holds exactly what {@code gguf_models.json} holds, after every kind of run.
 */
class SqliteCatalogIT extends SyncTestSupport {

    private Path database() {
        return dataDir.resolve("gguf_models.sqlite");
    }

    private Path catalog() {
        return dataDir.resolve("gguf_models.json");
    }

    @Test
    void should_hold_the_json_catalog_after_a_full_sync_an_incremental_day_and_a_removal() throws Exception {
        List<HubRepo> repos = app.seedHub(12);
        assertEquals(0, app.sync());
        try (Connection db = CatalogTablesAssert.sqlite(database())) {
            assertSameAsCatalog(catalog(), db);
            CatalogTablesAssert.assertSearchTableLevel(db);
            assertEquals(12, count(db, "SELECT count(*) FROM models"));
        }

        app.clock.advance(Duration.ofDays(1));
        app.snapshot().put(touched(repos.get(3), app.clock.instant().minus(Duration.ofHours(2))));
        app.snapshot().put(repo("newcomer/Fresh-7B-GGUF", app.clock.instant().minus(Duration.ofHours(1))));
        assertEquals(0, app.sync());
        assertEquals("incremental", app.metadata().get("sync_mode").asText());
        try (Connection db = CatalogTablesAssert.sqlite(database())) {
            assertSameAsCatalog(catalog(), db);
            CatalogTablesAssert.assertSearchTableLevel(db);
            assertEquals(13, count(db, "SELECT count(*) FROM models"));
        }

        app.clock.advance(Duration.ofDays(1));
        app.snapshot().remove(repos.get(5).id());
        assertEquals(0, app.sync("sync.mode=full"));
        try (Connection db = CatalogTablesAssert.sqlite(database())) {
            assertSameAsCatalog(catalog(), db);
            CatalogTablesAssert.assertSearchTableLevel(db);
            assertEquals(0, count(db, "SELECT count(*) FROM models WHERE id = '" + repos.get(5).id() + "'"));
            assertEquals(0, count(db, "SELECT count(*) FROM files WHERE model_id = '" + repos.get(5).id() + "'"));
            assertEquals(0, count(db, "SELECT count(*) FROM models_fts WHERE models_fts MATCH 'Model AND 05'"),
                    "the search table follows the removal");
            // one row per run, newest last, with the metadata's values
            Map<String, Map<String, Object>> runs = rows(db, "SELECT * FROM sync_runs", "last_sync_time");
            assertEquals(List.of("2026-11-20T02:00:00Z", "2026-11-21T02:00:00Z", "2026-11-22T02:00:00Z"),
                    List.copyOf(runs.keySet()));
            Map<String, Object> last = runs.get("2026-11-22T02:00:00Z");
            assertEquals("full", last.get("sync_mode"));
            assertEquals(1, ((Number) last.get("models_removed")).intValue());
            assertEquals(12, ((Number) last.get("total_models")).intValue());
            assertEquals(1, ((Number) last.get("success")).intValue());
        }
        assertFalse(Files.exists(dataDir.resolve(".gguf_models.sqlite.tmp")), "no temporary file left");
    }

    @Test
    void should_find_the_qwen3_repos_of_the_demo_data_with_the_full_text_table() throws Exception {
        app.seedDemo(42, 400);
        assertEquals(0, app.sync());

        List<String> expected = new ArrayList<>();
        for (String id : app.catalogIds()) {
            if (id.toLowerCase().contains("qwen3")) {
                expected.add(id);
            }
        }
        assertFalse(expected.isEmpty(), "the demo data has Qwen3 repos");
        try (Connection db = CatalogTablesAssert.sqlite(database())) {
            assertSameAsCatalog(catalog(), db);
            List<String> found = new ArrayList<>();
            try (PreparedStatement search = db.prepareStatement("SELECT id FROM models_fts WHERE models_fts MATCH ?")) {
                search.setString(1, "qwen3");
                try (ResultSet rs = search.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
            assertTrue(found.containsAll(expected), "every repo named Qwen3 is found: " + expected + " in " + found);
            // a catalog page's question: a quantization under a size, most downloaded first, through the indexes
            long q4 = count(db, "SELECT count(*) FROM files f JOIN models m ON m.id = f.model_id "
                    + "WHERE f.quantization = 'Q4_K_M' AND f.size < 10000000000");
            assertTrue(q4 > 0);
        }
    }

    @Test
    void should_leave_models_untouched_and_record_the_failed_run() throws Exception {
        app.seedHub(6);
        assertEquals(0, app.sync());
        Map<String, Map<String, Object>> modelsBefore;
        try (Connection db = CatalogTablesAssert.sqlite(database())) {
            modelsBefore = rows(db, "SELECT * FROM models", "id");
        }

        app.clock.advance(Duration.ofHours(3));
        app.snapshot().put(repo("newcomer/Unseen-GGUF", app.clock.instant().minus(Duration.ofHours(1))));
        app.hub.enqueueFault(Fault.status("/api/models?", 400));
        assertEquals(1, app.sync());

        try (Connection db = CatalogTablesAssert.sqlite(database())) {
            assertEquals(modelsBefore, rows(db, "SELECT * FROM models", "id"), "models untouched");
            assertSameAsCatalog(catalog(), db);
            Map<String, Map<String, Object>> runs = rows(db, "SELECT * FROM sync_runs", "last_sync_time");
            assertEquals(2, runs.size());
            Map<String, Object> failed = runs.get("2026-11-20T05:00:00Z");
            assertEquals(0, ((Number) failed.get("success")).intValue());
            assertEquals(app.metadata().get("error_message").asText(), failed.get("error_message"));
        }
    }

    @Test
    void should_rebuild_a_database_that_is_behind_the_catalog_even_when_the_run_fails() throws Exception {
        app.seedHub(4);
        assertEquals(0, app.sync());
        // as if the process died between writing the catalog and the database
        Files.delete(database());

        app.clock.advance(Duration.ofHours(3));
        app.hub.enqueueFault(Fault.status("/api/models?", 400));
        assertEquals(1, app.sync());

        try (Connection db = CatalogTablesAssert.sqlite(database())) {
            assertSameAsCatalog(catalog(), db);
            assertEquals(1, count(db, "SELECT count(*) FROM sync_runs"));
        }
    }

    @Test
    void should_build_anew_a_file_an_earlier_version_wrote_and_keep_its_run_history() throws Exception {
        List<HubRepo> repos = app.seedHub(5);
        assertEquals(0, app.sync());
        // the file as the version before the day-by-day update wrote it: no hash columns, search rows under other rowids
        try (Connection db = CatalogTablesAssert.sqlite(database()); java.sql.Statement s = db.createStatement()) {
            s.execute("ALTER TABLE models DROP COLUMN entry_hash");
            s.execute("ALTER TABLE models DROP COLUMN files_hash");
            s.execute("CREATE TEMP TABLE kept AS SELECT id, author, architecture, tags FROM models_fts");
            s.execute("DELETE FROM models_fts");
            s.execute("INSERT INTO models_fts (rowid, id, author, architecture, tags) "
                    + "SELECT 1000 + rowid, id, author, architecture, tags FROM kept");
        }

        app.clock.advance(Duration.ofDays(1));
        app.snapshot().put(touched(repos.get(1), app.clock.instant().minus(Duration.ofHours(2))));
        assertEquals(0, app.sync());
        try (Connection db = CatalogTablesAssert.sqlite(database())) {
            assertSameAsCatalog(catalog(), db);
            CatalogTablesAssert.assertSearchTableLevel(db);
            assertEquals(2, count(db, "SELECT count(*) FROM sync_runs"), "the run history is carried into the new file");
        }
    }

    @Test
    void should_write_no_database_when_sqlite_is_off() {
        app.seedHub(3);
        assertEquals(0, app.sync("sync.sqlite=false"));
        assertTrue(Files.exists(catalog()));
        assertFalse(Files.exists(database()));
    }
}
