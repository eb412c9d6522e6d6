package io.hfsync.sync;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.ToLongFunction;

/**
 * Header reads alongside the detail phase (docs/gguf-headers.md): while it runs, the models whose header can be read
 * (their sizes known before it, or read by it just now) wait here, most downloaded first, for the reads of
 * routes/gguf-headers.camel.yaml. Closed before the run publishes again, after the reads in flight: a read that ended
 * during a publish could be journaled after the catalog was rendered and before the publish emptied the journal, and
 * would be lost.
 */
final class HeadersAlongside {

    private record Ready(String id, long downloads) {
    }

    private static final Comparator<Ready> MOST_DOWNLOADED_FIRST =
            Comparator.comparingLong(Ready::downloads).reversed().thenComparing(Ready::id);

    private final PriorityQueue<Ready> ready = new PriorityQueue<>(MOST_DOWNLOADED_FIRST);
    private boolean open;
    private boolean reading;
    private Exception failure;

    /** The detail phase begins; {@code ids} can be read already. */
    synchronized void open(List<String> ids, ToLongFunction<String> downloads) {
        ready.clear();
        ids.forEach(id -> ready.add(new Ready(id, downloads.applyAsLong(id))));
        failure = null;
        open = true;
        reading = true;
    }

    synchronized boolean isOpen() {
        return open;
    }

    /** The model's sizes were just read: its header can be read now. */
    synchronized void add(String id, long downloads) {
        if (open) {
            ready.add(new Ready(id, downloads));
            notifyAll();
        }
    }

    /**
     * The next model to read, the most downloaded of those ready, waiting while none is; null once closed (the header
     * phase after the detail phase reads what is left) or when the application stops (its thread pools wait for no
     * one: a read waiting here would hold its pool's shutdown).
     */
    synchronized String next(java.util.function.BooleanSupplier stopping) throws InterruptedException {
        while (open && ready.isEmpty() && !stopping.getAsBoolean()) {
            wait(200);
        }
        return open && !ready.isEmpty() && !stopping.getAsBoolean() ? ready.poll().id() : null;
    }

    /** What ended the reads early (a journal that cannot be written): the run fails when it closes them. */
    synchronized void failed(Exception cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    /** The reads ended, every one in flight done. */
    synchronized void ended() {
        reading = false;
        notifyAll();
    }

    /**
     * No more reads start; waits for those in flight (each bounded by the Hub client's response timeout and the run's
     * time budget), unless {@code stopping} says the application is stopping: its thread pools then end the reads, and
     * what they journaled is taken by the next run.
     *
     * @return what ended the reads early, or null
     */
    synchronized Exception close(java.util.function.BooleanSupplier stopping) throws InterruptedException {
        open = false;
        ready.clear();
        notifyAll();
        while (reading && !stopping.getAsBoolean()) {
            wait(200);
        }
        Exception failed = failure;
        failure = null;
        return failed;
    }
}
