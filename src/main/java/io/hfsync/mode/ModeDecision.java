package io.hfsync.mode;

import java.time.Instant;

/**
 * The mode a run uses and why. {@code cutoff} is set for incremental runs only: the listing stops at the first
 * model modified before it. {@code mayEscalate} is true when the run may still switch to full on a significant
 * change (auto mode only; a forced incremental never switches).
 */
public record ModeDecision(SyncMode mode, String reason, Instant cutoff, boolean mayEscalate) {

    public static ModeDecision full(String reason) {
        return new ModeDecision(SyncMode.FULL, reason, null, false);
    }

    public boolean incremental() {
        return mode == SyncMode.INCREMENTAL;
    }

    public ModeDecision escalateToFull(String why) {
        return new ModeDecision(SyncMode.FULL, why + "; " + reason, null, false);
    }
}
