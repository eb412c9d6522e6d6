package io.hfsync.mode;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * docs/sync-modes.md mode decision, first matching rule wins. Pure: the caller supplies the clock reading and what it could
 * read of the previous run ({@code previous} is null when there is none, {@code unreadableNote} says why when the
 * metadata file existed but could not be read).
 */
public final class ModeDecider {

    private static final Duration CUTOFF_OVERLAP = Duration.ofHours(1);

    private final SyncMode requested;
    private final boolean forceFull;
    private final Duration incrementalWindow;
    private final Duration fullSyncThreshold;

    public ModeDecider(SyncMode requested, boolean forceFull, Duration incrementalWindow, Duration fullSyncThreshold) {
        this.requested = requested;
        this.forceFull = forceFull;
        this.incrementalWindow = incrementalWindow;
        this.fullSyncThreshold = fullSyncThreshold;
    }

    public ModeDecision decide(PreviousSync previous, String unreadableNote, Instant now) {
        if (forceFull) {
            return ModeDecision.full("FORCE_FULL_SYNC is set");
        }
        if (requested == SyncMode.FULL) {
            return ModeDecision.full("SYNC_MODE=full (forced)");
        }
        if (requested == SyncMode.INCREMENTAL) {
            return new ModeDecision(SyncMode.INCREMENTAL, "SYNC_MODE=incremental (forced)", cutoff(previous, now), false);
        }
        if (previous == null) {
            return ModeDecision.full(unreadableNote != null ? unreadableNote : "no previous sync metadata (first run)");
        }
        if (!previous.success()) {
            return ModeDecision.full("last sync at " + previous.lastSyncTime() + " failed"
                    + (previous.errorMessage() == null ? "" : ": " + previous.errorMessage()));
        }
        if (previous.lastFullSyncTime() == null) {
            return ModeDecision.full("no full sync recorded yet");
        }
        Duration sinceFull = Duration.between(previous.lastFullSyncTime(), now);
        if (sinceFull.compareTo(fullSyncThreshold) > 0) {
            return ModeDecision.full("last full sync " + hours(sinceFull) + " ago, older than " + fullSyncThreshold.toHours() + "h");
        }
        return new ModeDecision(SyncMode.INCREMENTAL,
                "last full sync " + hours(sinceFull) + " ago, within " + fullSyncThreshold.toHours() + "h",
                cutoff(previous, now), true);
    }

    /** The earlier of now - window and last successful start - 1h, so a run after missed days misses nothing. */
    Instant cutoff(PreviousSync previous, Instant now) {
        Instant byWindow = now.minus(incrementalWindow);
        if (previous == null || previous.lastSuccessfulSyncTime() == null) {
            return byWindow;
        }
        Instant byLastSuccess = previous.lastSuccessfulSyncTime().minus(CUTOFF_OVERLAP);
        return byLastSuccess.isBefore(byWindow) ? byLastSuccess : byWindow;
    }

    private static String hours(Duration d) {
        return String.format(Locale.ROOT, "%.1fh", d.toMillis() / 3_600_000.0);
    }
}
