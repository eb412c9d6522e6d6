package io.hfsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a run publishes while it fetches sizes and reads headers (docs/gguf-headers.md "Published as they arrive"). */
class PublishScheduleTest {

    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void should_be_due_an_interval_after_the_last_publish_ended() {
        PublishSchedule schedule = new PublishSchedule(Duration.ofMinutes(5));
        schedule.publishing(T0);
        schedule.published(T0.plusSeconds(2));

        assertFalse(schedule.due(T0.plusSeconds(2)));
        assertFalse(schedule.due(T0.plusSeconds(301)));
        assertTrue(schedule.due(T0.plusSeconds(302)));
        assertEquals(Duration.ofSeconds(2), schedule.lastTook());
    }

    @Test
    void should_never_be_due_before_the_first_publish_nor_while_one_writes() {
        PublishSchedule schedule = new PublishSchedule(Duration.ofSeconds(1));
        assertFalse(schedule.due(T0.plus(Duration.ofDays(1))), "the listing's publish comes first");

        schedule.publishing(T0);
        schedule.published(T0);
        schedule.publishing(T0.plusSeconds(10));
        assertFalse(schedule.due(T0.plusSeconds(11)), "a publish is writing");
        schedule.published(T0.plusSeconds(12));
        assertTrue(schedule.due(T0.plusSeconds(52)));
    }

    @Test
    void should_space_publishes_out_when_one_takes_over_a_twentieth_of_the_interval() {
        PublishSchedule schedule = new PublishSchedule(Duration.ofMinutes(5));
        // a 200k catalog on a slow disk: 30 s a publish would be 10 % of the run at 5 minutes
        schedule.publishing(T0);
        schedule.published(T0.plusSeconds(30));

        assertEquals(Duration.ofMinutes(10), schedule.spacing());
        assertFalse(schedule.due(T0.plusSeconds(30 + 599)));
        assertTrue(schedule.due(T0.plusSeconds(30 + 600)));

        // a quick one brings the interval back
        schedule.publishing(T0.plusSeconds(700));
        schedule.published(T0.plusSeconds(701));
        assertEquals(Duration.ofMinutes(5), schedule.spacing());
    }

    @Test
    void should_never_be_due_when_the_interval_is_zero() {
        PublishSchedule schedule = new PublishSchedule(Duration.ZERO);
        schedule.publishing(T0);
        schedule.published(T0.plusSeconds(1));
        assertFalse(schedule.due(T0.plus(Duration.ofDays(1))));
    }
}
