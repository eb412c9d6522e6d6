package io.hfsync.mode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ModeDeciderTest {

    private static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(48);
    private static final Duration THRESHOLD = Duration.ofHours(168);

    // --- rule 1: FORCE_FULL_SYNC ----------------------------------------------------------------------------------

    @Test
    void should_go_full_when_force_full_is_set_even_if_sync_mode_is_incremental() {
        ModeDecision d = decider(SyncMode.INCREMENTAL, true).decide(healthy(hoursAgo(24)), null, NOW);

        assertFull(d, "FORCE_FULL_SYNC is set");
    }

    @Test
    void should_go_full_when_force_full_is_set_before_looking_at_metadata() {
        assertFull(decider(SyncMode.AUTO, true).decide(null, "unreadable", NOW), "FORCE_FULL_SYNC is set");
    }

    // --- rule 2: SYNC_MODE ----------------------------------------------------------------------------------------

    @Test
    void should_go_full_when_sync_mode_is_full_even_with_a_recent_full_sync() {
        assertFull(decider(SyncMode.FULL, false).decide(healthy(hoursAgo(1)), null, NOW), "SYNC_MODE=full (forced)");
    }

    @Test
    void should_go_incremental_when_forced_even_without_metadata_and_never_escalate() {
        ModeDecision d = decider(SyncMode.INCREMENTAL, false).decide(null, null, NOW);

        assertEquals(SyncMode.INCREMENTAL, d.mode());
        assertEquals("SYNC_MODE=incremental (forced)", d.reason());
        assertEquals(NOW.minus(WINDOW), d.cutoff());
        assertFalse(d.mayEscalate());
    }

    @Test
    void should_go_incremental_when_forced_even_after_a_failed_sync() {
        ModeDecision d = decider(SyncMode.INCREMENTAL, false).decide(failed("Hub answered 500"), null, NOW);

        assertEquals(SyncMode.INCREMENTAL, d.mode());
        assertFalse(d.mayEscalate());
    }

    // --- rule 3: no readable metadata -----------------------------------------------------------------------------

    @Test
    void should_go_full_on_the_first_run() {
        assertFull(auto().decide(null, null, NOW), "no previous sync metadata (first run)");
    }

    @Test
    void should_use_the_unreadable_note_as_the_reason() {
        String note = "sync metadata unreadable (JsonParseException), moved aside as x";

        assertFull(auto().decide(null, note, NOW), note);
    }

    // --- rule 4: last sync failed ---------------------------------------------------------------------------------

    @Test
    void should_go_full_when_the_last_sync_failed() {
        ModeDecision d = auto().decide(failed("Hub answered 500"), null, NOW);

        assertEquals(SyncMode.FULL, d.mode());
        assertTrue(d.reason().contains("failed") && d.reason().contains("Hub answered 500"), d.reason());
    }

    // --- rule 5: last full sync too old ---------------------------------------------------------------------------

    @Test
    void should_go_full_when_the_last_full_sync_is_older_than_the_threshold() {
        ModeDecision d = auto().decide(healthy(hoursAgo(169)), null, NOW);

        assertFull(d, "last full sync 169.0h ago, older than 168h");
    }

    @Test
    void should_go_full_when_no_full_sync_was_ever_recorded() {
        PreviousSync noFull = new PreviousSync(hoursAgo(24), hoursAgo(24), null, true, null);

        assertEquals(SyncMode.FULL, auto().decide(noFull, null, NOW).mode());
    }

    @Test
    void should_stay_incremental_when_the_last_full_sync_is_exactly_at_the_threshold() {
        assertEquals(SyncMode.INCREMENTAL, auto().decide(healthy(hoursAgo(168)), null, NOW).mode());
    }

    // --- rule 6: otherwise incremental ----------------------------------------------------------------------------

    @Test
    void should_go_incremental_that_may_escalate_otherwise() {
        ModeDecision d = auto().decide(healthy(hoursAgo(120)), null, NOW);

        assertEquals(SyncMode.INCREMENTAL, d.mode());
        assertEquals("last full sync 120.0h ago, within 168h", d.reason());
        assertTrue(d.mayEscalate());
        assertTrue(d.incremental());
    }

    // --- cutoff ---------------------------------------------------------------------------------------------------

    @Test
    void should_cut_off_at_now_minus_window_when_the_last_success_is_recent() {
        PreviousSync daily = new PreviousSync(hoursAgo(24), hoursAgo(24), hoursAgo(100), true, null);

        assertEquals(NOW.minus(WINDOW), auto().decide(daily, null, NOW).cutoff());
    }

    @Test
    void should_cut_off_an_hour_before_the_last_success_after_several_missed_days() {
        Instant lastSuccess = hoursAgo(5 * 24);
        PreviousSync afterGap = new PreviousSync(lastSuccess, lastSuccess, hoursAgo(6 * 24), true, null);

        assertEquals(lastSuccess.minus(Duration.ofHours(1)), auto().decide(afterGap, null, NOW).cutoff());
    }

    @Test
    void should_cut_off_before_the_last_success_when_forced_incremental_after_failed_runs() {
        Instant lastSuccess = hoursAgo(72);
        PreviousSync failedSince = new PreviousSync(hoursAgo(1), lastSuccess, hoursAgo(100), false, "boom");

        ModeDecision d = decider(SyncMode.INCREMENTAL, false).decide(failedSince, null, NOW);

        assertEquals(lastSuccess.minus(Duration.ofHours(1)), d.cutoff());
    }

    @Test
    void should_cut_off_at_the_window_when_there_was_never_a_success() {
        PreviousSync neverOk = new PreviousSync(hoursAgo(1), null, null, false, "boom");

        assertEquals(NOW.minus(WINDOW), decider(SyncMode.INCREMENTAL, false).decide(neverOk, null, NOW).cutoff());
    }

    @Test
    void should_give_a_full_decision_no_cutoff() {
        assertNull(auto().decide(null, null, NOW).cutoff());
    }

    @Test
    void should_switch_to_full_keeping_the_original_reason_when_escalated() {
        ModeDecision escalated = auto().decide(healthy(hoursAgo(120)), null, NOW).escalateToFull("Significant change");

        assertFull(escalated, "Significant change; last full sync 120.0h ago, within 168h");
    }

    private static ModeDecider auto() {
        return decider(SyncMode.AUTO, false);
    }

    private static ModeDecider decider(SyncMode mode, boolean forceFull) {
        return new ModeDecider(mode, forceFull, WINDOW, THRESHOLD);
    }

    private static Instant hoursAgo(long hours) {
        return NOW.minus(Duration.ofHours(hours));
    }

    /** A successful previous run one day ago, whose last full sync was at {@code lastFull}. */
    private static PreviousSync healthy(Instant lastFull) {
        return new PreviousSync(hoursAgo(24), hoursAgo(24), lastFull, true, null);
    }

    private static PreviousSync failed(String error) {
        return new PreviousSync(hoursAgo(24), hoursAgo(48), hoursAgo(48), false, error);
    }

    private static void assertFull(ModeDecision d, String reason) {
        assertEquals(SyncMode.FULL, d.mode());
        assertEquals(reason, d.reason());
        assertNull(d.cutoff());
        assertFalse(d.mayEscalate());
    }
}
