package io.hfsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.store.CatalogMerge;
import io.hfsync.settings.SyncSettings;
import io.hfsync.mode.ModeDecision;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLogTest {

    private final AtomicLong nanos = new AtomicLong();

    private static SyncRun run() {
        SyncSettings settings = new SyncSettings("http://127.0.0.1:1", "", 500, 150, 4, 5, 300, true, true,
                io.hfsync.mode.SyncMode.AUTO, false, Duration.ofHours(48), Duration.ofHours(168), 0.1, 0.2, false,
                Duration.ofHours(6), Path.of("data"), "0 0 2 * * ?", true, SyncSettings.Cluster.NONE,
                SyncSettings.Backfill.DEFAULT, SyncSettings.DEFAULT_MAX_PAGES, SyncSettings.DEFAULT_MAX_ANSWER_MB,
                SyncSettings.Headers.DEFAULT, SyncSettings.DEFAULT_PUBLISH_INTERVAL);
        SyncRun run = new SyncRun(settings, java.time.Clock.fixed(Instant.parse("2026-11-25T02:00:00Z"), java.time.ZoneOffset.UTC));
        run.decide(ModeDecision.full("test"));
        run.merge(new CatalogMerge(List.of()));
        return run;
    }

    @Test
    void should_say_nothing_before_ten_seconds_and_then_report_calls_and_what_is_left() {
        ProgressLog progress = new ProgressLog(nanos::get);
        SyncRun run = run();
        for (int i = 0; i < 60; i++) {
            run.countHubRequest();
        }
        nanos.set(TimeUnit.SECONDS.toNanos(9));
        assertEquals(Optional.empty(), progress.line(run::progressCounts));

        nanos.set(TimeUnit.SECONDS.toNanos(30));
        run.details().toFetch(null);
        String line = progress.line(run::progressCounts).orElseThrow();

        assertTrue(line.startsWith("Progress: 0 pages read, 0 models listed, 60 Hub calls (120/min)"), line);
        assertEquals(Optional.empty(), progress.line(run::progressCounts), "not again within ten seconds");
    }

    @Test
    void should_estimate_the_minutes_left_for_details() {
        ProgressLog progress = new ProgressLog(nanos::get);
        SyncRun run = run();
        run.merge().acceptListed(new io.hfsync.catalog.CatalogEntry("a/b", "a", "s", null, null, null, null, null,
                null, null, null, null, null, null, null, List.of(), List.of()));
        run.details().toFetch(null);
        for (int i = 0; i < 30; i++) {
            run.countHubRequest();
        }
        nanos.set(TimeUnit.SECONDS.toNanos(60));

        String line = progress.line(run::progressCounts).orElseThrow();

        assertTrue(line.endsWith("; details 0 of 1, about 0.0 min left"), line);
    }
}
