package io.hfsync.standin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The Hub's date format: UTC, milliseconds, {@code Z} ({@code 2026-09-08T21:47:30.000Z}). */
final class HubDates {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private HubDates() {
    }

    static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
