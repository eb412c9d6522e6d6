package io.hfsync.catalog;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** All times in our files: UTC, ISO-8601, whole seconds, {@code Z}. */
public final class Times {

    private static final DateTimeFormatter CHANGE_LOG_NAME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String format(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Parses the Hub's {@code ...000Z}, our {@code ...Z} and the seed's {@code ...+00:00}; null stays null. */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return OffsetDateTime.parse(text).toInstant();
    }

    /** Hub date normalised to our format, so a re-read of the same date compares equal. */
    public static String normalise(String hubDate) {
        return format(parse(hubDate));
    }

    public static String changeLogName(Instant syncTime) {
        return CHANGE_LOG_NAME.format(syncTime) + ".json";
    }
}
