package io.hfsync.database;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.SyncHarness;
import io.hfsync.SyncTestSupport;
import io.hfsync.standin.HubRepo;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    @Test
    void should_print_an_entry_once_per_file_and_print_it_anew_from_a_new_file() throws Exception {
        JsonNode first = JSON.readTree(reader.models(EVERY_MODEL, Sort.DOWNLOADS, 1, 50));
        long models = first.get("total").asLong();
        assertEquals(models, reader.entriesPrinted(), "one page holds every model of the demo catalog");
        // another question over the same models: no entry printed again
        assertEquals(models, JSON.readTree(reader.models(EVERY_MODEL, Sort.LIKES, 1, 50)).get("models").size());
        insertRunInPlace(file);
        JSON.readTree(reader.models(EVERY_MODEL, Sort.LAST_MODIFIED, 1, 50));
        assertEquals(models, reader.entriesPrinted(), "the same file written in place: its entries hold");

        // the next run changes one model, which keeps its rowid in the new file: the entry kept from the old file
        // must not answer for it
        HubRepo changed = app.snapshot().all().get(0);
        long rowid = rowid(file, changed.id());
        app.snapshot().put(SyncHarness.touched(changed, T0.plus(Duration.ofHours(1))));
        app.clock.advance(Duration.ofHours(24));
        assertEquals(0, app.sync());
        assertEquals(rowid, rowid(file, changed.id()), "the model kept its rowid: a cache by rowid alone would be stale");
        assertTrue(reader.readAhead());

        JsonNode after = JSON.readTree(reader.models(EVERY_MODEL, Sort.LIKES, 1, 50));
        assertEquals(2 * models, reader.entriesPrinted(), "a new file: every entry printed from it");
        JsonNode entry = null;
        for (JsonNode model : after.get("models")) {
            if (model.get("id").asText().equals(changed.id())) {
                entry = model;
            }
        }
        assertNotEquals(changedSha(first, changed.id()), entry.get("sha").asText(), "the new file's entry, not the kept one");
        assertEquals(app.model(changed.id()).get("sha").asText(), entry.get("sha").asText());
        assertEquals(JSON.readTree(reader.model(changed.id()).orElseThrow()), entry, "the list's entry is the file's");
    }

    private static String changedSha(JsonNode answer, String id) {
        for (JsonNode model : answer.get("models")) {
            if (model.get("id").asText().equals(id)) {
                return model.get("sha").asText();
            }
        }
        return null;
    }

    private static long rowid(Path file, String id) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
                java.sql.PreparedStatement query = db.prepareStatement("SELECT rowid FROM models WHERE id = ?")) {
            query.setString(1, id);
            try (java.sql.ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), id);
                return row.getLong(1);
            }
        }
    }

    @Test
    void should_answer_from_the_replaced_file_during_a_slow_index_read_after_a_question_on_it_ended() throws Exception {
        long before = total(reader, Sort.DOWNLOADS);
        Held inFlight = new Held();
        reader.pauses.answer = inFlight::holdOnce;
        Held indexRead = new Held();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            // a question on the file in place is still being answered when the run publishes a new file
            Future<Long> question = pool.submit(() -> total(reader, Sort.LIKES));
            inFlight.awaitHeld();
            publishNewcomer();
            // the new file's index read (the read ahead), slow: held here
            reader.pauses.index = indexRead::holdOnce;
            Future<Boolean> readAhead = pool.submit(reader::readAhead);
            indexRead.awaitHeld();

            // the question ends after the publish, on the replaced file: that file goes on answering (it used to be
            // retired here, and every later question waited for the new index: bench/daemon-web.sh's wrk timeouts)
            inFlight.release();
            assertEquals(before, question.get(10, TimeUnit.SECONDS));
            Future<Long> during = pool.submit(() -> total(reader, Sort.LAST_MODIFIED));
            assertEquals(before, during.get(10, TimeUnit.SECONDS),
                    "answered by the replaced file while the new file's index is read, without waiting for it");

            indexRead.release();
            assertTrue(readAhead.get(10, TimeUnit.SECONDS));
            assertEquals(2, reader.indexesRead());
            assertEquals(before + 1, total(reader, Sort.LAST_MODIFIED), "the new file answers once its index is read");
        } finally {
            inFlight.release();
            indexRead.release();
            pool.shutdownNow();
        }
    }

    @Test
    void should_wait_for_the_replaced_files_connection_rather_than_the_new_files_index_read() throws Exception {
        long before = total(reader, Sort.DOWNLOADS);
        Held inFlight = new Held();
        reader.pauses.answer = inFlight::holdOnce;
        Held indexRead = new Held();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            // the replaced file's only connection answers a question (as 20 clients can keep all of them busy)
            Future<Long> question = pool.submit(() -> total(reader, Sort.LIKES));
            inFlight.awaitHeld();
            publishNewcomer();
            reader.pauses.index = indexRead::holdOnce;
            Future<Boolean> readAhead = pool.submit(reader::readAhead);
            indexRead.awaitHeld();

            // the next question finds no idle connection of the replaced file within its wait: it waits on, while the
            // read ahead reads the new file's index, instead of joining that read (2 s at 200k)
            long expired = reader.replacedWaitsExpired();
            Future<Long> during = pool.submit(() -> total(reader, Sort.LAST_MODIFIED));
            await().atMost(Duration.ofSeconds(10)).until(() -> reader.replacedWaitsExpired() > expired);
            inFlight.release();
            assertEquals(before, question.get(10, TimeUnit.SECONDS));
            assertEquals(before, during.get(10, TimeUnit.SECONDS),
                    "answered by the replaced file's connection once it came back, the new index still being read");

            indexRead.release();
            assertTrue(readAhead.get(10, TimeUnit.SECONDS));
            assertEquals(before + 1, total(reader, Sort.LIKES));
        } finally {
            inFlight.release();
            indexRead.release();
            pool.shutdownNow();
        }
    }

    /** The next run lists one more repo and publishes a new file (renamed over the old one). */
    @Test
    void should_answer_from_one_file_when_a_new_file_is_published_while_a_connection_is_being_opened() throws Exception {
        total(reader, Sort.DOWNLOADS);
        Held inFlight = new Held();
        reader.pauses.answer = inFlight::holdOnce;
        Held connecting = new Held();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // the file's only connection answers a question, so the next question opens a connection of its own
            Future<Long> question = pool.submit(() -> total(reader, Sort.LIKES));
            inFlight.awaitHeld();
            reader.pauses.connect = connecting::holdOnce;
            Future<byte[]> next = pool.submit(() -> reader.models(EVERY_MODEL, Sort.LAST_MODIFIED, 1, 5));
            connecting.awaitHeld();
            // a run renames a new file over the path before that connection is opened: it opens the new file
            publishNewcomer();
            connecting.release();

            byte[] newFile = new CatalogReader(dataDir).models(EVERY_MODEL, Sort.LAST_MODIFIED, 1, 5);
            assertEquals(JSON.readTree(newFile), JSON.readTree(next.get(10, TimeUnit.SECONDS)),
                    "the question is answered from the new file alone, not the old file's index with the new file's rows");
            inFlight.release();
            question.get(10, TimeUnit.SECONDS);
        } finally {
            inFlight.release();
            connecting.release();
            pool.shutdownNow();
        }
    }

    private void publishNewcomer() {
        app.snapshot().put(SyncHarness.repo("late/Newcomer-GGUF", T0.plus(Duration.ofHours(1))));
        app.clock.advance(Duration.ofHours(24));
        assertEquals(0, app.sync());
    }

    /** A step of the reader held by the test: the first thread to reach it waits there until released. */
    private static final class Held {
        private final AtomicBoolean first = new AtomicBoolean(true);
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        void holdOnce() {
            if (first.compareAndSet(true, false)) {
                held.countDown();
                try {
                    released.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void awaitHeld() throws InterruptedException {
            assertTrue(held.await(10, TimeUnit.SECONDS), "the reader reached the held step");
        }

        void release() {
            released.countDown();
        }
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
