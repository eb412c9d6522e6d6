package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** README.md#configuration: a bad value stops start-up with one line naming key and value, exit 2, nothing written, no Hub call. */
class ConfigurationIT {

    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "sync.mode|sometimes",
        "sync.incremental-window-hours|-5",
        "sync.full-sync-threshold-hours|-1",
        "sync.significant-change-threshold|0",
        "sync.significant-change-threshold|1.5",
        "sync.max-removed-fraction|2",
        "sync.cron|every night",
        "sync.force-full|maybe",
        "hub.page-size|501",
        "hub.max-concurrency|0",
        "hub.url|ftp://example.org",
        "sync.cluster.heartbeat-seconds|0",
        "sync.cluster.missed-heartbeats|many",
        "sync.cluster.namespace|a:b",
        "sync.sqlite|maybe",
        "sync.database.url|mysql://db/catalog",
    })
    void should_refuse_a_bad_value_with_exit_code_2_and_one_line(String key, String value) throws Exception {
        SyncHarness app = new SyncHarness(dataDir, Instant.parse("2026-11-20T02:00:00Z"));
        app.snapshot().put(SyncHarness.repo("owner/Model-GGUF", Instant.parse("2026-11-19T00:00:00Z")));

        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = app.sync(key + "=" + value);
        } finally {
            System.setErr(originalErr);
        }

        assertEquals(2, code);
        String line = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.contains(key + "='" + value + "'"), line);
        assertEquals(0, app.hub.requests(), "no Hub call");
        try (Stream<Path> files = Files.list(dataDir)) {
            assertEquals(0, files.count(), "nothing written");
        }
    }

    @Test
    void should_refuse_a_data_dir_that_cannot_be_created(@TempDir Path parent) throws Exception {
        Path blocker = Files.writeString(parent.resolve("not-a-dir"), "x");
        SyncHarness app = new SyncHarness(blocker.resolve("data"), Instant.parse("2026-11-20T02:00:00Z"));

        assertEquals(2, app.sync());
        assertEquals(0, app.hub.requests());
    }
}
