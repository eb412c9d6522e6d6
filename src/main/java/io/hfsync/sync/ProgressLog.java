package io.hfsync.sync;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A progress line at most every {@value #EVERY_SECONDS} seconds while a run pages or fetches details: what is
 * done, the Hub call rate, and what is left where it is known. Wall time, not the injected clock: it is about
 * how long the person watching has been waiting.
 */
final class ProgressLog {

    static final int EVERY_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

    private final LongSupplier nanoTime;
    private final long startNanos;
    private final AtomicLong lastNanos;

    ProgressLog() {
        this(System::nanoTime);
    }

    ProgressLog(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.lastNanos = new AtomicLong(startNanos);
    }

    /** What the line reports, read from the run only when a line is due. */
    record Counts(int pagesRead, int modelsListed, int hubRequests, int detailsPlanned, int detailsDone) {
    }

    void maybeLog(Supplier<Counts> counts) {
        line(counts).ifPresent(line -> LOG.info("{}", line));
    }

    /** The progress line when one is due, else empty. */
    Optional<String> line(Supplier<Counts> counts) {
        long now = nanoTime.getAsLong();
        long last = lastNanos.get();
        if (now - last < TimeUnit.SECONDS.toNanos(EVERY_SECONDS) || !lastNanos.compareAndSet(last, now)) {
            return Optional.empty();
        }
        Counts run = counts.get();
        double minutes = Math.max(1e-9, (now - startNanos) / 60e9);
        double perMinute = run.hubRequests() / minutes;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "Progress: %d pages read, %d models listed, %d Hub calls (%.0f/min)",
                run.pagesRead(), run.modelsListed(), run.hubRequests(), perMinute));
        int planned = run.detailsPlanned();
        if (planned > 0) {
            int done = run.detailsDone();
            line.append(String.format(Locale.ROOT, "; details %d of %d", done, planned));
            if (perMinute > 0 && done < planned) {
                line.append(String.format(Locale.ROOT, ", about %.1f min left", (planned - done) / perMinute));
            }
        }
        return Optional.of(line.toString());
    }
}
