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
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/database.md, PostgreSQL: the real application against the stand-in Hub and a real PostgreSQL server (the machine's on
 * 127.0.0.1:5432, else an embedded one: MachineServices; a database of this class's own, dropped afterwards). The
 * tables equal the JSON catalog after every kind of run; a small day rewrites only the rows that changed (counted by
 * PostgreSQL's own row versions, xmin); an unreachable database fails the run, named, with its password nowhere.
 */
@NeedsHostProgram(HostProgram.POSTGRESQL)
class PostgresCatalogIT extends SyncTestSupport {

    static final Instant T0 = Instant.parse("2026-11-20T02:00:00Z");
    static final String DATABASE = "hfsync_pg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static String URL;
    static final String PASSWORD = "pg-Secret-Pw-4711";

    @BeforeAll
    static void createDatabase() throws SQLException {
        URL = MachineServices.postgres().url(DATABASE);
        try (Connection admin = MachineServices.postgres().admin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection admin = MachineServices.postgres().admin(); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    @BeforeEach
    void setUp() throws SQLException {
        try (Connection db = connect(); Statement statement = db.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS files, models, sync_runs CASCADE");
        }
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, "postgres", "");
    }

    private int sync(String... properties) {
        List<String> all = new ArrayList<>(List.of("sync.database.url=" + URL, "sync.database.user=postgres",
                "sync.database.password=" + PASSWORD));
        all.addAll(List.of(properties));
        return app.sync(all.toArray(String[]::new));
    }

    private Path catalog() {
        return dataDir.resolve("gguf_models.json");
    }

    private List<HubRepo> seedHub(int count) {
        List<HubRepo> repos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HubRepo r = repo(String.format("owner%d/Model-%03d-GGUF", i % 7, i), T0.minus(Duration.ofDays(30)).plusSeconds(60L * i));
            app.snapshot().put(r);
            repos.add(r);
        }
        return repos;
    }

    /** Each row's version: a row any statement rewrote (insert, update) has a new xmin. */
    private static Map<String, String> rowVersions(Connection db, String table, String key) throws SQLException {
        Map<String, String> versions = new HashMap<>();
        try (Statement statement = db.createStatement();
                var rs = statement.executeQuery("SELECT " + key + ", xmin::text FROM " + table)) {
            while (rs.next()) {
                versions.put(rs.getString(1), rs.getString(2));
            }
        }
        return versions;
    }

    /** Rows inserted, rewritten or deleted between two snapshots of row versions. */
    private static int rowsWritten(Map<String, String> before, Map<String, String> after) {
        Set<String> keys = new HashSet<>(before.keySet());
        keys.addAll(after.keySet());
        int touched = 0;
        for (String key : keys) {
            if (!java.util.Objects.equals(before.get(key), after.get(key))) {
                touched++;
            }
        }
        return touched;
    }

    @Test
    void should_hold_the_json_catalog_after_a_full_sync_an_incremental_day_and_a_removal() throws Exception {
        List<HubRepo> repos = seedHub(12);
        assertEquals(0, sync());
        try (Connection db = connect()) {
            assertSameAsCatalog(catalog(), db);
        }

        app.clock.advance(Duration.ofDays(1));
        app.snapshot().put(touched(repos.get(3), app.clock.instant().minus(Duration.ofHours(2))));
        app.snapshot().put(repo("newcomer/Fresh-7B-GGUF", app.clock.instant().minus(Duration.ofHours(1))));
        assertEquals(0, sync());
        try (Connection db = connect()) {
            assertSameAsCatalog(catalog(), db);
        }

        app.clock.advance(Duration.ofDays(1));
        app.snapshot().remove(repos.get(5).id());
        assertEquals(0, sync("sync.mode=full"));
        try (Connection db = connect()) {
            assertSameAsCatalog(catalog(), db);
            assertEquals(0, count(db, "SELECT count(*) FROM files WHERE model_id = '" + repos.get(5).id() + "'"));
            assertEquals(3, count(db, "SELECT count(*) FROM sync_runs WHERE success"));
            // full-text search through the tsvector column and its GIN index
            assertEquals(1, count(db, "SELECT count(*) FROM models WHERE search @@ to_tsquery('simple', 'fresh & 7b')"));
            assertEquals(12, count(db, "SELECT count(*) FROM models WHERE search @@ to_tsquery('simple', 'gguf')"));
        }
    }

    @Test
    void should_rewrite_only_the_rows_a_small_day_changed() throws Exception {
        List<HubRepo> repos = seedHub(200);
        assertEquals(0, sync());
        Map<String, String> modelsBefore;
        Map<String, String> filesBefore;
        try (Connection db = connect()) {
            modelsBefore = rowVersions(db, "models", "id");
            filesBefore = rowVersions(db, "files", "model_id || '/' || name");
        }

        // a 1 % day: one repo changed, one added, 198 untouched
        app.clock.advance(Duration.ofDays(1));
        app.snapshot().put(touched(repos.get(42), app.clock.instant().minus(Duration.ofHours(2))));
        app.snapshot().put(repo("newcomer/Fresh-7B-GGUF", app.clock.instant().minus(Duration.ofHours(1))));
        assertEquals(0, sync());

        try (Connection db = connect()) {
            assertSameAsCatalog(catalog(), db);
            assertEquals(2, rowsWritten(modelsBefore, rowVersions(db, "models", "id")), "models rows written");
            assertEquals(2, rowsWritten(filesBefore, rowVersions(db, "files", "model_id || '/' || name")), "files rows written");
            modelsBefore = rowVersions(db, "models", "id");
            filesBefore = rowVersions(db, "files", "model_id || '/' || name");
        }

        // a full re-sync that finds one repo gone and one more downloaded writes two models rows (a delete, an
        // update of the listing fields) and one files row (the removed model's), not 200
        app.clock.advance(Duration.ofDays(1));
        app.snapshot().remove(repos.get(7).id());
        app.snapshot().put(repos.get(9).withPopularity(5_000L, 50L));
        assertEquals(0, sync("sync.mode=full"));
        try (Connection db = connect()) {
            assertSameAsCatalog(catalog(), db);
            assertEquals(2, rowsWritten(modelsBefore, rowVersions(db, "models", "id")), "models rows written");
            assertEquals(1, rowsWritten(filesBefore, rowVersions(db, "files", "model_id || '/' || name")),
                    "files rows written");
        }
    }

    @Test
    void should_leave_the_tables_untouched_and_record_a_failed_run() throws Exception {
        seedHub(5);
        assertEquals(0, sync());
        Map<String, Map<String, Object>> before;
        try (Connection db = connect()) {
            before = rows(db, "SELECT id, xmin::text AS version FROM models", "id");
        }

        app.clock.advance(Duration.ofHours(3));
        app.hub.enqueueFault(Fault.status("/api/models?", 400));
        assertEquals(1, sync());

        try (Connection db = connect()) {
            assertEquals(before, rows(db, "SELECT id, xmin::text AS version FROM models", "id"), "not one row rewritten");
            Map<String, Map<String, Object>> runs = rows(db, "SELECT * FROM sync_runs", "last_sync_time");
            assertEquals(2, runs.size());
            Map<String, Object> failed = runs.get("2026-11-20T05:00:00Z");
            assertEquals(Boolean.FALSE, failed.get("success"));
            assertEquals(app.metadata().get("error_message").asText(), failed.get("error_message"));
        }
    }

    @Test
    void should_fail_naming_an_unreachable_database_and_catch_up_on_the_next_run() throws Exception {
        List<HubRepo> repos = seedHub(8);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = "jdbc:postgresql://127.0.0.1:" + closedPort + "/catalog_nowhere";

        List<String> log;
        try (LogCapture capture = new LogCapture()) {
            assertEquals(1, sync("sync.database.url=" + unreachable));
            log = capture.lines();
        }
        // the JSON catalog (and SQLite) went in place before the database was tried: the report must not deny it
        assertEquals(8, app.catalogIds().size());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("INFO Result: FAILED")
                && l.endsWith("the catalog this run published stays, 8 models")), String.join("\n", log));
        String error = app.metadata().get("error_message").asText();
        assertTrue(error.contains("127.0.0.1:" + closedPort + "/catalog_nowhere"), error);
        assertTrue(error.startsWith("PostgreSQL catalog database "), error);
        assertFalse(app.metadata().get("success").asBoolean());
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(PASSWORD),
                        "password written to " + file);
            }
        }

        app.clock.advance(Duration.ofHours(1));
        app.snapshot().put(touched(repos.get(1), app.clock.instant().minus(Duration.ofMinutes(10))));
        assertEquals(0, sync());
        try (Connection db = connect()) {
            assertSameAsCatalog(catalog(), db);
            assertEquals(8, count(db, "SELECT count(*) FROM models"));
        }
    }
}
