package io.hfsync.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.SyncHarness;
import io.hfsync.SyncTestSupport;
import io.hfsync.database.ModelFilter;
import io.hfsync.database.Sort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the reader keeps of a file (its page index, answers) goes with the file: a run publishing a new file by
 * renaming it over the old one is read anew, while the run's sync_runs row written in place after the publish
 * (record-run.sql) changes nothing the models' answers were read from, so the 2 s page index at 200k is not read twice.
 */
class CatalogReaderFilesIT extends SyncTestSupport {

    private static final Instant T0 = Instant.parse("2026-11-20T02:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelFilter EVERY_MODEL = new ModelFilter(null, null, null, null, null);

    Path file;
    CatalogReader reader;

    /** A demo catalog of 30 repos, synced once, and a reader of its SQLite file that has not read anything yet. */
    @BeforeEach
    void syncDemoCatalog() {
        app.seedDemo(3, 30);
        assertEquals(0, app.sync());
        file = dataDir.resolve(SqliteCatalog.FILE_NAME);
        reader = new CatalogReader(dataDir);
    }

    @Test
    void should_keep_what_it_read_of_a_file_written_in_place_and_read_a_new_file_anew() throws Exception {
        long models = total(reader, Sort.DOWNLOADS);
        assertEquals(1, reader.indexesRead());
        int runs = JSON.readTree(reader.runs(30)).size();

        // in place, as the run's row is recorded after the publish: another connection, the same file
        insertRunInPlace(file);
        assertEquals(runs + 1, JSON.readTree(reader.runs(30)).size(), "the row written in place is served");
        assertEquals(models, total(reader, Sort.LIKES));
        assertEquals(1, reader.indexesRead(), "the same file written in place: what was read of its models holds");

        // the next run publishes a new file (renamed over the old one, a new inode): read anew (in the daemon, by
        // the run itself before it reports)
        app.clock.advance(Duration.ofHours(24));
        assertEquals(0, app.sync());
        assertTrue(reader.readAhead());
        assertEquals(app.catalog().get("models").size(), total(reader, Sort.DOWNLOADS));
        assertEquals(runs + 2, JSON.readTree(reader.runs(30)).size(), "the new file holds the new run");
        assertEquals(2, reader.indexesRead(), "a new file: its own index");
    }

    @Test
    void should_not_read_the_index_again_when_the_file_is_written_in_place_while_a_question_holds_it() throws Exception {
        // the first question still holds the only connection (no idle one) when the run's row is written in place
        long models = reader.whileAnswering(() -> {
            insertRunInPlace(file);
            return total(reader, Sort.LIKES);
        });

        assertEquals(app.catalog().get("models").size(), models);
        assertEquals(1, reader.indexesRead(), "the file its connection keeps open is the same file: one index read");
        assertEquals(models, total(reader, Sort.DOWNLOADS));
        assertEquals(1, reader.indexesRead());
    }

    @Test
    void should_answer_from_the_file_a_run_replaced_until_the_new_files_index_is_read() throws Exception {
        long before = total(reader, Sort.DOWNLOADS);
        // the next run lists one more repo and publishes a new file
        app.snapshot().put(SyncHarness.repo("late/Newcomer-GGUF", T0.plus(Duration.ofHours(1))));
        app.clock.advance(Duration.ofHours(24));
        assertEquals(0, app.sync());
        assertEquals(before + 1, app.catalog().get("models").size());

        assertEquals(before, total(reader, Sort.LIKES), "the new file's index not read yet: the replaced file answers");
        assertEquals(1, reader.indexesRead());
        assertTrue(reader.model("late/Newcomer-GGUF").isPresent(), "one entry needs no index: read from the new file");

        assertTrue(reader.readAhead());
        assertEquals(2, reader.indexesRead());
        assertEquals(before + 1, total(reader, Sort.LIKES), "the new file answers once its index is read");
        assertEquals(before + 1, total(reader, Sort.DOWNLOADS));
    }

    @Test
    void should_check_a_new_files_full_text_table_once_with_its_index_before_any_search() throws Exception {
        long before = total(reader, Sort.DOWNLOADS);
        assertEquals(1, reader.ftsChecks(), "checked with the first file's index");
        app.snapshot().put(SyncHarness.repo("late/Newcomer-GGUF", T0.plus(Duration.ofHours(1))));
        app.clock.advance(Duration.ofHours(24));
        assertEquals(0, app.sync());

        // the run reads the new file's index before it reports: the full-text check is part of it, so the replaced
        // file answers until both are done and no search scans the new file's tables again (bench/daemon-web.sh: every
        // question scanned at once when a file came, a stall of about 5 s for each)
        assertTrue(reader.readAhead());
        assertEquals(2, reader.ftsChecks(), "the new file checked with its index, before any search");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<byte[]>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                int page = 1;
                answers.add(pool.submit(() -> reader.models(new ModelFilter("newcomer", null, null, null, null),
                        Sort.DOWNLOADS, page, 5)));
            }
            for (var answer : answers) {
                assertTrue(JSON.readTree(answer.get()).get("total").asLong() > 0);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, reader.ftsChecks(), "one check per file, whatever the searches");
        assertEquals(before + 1, total(reader, Sort.LIKES));
    }

    private static void insertRunInPlace(Path file) throws SQLException, IOException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement sql = db.createStatement()) {
            sql.executeUpdate("INSERT INTO sync_runs (last_sync_time, sync_mode, success) "
                    + "VALUES ('2026-11-20T12:00:00Z', 'incremental', 0)");
        }
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    }

    private static long total(CatalogReader reader, Sort sort) throws IOException {
        return JSON.readTree(reader.models(EVERY_MODEL, sort, 1, 5)).get("total").asLong();
    }
}
