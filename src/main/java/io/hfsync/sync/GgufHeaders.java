package io.hfsync.sync;

import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.GgufFile;
import io.hfsync.hub.HeaderFetch;
import io.hfsync.hub.HubCallFailedException;
import io.hfsync.hub.HubPacer;
import io.hfsync.hub.TimeBudget;
import io.hfsync.hub.TimeBudgetReachedException;
import java.util.Comparator;
import java.util.List;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of routes/gguf-headers.camel.yaml (bean {@code ggufHeaders}): one model's GGUF header read, at most once per
 * (id, sha) (docs/gguf-headers.md). The file read is the smallest complete weights file (of a split set, its first
 * part). Whatever the file or the Hub says about it (401/403, 404, not GGUF, truncated, over a bound) becomes the
 * model's {@code gguf_header_error}, never a failed run; a Hub that cannot answer now leaves the model pending, and
 * after {@value #NOT_NOW_IN_A_ROW} such answers in a row the run reads no more headers.
 */
public final class GgufHeaders {

    private static final Logger LOG = LoggerFactory.getLogger(GgufHeaders.class);
    static final int NOT_NOW_IN_A_ROW = 5;

    private final HeaderFetch fetch;
    private final HubPacer resolverPacer;
    private int notNowInARow;

    public GgufHeaders(HeaderFetch fetch, HubPacer resolverPacer) {
        this.fetch = fetch;
        this.resolverPacer = resolverPacer;
    }

    /**
     * The detail phase begins: headers are read alongside it (routes/gguf-headers.camel.yaml), so the most downloaded
     * arrive within minutes of the first publish, not after the whole detail phase (docs/gguf-headers.md).
     */
    public void openAlongside(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        run.headers().openAlongside();
    }

    /** The detail phase read the model's sizes (routes/hub-listing.camel.yaml): its header can be read alongside. */
    public void sizesRead(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run,
            @ExchangeProperty(RunProperties.MODEL_ID) String id) {
        run.headers().sizesRead(id);
    }

    /** The reads alongside the detail phase failed (a journal that cannot be written): the run fails when they close. */
    public void alongsideFailed(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        run.headers().alongside().failed(cause);
    }

    /** The reads alongside the detail phase ended, none in flight. */
    public void alongsideEnded(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        run.headers().alongside().ended();
    }

    /**
     * The detail phase ended: no more reads alongside it, and those in flight are waited for, so that the publish after
     * it holds every read journaled so far. A read that could not be journaled fails the run, as in the header phase.
     */
    public void closeAlongside(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run, Exchange exchange) throws Exception {
        Exception failed = run.headers().alongside().close(() -> stopping(exchange));
        if (failed != null) {
            throw failed;
        }
    }

    /** The models to read alongside the detail phase (the split of routes/gguf-headers.camel.yaml). */
    public java.util.Iterator<String> toReadAlongside(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run,
            Exchange exchange) {
        return run.headers().toReadAlongside(() -> stopping(exchange));
    }

    /** The application is stopping: reads in flight are not waited for (docs/gguf-headers.md). */
    static boolean stopping(Exchange exchange) {
        return exchange.getContext().isStopping() || exchange.getContext().isStopped();
    }

    public void read(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run, @Body String id) throws InterruptedException {
        CatalogEntry entry = run.merge().current(id);
        if (entry == null || entry.sha() == null) {
            return;
        }
        if (entry.headerRead()) {
            run.merge().headerAlreadyRead(id);
            return;
        }
        GgufFile file = weightsFileToRead(entry.files());
        if (file == null) {
            accept(run, id, entry.sha(), null, CatalogEntry.NO_WEIGHTS_FILE);
            return;
        }
        HeaderFetch.Outcome outcome;
        try {
            TimeBudget.check(run, null);
            outcome = fetch.read(id, entry.sha(), file.name(), new HeaderFetch.Resolvers() {
                @Override
                public void beforeCall() throws InterruptedException {
                    resolverPacer.beforeCall(run);
                }

                @Override
                public void answered(String rateLimit, String warning) {
                    resolverPacer.afterResponse(rateLimit, warning);
                }
            });
        } catch (TimeBudgetReachedException e) {
            run.headers().stop(e.getMessage());
            return;
        } catch (HubCallFailedException e) {
            // a pacing wait longer than hub.max-retry-wait-seconds: the resolvers budget is spent for now
            run.headers().stop(e.getMessage());
            LOG.info("GGUF headers: no more reads this run ({})", e.getMessage());
            return;
        } catch (java.io.IOException e) {
            // tried once this run: the header phase after the detail phase does not ask again (docs/gguf-headers.md)
            run.headers().notReadNow(id);
            if (run.calls().isAbandoned()) {
                // the run's time is up and its calls were closed: the budget ended this read, not the Hub (it stays
                // pending; SyncRun logged the budget)
                return;
            }
            notNow(run, id, e.getMessage());
            return;
        }
        synchronized (this) {
            notNowInARow = 0;
        }
        run.counters().headerBytes(outcome.bytes());
        accept(run, id, entry.sha(), outcome.header(), outcome.error());
        if (outcome.error() != null) {
            LOG.info("Model {}: GGUF header of {} not read: {}", id, file.name(), outcome.error());
        }
    }

    private static void accept(SyncRun run, String id, String sha, io.hfsync.gguf.GgufHeader header, String error) {
        if (run.merge().acceptHeader(id, sha, header, error)) {
            run.headers().taken();
        }
    }

    private synchronized void notNow(SyncRun run, String id, String why) {
        notNowInARow++;
        LOG.warn("Model {}: GGUF header not read now ({}); read again later", id, why);
        if (notNowInARow >= NOT_NOW_IN_A_ROW) {
            run.headers().stop(NOT_NOW_IN_A_ROW + " header reads in a row without an answer");
            LOG.warn("GGUF headers: {} reads in a row without an answer; no more this run", NOT_NOW_IN_A_ROW);
            notNowInARow = 0;
        }
    }

    /**
     * The smallest complete weights file (a split set is named after its first part), or null. Every quantisation of a
     * revision carries the same header, so where no size is known (FETCH_FILE_SIZES=false) the first complete one by
     * name serves as well: the header of a repo whose sizes are not fetched is read all the same.
     */
    static GgufFile weightsFileToRead(List<GgufFile> files) {
        if (files == null) {
            return null;
        }
        return files.stream()
                .filter(f -> f != null && f.name() != null && f.completeWeights())
                .min(Comparator.comparing(GgufFile::size, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(GgufFile::name))
                .orElse(null);
    }
}
