package io.hfsync.events;

import io.hfsync.store.DataFiles;
import io.hfsync.catalog.Times;
import io.hfsync.sync.RunProperties;
import io.hfsync.sync.SyncRun;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What routes/sync-events.camel.yaml calls (docs/events.md): the undelivered events as a stream, the cursor moved on after
 * each delivered one, and the outcome logged and counted. At least once: the cursor is stored every
 * {@value #SAVE_EVERY} events or {@link #SAVE_AFTER}, and when the run's sending ends, so a kill repeats at most
 * those; a failure stores it where delivery stopped, and the next run starts there.
 */
public final class SyncEvents {

    /** The run's delivery (cursor, counts, the open outbox), on the exchange while the events go out. */
    public static final String DELIVERY = "hfSyncEventsDelivery";
    /** The cursor that stands once the event being sent is delivered. */
    public static final String AFTER = "hfSyncEventAfter";
    static final int SAVE_EVERY = 500;
    static final Duration SAVE_AFTER = Duration.ofSeconds(1);
    /** Held by the one sender of a data directory's events (the run's own lock is released before they go out). */
    static final String SENDING_LOCK = ".events.lock";
    private static final Logger LOG = LoggerFactory.getLogger(SyncEvents.class);

    /** Where the counts go (the Prometheus meters). */
    public interface Meter {
        void sent(long events);

        void failed();
    }

    private final Path dataDir;
    private final Clock clock;
    private final Meter meter;
    private final EndpointSecrets secrets;
    private final Duration budget;
    private final boolean enabled;

    /** {@code enabled}: sync.events-uri names an endpoint; without one the events routes send nothing. */
    public SyncEvents(Path dataDir, Clock clock, Meter meter, EndpointSecrets secrets, Duration budget, boolean enabled) {
        this.enabled = enabled;
        this.dataDir = dataDir;
        this.clock = clock;
        this.meter = meter;
        this.secrets = secrets;
        this.budget = budget;
    }

    /** Whether sync.events-uri names an endpoint: the events routes' filter. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * The body becomes the stream of events still to deliver, the oldest change log first, this run's last (a newer
     * one is a later run's, whose catalog may not be in place yet). The run no longer holds the data directory's lock:
     * one sender at a time holds {@code .events.lock} instead, and a run that finds it held leaves its events in the
     * outbox for the next run.
     */
    public void outbox(Exchange exchange) throws IOException {
        SyncRun run = run(exchange);
        FileChannel sending = sendingLock();
        if (sending == null) {
            LOG.info("Events: another delivery is under way; this run's events wait in the outbox for the next run");
            exchange.getMessage().setBody(java.util.Collections.emptyIterator());
            return;
        }
        try {
            EventCursor cursor = cursor(run);
            Outbox outbox = new Outbox(dataDir, cursor, Times.changeLogName(run.startedAt()));
            if (!outbox.lost().isEmpty()) {
                LOG.warn("Events: the change log {} was pruned before all its events were delivered; they are lost",
                        outbox.lost());
            }
            exchange.setProperty(DELIVERY, new Delivery(cursor, outbox, sending));
            exchange.getMessage().setBody(outbox);
        } catch (IOException | RuntimeException e) {
            sending.close();
            throw e;
        }
    }

    /** The lock on {@code DATA_DIR/.events.lock}, or null when another sender (in any process) holds it. */
    private FileChannel sendingLock() throws IOException {
        FileChannel channel = FileChannel.open(dataDir.resolve(SENDING_LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        try {
            if (channel.tryLock() != null) {
                return channel;
            }
        } catch (OverlappingFileLockException heldInThisProcess) {
            // another run of this process is still sending
        }
        channel.close();
        return null;
    }

    /** In the split: the event's JSON becomes the body, and the cursor it moves to is kept aside. */
    public void unwrap(Exchange exchange) throws org.apache.camel.InvalidPayloadException {
        OutboxEvent event = exchange.getMessage().getMandatoryBody(OutboxEvent.class);
        exchange.setProperty(AFTER, event.after());
        exchange.getMessage().setBody(event.json());
    }

    /** The endpoint took the event; past the budget, sending stops here (the rest waits for the next run). */
    public void delivered(Exchange exchange) throws IOException {
        Delivery delivery = exchange.getProperty(DELIVERY, Delivery.class);
        delivery.cursor = exchange.getProperty(AFTER, EventCursor.class);
        delivery.count++;
        meter.sent(1);
        if (delivery.count - delivery.savedCount >= SAVE_EVERY || System.nanoTime() - delivery.savedAt >= SAVE_AFTER.toNanos()) {
            delivery.save();
        }
        if (System.nanoTime() - delivery.startedAt >= budget.toNanos()) {
            throw new BudgetReachedException();
        }
    }

    /** Sending stops at {@code sync.events-budget-seconds}: not the endpoint's failure, so not counted as one. */
    public static final class BudgetReachedException extends RuntimeException {
        BudgetReachedException() {
            super("sync.events-budget-seconds reached", null, false, false);
        }
    }

    /** Every pending event was delivered. */
    public void finished(Exchange exchange) throws IOException {
        Delivery delivery = exchange.getProperty(DELIVERY, Delivery.class);
        if (delivery == null) {
            return;
        }
        try {
            delivery.save();
        } finally {
            delivery.close();
        }
        LOG.info("Events: {} delivered in {} ms, none left in the outbox", delivery.count,
                (System.nanoTime() - delivery.startedAt) / 1_000_000);
    }

    /** The budget ran out: what went out is stored, the rest goes out first in the next run. */
    public void budgetReached(Exchange exchange) throws IOException {
        Delivery delivery = exchange.getProperty(DELIVERY, Delivery.class);
        try {
            delivery.save();
        } finally {
            delivery.close();
        }
        LOG.warn("Events: {} delivered in {} ms, the budget of sync.events-budget-seconds={}; the rest go out first in "
                + "the next run (from {})", delivery.count, (System.nanoTime() - delivery.startedAt) / 1_000_000,
                budget.toSeconds(), delivery.cursor.describe());
    }

    /** Sending stopped at an event the endpoint did not take: logged, counted, the rest left for the next run. */
    public void failed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Delivery delivery = exchange.getProperty(DELIVERY, Delivery.class);
        meter.failed();
        if (delivery == null) {
            LOG.warn("Events: none sent ({}); the next run sends them first", describe(cause));
            return;
        }
        try {
            delivery.save();
            delivery.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Events: cannot store the delivery cursor ({}); the next run repeats this run's events", e.toString());
        }
        LOG.warn("Events: {} delivered, then the endpoint failed ({}); the catalog is published, the undelivered events "
                + "go out first in the next run (from {})", delivery.count, describe(cause), delivery.cursor.describe());
    }

    /** A failed run sends only {@code sync.failed} (its published change log, if any, waits in the outbox). */
    public void syncFailed(Exchange exchange) throws IOException {
        SyncRun run = run(exchange);
        cursor(run);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "sync.failed");
        event.put("sync_time", Times.format(run.startedAt()));
        event.put("error_message", run.failure());
        exchange.getMessage().setBody(event);
    }

    /** The {@code sync.failed} event went out. */
    public void failureSent(Exchange exchange) {
        meter.sent(1);
        LOG.info("Events: sync.failed delivered");
    }

    /**
     * The stored cursor; without one (events are new to this data directory) delivery starts with this run's own
     * change log, and that start is stored at once, so events a run could not deliver are found again.
     */
    private EventCursor cursor(SyncRun run) throws IOException {
        EventCursor cursor;
        try {
            cursor = EventCursor.read(dataDir);
        } catch (IOException | RuntimeException e) {
            Path aside = DataFiles.moveAside(dataDir.resolve(EventCursor.FILE), clock.instant());
            LOG.warn("Events: unreadable {} moved aside as {} ({}); delivery starts with this run's events",
                    EventCursor.FILE, aside.getFileName(), e.getMessage());
            cursor = null;
        }
        if (cursor == null) {
            cursor = EventCursor.before(Times.changeLogName(run.startedAt()));
            cursor.write(dataDir);
        }
        return cursor;
    }

    /** One line, with any credentials of the endpoint URI masked (an HTTP error names the URL it called). */
    String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return secrets.mask(URISupport.sanitizeUri(line(root)));
    }

    private static String line(Throwable t) {
        String message = t.getMessage() == null ? "" : ": " + t.getMessage().lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + message;
    }

    private static SyncRun run(Exchange exchange) {
        return exchange.getProperty(RunProperties.SYNC_RUN, SyncRun.class);
    }

    /** A run's sending: where the cursor stands, how many went out, when it was last stored. */
    final class Delivery {
        final Outbox outbox;
        EventCursor cursor;
        EventCursor savedCursor;
        long count;
        long savedCount;
        /** System.nanoTime() of the last save, and of the start. */
        long savedAt;
        final long startedAt = System.nanoTime();
        final FileChannel sending;

        Delivery(EventCursor cursor, Outbox outbox, FileChannel sending) {
            this.cursor = cursor;
            this.savedCursor = cursor;
            this.outbox = outbox;
            this.savedAt = startedAt;
            this.sending = sending;
        }

        /** The outbox closed and the sending lock released. */
        void close() throws IOException {
            try {
                outbox.close();
            } finally {
                sending.close();
            }
        }

        void save() throws IOException {
            if (!cursor.equals(savedCursor)) {
                cursor.write(dataDir);
                savedCursor = cursor;
            }
            savedCount = count;
            savedAt = System.nanoTime();
        }
    }
}
