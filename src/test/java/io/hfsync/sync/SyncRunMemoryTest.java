package io.hfsync.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hfsync.store.CatalogMerge;
import io.hfsync.mode.ModeDecision;
import io.hfsync.settings.SyncSettings;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * A finished run keeps nothing of the catalog, even while Camel keeps the run: the routes ask the run questions
 * ({@code ${exchangeProperty.syncRun.failed()}}), and Camel's bean cache keeps the instance asked as its key. A daemon
 * kept every past run's merge of every model that way and ran out of heap at 200k models (bench/daemon-web.sh).
 */
class SyncRunMemoryTest {

    @Test
    void should_let_a_closed_runs_merge_go_while_camel_still_holds_the_run() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            WeakReference<CatalogMerge> merge = askedThenClosed(camel);
            for (int i = 0; i < 50 && merge.get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertNull(merge.get(), "the closed run's merge is still reachable");
        }
    }

    private static WeakReference<CatalogMerge> askedThenClosed(CamelContext camel) {
        SyncSettings settings = new SyncSettings("http://127.0.0.1:1", "", 500, 150, 4, 5, 300, true, true,
                io.hfsync.mode.SyncMode.AUTO, false, Duration.ofHours(48), Duration.ofHours(168), 0.1, 0.2, false,
                Duration.ofHours(6), Path.of("data"), "0 0 2 * * ?", true, SyncSettings.Cluster.NONE,
                SyncSettings.Backfill.DEFAULT, SyncSettings.DEFAULT_MAX_PAGES, SyncSettings.DEFAULT_MAX_ANSWER_MB,
                SyncSettings.Headers.DEFAULT, SyncSettings.DEFAULT_PUBLISH_INTERVAL);
        SyncRun run = new SyncRun(settings, Clock.fixed(Instant.now(), ZoneOffset.UTC));
        run.decide(ModeDecision.full("test"));
        CatalogMerge merge = new CatalogMerge(List.of());
        run.merge(merge);
        run.startWallClock();
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(RunProperties.SYNC_RUN, run);
        // as routes/write-database.camel.yaml asks it
        assertFalse(camel.resolveLanguage("simple").createPredicate("${exchangeProperty.syncRun.failed()}")
                .matches(exchange));
        run.close();
        return new WeakReference<>(merge);
    }
}
