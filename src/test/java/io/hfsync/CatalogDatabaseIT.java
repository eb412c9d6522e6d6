package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.standin.DemoSnapshot;
import io.hfsync.standin.HubRepo;
import io.hfsync.standin.StandInHub;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * docs/database.md with the packaged jar, as a user runs it: a {@code kill -9} while the SQLite catalog is written leaves a
 * readable file equal to the previous or the new catalog, and the PostgreSQL password appears in no log line and no
 * file, whether the database answers or not (the machine's PostgreSQL or an embedded one: MachineServices).
 */
@NeedsHostProgram(HostProgram.POSTGRESQL)
class CatalogDatabaseIT {

    @TempDir
    Path dir;

    private Path dataDir() {
        return dir.resolve("data");
    }

    private Path sqlite() {
        return dataDir().resolve("gguf_models.sqlite");
    }

    private JarProcess start(String name, StandInHub hub, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("HF_ENDPOINT", hub.baseUrl(), "DATA_DIR", dataDir().toString(),
                "SYNC_ONCE", "true", "SYNC_MODE", "full", "MAX_REMOVED_FRACTION", "1", "FETCH_FILE_SIZES", "false",
                "GGUF_HEADERS", "false"));
        env.putAll(extra);
        return JarProcess.start(name, dir, env);
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached in time");
            Thread.sleep(1);
        }
    }

    private static boolean sameAs(JsonNode catalog, Path database) throws Exception {
        try (Connection db = CatalogTablesAssert.sqlite(database)) {
            CatalogTablesAssert.assertSameAsCatalog(catalog, db);
            return true;
        } catch (AssertionFailedError different) {
            return false;
        }
    }

    @Test
    void should_leave_the_old_or_the_new_sqlite_catalog_when_killed_while_writing_it() throws Exception {
        try (StandInHub hub = StandInHub.start(DemoSnapshot.generate(11, 3000, Instant.now()))) {
            JarProcess first = start("first", hub, Map.of());
            assertTrue(first.process.waitFor(180, TimeUnit.SECONDS));
            assertEquals(0, first.process.exitValue(), first.output());
            assertTrue(sameAs(SyncHarness.read(dataDir().resolve("gguf_models.json")), sqlite()));

            Path temp = dataDir().resolve(".gguf_models.sqlite.tmp");
            List<BooleanSupplier> killPoints = List.of(
                    // as soon as the new file is begun
                    () -> Files.exists(temp),
                    // halfway through its rows
                    () -> fileSize(temp) > 1_000_000,
                    // the new file has just taken the name: the run's sync_runs row is being added in place
                    () -> Files.exists(dataDir().resolve("gguf_models.sqlite-journal")) || fileSize(temp) < 0
                            && modifiedSince(sqlite(), roundStart));
            // what the SQLite file held before each round: the catalog it was last built from
            JsonNode held = SyncHarness.read(dataDir().resolve("gguf_models.json"));
            int round = 0;
            for (BooleanSupplier killPoint : killPoints) {
                touchSomeRepos(hub, round++);
                roundStart = System.currentTimeMillis();
                JarProcess run = start("round-" + round, hub, Map.of());
                waitFor(() -> killPoint.getAsBoolean() || !run.process.isAlive());
                assertTrue(run.process.isAlive(), "round " + round + ": killed at its point, not after the run ended");
                run.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

                JsonNode written = SyncHarness.read(dataDir().resolve("gguf_models.json"));
                boolean old = sameAs(held, sqlite());
                assertTrue(old || sameAs(written, sqlite()), "round " + round + ": the SQLite catalog is the previous or the new one");
                held = old ? held : written;
            }

            JarProcess last = start("last", hub, Map.of());
            assertTrue(last.process.waitFor(180, TimeUnit.SECONDS));
            assertEquals(0, last.process.exitValue(), last.output());
            assertTrue(sameAs(SyncHarness.read(dataDir().resolve("gguf_models.json")), sqlite()),
                    "a run after the kills brings the SQLite catalog level");
            assertFalse(Files.exists(temp), "the half-built file is gone");
        }
    }

    private long roundStart;

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException gone) {
            return -1;
        }
    }

    private static boolean modifiedSince(Path file, long millis) {
        try {
            return Files.getLastModifiedTime(file).toMillis() >= millis;
        } catch (java.io.IOException gone) {
            return false;
        }
    }

    private static void touchSomeRepos(StandInHub hub, int round) {
        List<HubRepo> all = hub.snapshot().all();
        for (int i = round; i < all.size(); i += 29) {
            HubRepo r = all.get(i);
            hub.snapshot().put(r.withUpdate(SyncHarness.sha(r.id() + round), Instant.now(), r.files()));
        }
    }

    @Test
    void should_keep_the_database_password_out_of_every_log_line_and_file() throws Exception {
        String password = "pg-Secret-Pw-" + UUID.randomUUID();
        String database = "hfsync_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        MachineServices.Postgres postgres = MachineServices.postgres();
        try (Connection admin = postgres.admin(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (StandInHub hub = StandInHub.start(DemoSnapshot.generate(5, 60, Instant.now()))) {
            // trust authentication accepts any password: the run succeeds with the password configured
            JarProcess ok = start("pg-ok", hub, Map.of("CATALOG_DB_URL", postgres.url(database),
                    "CATALOG_DB_USER", "postgres", "CATALOG_DB_PASSWORD", password));
            assertTrue(ok.process.waitFor(180, TimeUnit.SECONDS));
            assertEquals(0, ok.process.exitValue(), ok.output());
            try (Connection db = DriverManager.getConnection(postgres.url(database), "postgres", "")) {
                CatalogTablesAssert.assertSameAsCatalog(dataDir().resolve("gguf_models.json"), db);
            }

            String unreachable = "jdbc:postgresql://127.0.0.1:" + closedPort + "/catalog";
            JarProcess down = start("pg-down", hub, Map.of("CATALOG_DB_URL", unreachable,
                    "CATALOG_DB_USER", "postgres", "CATALOG_DB_PASSWORD", password));
            assertTrue(down.process.waitFor(180, TimeUnit.SECONDS));
            assertEquals(1, down.process.exitValue(), down.output());
            assertTrue(down.output().contains("Sync failed: PostgreSQL catalog database " + unreachable), down.output());
            JsonNode metadata = SyncHarness.read(dataDir().resolve("last_sync_metadata.json"));
            assertTrue(metadata.get("error_message").asText().contains(unreachable), metadata.toString());

            for (JarProcess run : List.of(ok, down)) {
                assertFalse(run.output().contains(password), "the password is never logged: " + run);
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(password),
                            "password written to " + file);
                }
            }
        } finally {
            try (Connection admin = postgres.admin(); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }
}
