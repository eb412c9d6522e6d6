package io.hfsync.sync;

import java.time.Duration;
import java.time.Instant;

/**
 * When a run publishes while it still fetches sizes and reads GGUF headers ({@code sync.publish-interval-seconds},
 * docs/gguf-headers.md "Published as they arrive"): {@code interval} after the end of its last publish, so what it read
 * reaches the catalog within minutes instead of at the end of the phase. Fetching pauses while a publish writes (its
 * journals are emptied by it, docs/sync-modes.md), so a publish that takes long spaces the next one out: publishing
 * never takes more than 1/{@value #MAX_SHARE} of the run's time. A zero interval publishes only when the phase ends.
 * Plain time arithmetic: the run hands in its clock's readings.
 */
final class PublishSchedule {

    /** Between two publishes, at least this many times as long as the last one took. */
    static final int MAX_SHARE = 20;

    private final Duration interval;
    private Instant lastEnded;
    private Instant started;
    private Duration lastTook = Duration.ZERO;

    PublishSchedule(Duration interval) {
        this.interval = interval;
    }

    /** A publish starts writing. */
    synchronized void publishing(Instant at) {
        started = at;
    }

    /** The publish that started at {@link #publishing} has written everything (its journals emptied). */
    synchronized void published(Instant at) {
        if (started != null && !at.isBefore(started)) {
            lastTook = Duration.between(started, at);
        }
        started = null;
        lastEnded = at;
    }

    /** How long the last publish took (zero before the first). */
    synchronized Duration lastTook() {
        return lastTook;
    }

    /** The time between publishes now: the interval, or more when a publish takes over 1/{@value #MAX_SHARE} of it. */
    synchronized Duration spacing() {
        Duration share = lastTook.multipliedBy(MAX_SHARE);
        return share.compareTo(interval) > 0 ? share : interval;
    }

    /** A publish is due at {@code now}: the interval is on, the run published before, and its spacing has passed. */
    synchronized boolean due(Instant now) {
        return !interval.isZero() && lastEnded != null && started == null
                && !now.isBefore(lastEnded.plus(spacing()));
    }
}
