package io.hfsync.mode;

import io.hfsync.catalog.SyncMetadata;
import io.hfsync.catalog.Times;
import java.time.Duration;
import java.time.Instant;

/** What the mode decision needs from the previous run's metadata. */
public record PreviousSync(Instant lastSyncTime, Instant lastSuccessfulSyncTime, Instant lastFullSyncTime,
        boolean success, String errorMessage) {

    /** Clocks of two machines sharing a data directory may differ this much. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /**
     * The previous run as {@code m} tells it at {@code now}. The seed's own file has no last_successful/last_full
     * keys: they are derived from what it does say. A file without a last_sync_time is unreadable
     * ({@link IllegalArgumentException}); one dated later than now is {@link NotTrusted}.
     */
    public static PreviousSync from(SyncMetadata m, Instant now) {
        Instant last = Times.parse(m.lastSyncTime());
        if (last == null) {
            throw new IllegalArgumentException("no last_sync_time");
        }
        // a date after now (a clock that was wrong, a hand edit) would keep auto mode incremental until then and be
        // carried forward: such a file is not trusted for the decision, and nothing of it is written back
        notLaterThan(now, "last_sync_time", m.lastSyncTime());
        notLaterThan(now, "last_successful_sync_time", m.lastSuccessfulSyncTime());
        notLaterThan(now, "last_full_sync_time", m.lastFullSyncTime());
        boolean success = Boolean.TRUE.equals(m.success());
        Instant lastSuccess = m.lastSuccessfulSyncTime() != null ? Times.parse(m.lastSuccessfulSyncTime())
                : success ? last : null;
        Instant lastFull = m.lastFullSyncTime() != null ? Times.parse(m.lastFullSyncTime())
                : success && "full".equals(m.syncMode()) ? last : null;
        return new PreviousSync(last, lastSuccess, lastFull, success, m.errorMessage());
    }

    private static void notLaterThan(Instant now, String key, String value) {
        Instant at = Times.parse(value);
        if (at != null && at.isAfter(now.plus(CLOCK_SKEW))) {
            throw new NotTrusted(key + " " + value + " is later than now");
        }
    }

    /** Metadata dated in the future: readable, but not a basis for the decision. */
    public static final class NotTrusted extends IllegalArgumentException {

        NotTrusted(String message) {
            super(message);
        }
    }
}
