package io.hfsync.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimesTest {

    private static final Instant OCT_14 = Instant.parse("2023-10-14T09:56:54Z");

    @ParameterizedTest
    @ValueSource(strings = {"2023-10-14T09:56:54.000Z", "2023-10-14T09:56:54Z", "2023-10-14T09:56:54+00:00",
            "2023-10-14T11:56:54+02:00"})
    void should_parse_hub_our_and_seed_date_formats(String text) {
        assertEquals(OCT_14, Times.parse(text));
    }

    @Test
    void should_parse_the_seeds_microsecond_format() {
        assertEquals(Instant.parse("2025-07-31T05:33:49.909573Z"), Times.parse("2025-07-31T05:33:49.909573+00:00"));
    }

    @Test
    void should_parse_null_and_blank_as_null() {
        assertNull(Times.parse(null));
        assertNull(Times.parse(" "));
        assertNull(Times.normalise(null));
        assertNull(Times.format(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-10-14T09:56:54.000Z", "2023-10-14T09:56:54.999Z", "2023-10-14T09:56:54+00:00"})
    void should_normalise_hub_dates_to_whole_seconds_with_z(String hubDate) {
        assertEquals("2023-10-14T09:56:54Z", Times.normalise(hubDate));
    }

    @Test
    void should_format_instants_in_utc_with_whole_seconds() {
        assertEquals("2026-11-25T02:00:00Z", Times.format(Instant.parse("2026-11-25T02:00:00.750Z")));
    }

    @Test
    void should_name_change_logs_after_the_sync_time() {
        assertEquals("20261125T020041Z.json", Times.changeLogName(Instant.parse("2026-11-25T02:00:41.500Z")));
        assertEquals("20240105T230000Z.json", Times.changeLogName(Instant.parse("2024-01-05T23:00:00Z")));
    }
}
