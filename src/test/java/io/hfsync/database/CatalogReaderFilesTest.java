package io.hfsync.database;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.SyncHarness;
import io.hfsync.database.CatalogReader.ModelFilter;
import io.hfsync.database.CatalogReader.Sort;
import io.hfsync.standin.DemoSnapshot;
import io.hfsync.standin.HubRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the reader keeps of a file (its page index, answers) goes with the file: a run publishing a new file by
 * renaming it over the old one is read anew, while the run's sync_runs row written in place after the publish
 * (record-run.sql) changes nothing the models' answers were read from, so the 2 s page index at 200k is not read twice.
 */
class CatalogReaderFilesTest {

    private static final Instant T0 = Instant.parse("2026-11-20T02:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelFilter EVERY_MODEL = new ModelFilter(null, null, null, null, null);

    @TempDir
    Path dataDir;

    @Test
    void should_keep_what_it_read_of_a_file_written_in_place_and_read_a_new_file_anew() throws Exception {
        SyncHarness app = new SyncHarness(dataDir, T0);
        for (HubRepo repo : DemoSnapshot.generate(3, 30, T0).all()) {
            app.snapshot().put(repo);
        }
        assertEquals(0, app.sync());
        Path file = dataDir.resolve(SqliteCatalog.FILE_NAME);
        CatalogReader reader = new CatalogReader(dataDir);
        long models = total(reader, Sort.DOWNLOADS);
        assertEquals(1, reader.indexesRead());
        int runs = JSON.readTree(reader.runs(30)).size();

        // in place, as the run's row is recorded after the publish: another connection, the same file
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file); Statement sql = db.createStatement()) {
            sql.executeUpdate("INSERT INTO sync_runs (last_sync_time, sync_mode, success) "
                    + "VALUES ('2026-11-20T12:00:00Z', 'incremental', 0)");
        }
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals(runs + 1, JSON.readTree(reader.runs(30)).size(), "the row written in place is served");
        assertEquals(models, total(reader, Sort.LIKES));
        assertEquals(1, reader.indexesRead(), "the same file written in place: what was read of its models holds");

        // the next run publishes a new file (renamed over the old one, a new inode): read anew
        app.clock.advance(Duration.ofHours(24));
        assertEquals(0, app.sync());
        assertEquals(app.catalog().get("models").size(), total(reader, Sort.DOWNLOADS));
        assertEquals(runs + 2, JSON.readTree(reader.runs(30)).size(), "the new file holds the new run");
        assertEquals(2, reader.indexesRead(), "a new file: its own index");
    }

    private static long total(CatalogReader reader, Sort sort) throws Exception {
        return JSON.readTree(reader.models(EVERY_MODEL, sort, 1, 5)).get("total").asLong();
    }
}
