package io.hfsync.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which route files each mode loads (README's Layout): the sync's own routes always, one trigger folder per mode. */
class ModeRoutesTest {

    private static final String R = "file:routes/";

    @Test
    void should_load_the_one_shot_timer_and_no_schedule_in_one_shot_mode() {
        assertEquals(R + "*.camel.yaml," + R + "once/*.camel.yaml",
                new ModeRoutes(true, false, false, true, true, false).includePattern(R));
    }

    @Test
    void should_load_the_schedule_and_the_backfill_tick_of_a_daemon() {
        assertEquals(R + "*.camel.yaml," + R + "daemon/schedule.camel.yaml," + R + "daemon/backfill.camel.yaml",
                new ModeRoutes(false, false, false, false, true, true).includePattern(R));
    }

    @Test
    void should_load_the_triggers_behind_leader_election_with_replicas() {
        assertEquals(R + "*.camel.yaml," + R + "replicas/schedule.camel.yaml," + R + "replicas/backfill.camel.yaml",
                new ModeRoutes(false, false, false, true, true, true).includePattern(R));
    }

    @Test
    void should_leave_the_backfill_tick_out_when_backfill_is_off_and_add_the_demo_start() {
        assertEquals(R + "*.camel.yaml," + R + "daemon/schedule.camel.yaml," + R + "demo/*.camel.yaml",
                new ModeRoutes(false, false, true, false, false, true).includePattern(R));
    }

    @Test
    void should_load_no_trigger_with_serve() {
        assertEquals("classpath:x/routes/*.camel.yaml", new ModeRoutes(false, true, true, true, true, true)
                .includePattern("classpath:x/routes/"));
    }

    @Test
    void should_leave_the_page_out_when_no_page_is_served() {
        assertEquals("**/web.camel.yaml", new ModeRoutes(true, false, false, false, true, false).excludePattern());
        assertEquals(null, new ModeRoutes(false, false, false, false, true, true).excludePattern());
    }
}
