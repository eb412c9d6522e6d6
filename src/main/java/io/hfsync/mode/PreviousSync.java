package io.hfsync.mode;

import java.time.Instant;

/** What the mode decision needs from the previous run's metadata. */
public record PreviousSync(Instant lastSyncTime, Instant lastSuccessfulSyncTime, Instant lastFullSyncTime,
        boolean success, String errorMessage) {
}
