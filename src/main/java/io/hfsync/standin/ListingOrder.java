package io.hfsync.standin;

import java.time.Instant;
import java.util.Comparator;
import java.util.function.Function;

/**
 * The {@code sort} parameter of the listing. Every order is descending (the Hub has no ascending order
 * any more) by one numeric key, ties broken by id so that the order is total and a cursor position is
 * unambiguous. Without {@code sort} the order is by id alone.
 */
enum ListingOrder {
    LAST_MODIFIED("lastModified", r -> millis(r.lastModified())),
    CREATED_AT("createdAt", r -> millis(r.createdAt())),
    DOWNLOADS("downloads", HubRepo::downloads),
    LIKES("likes", HubRepo::likes),
    BY_ID("id", r -> 0L);

    private final String wireName;
    private final Function<HubRepo, Long> key;

    ListingOrder(String wireName, Function<HubRepo, Long> key) {
        this.wireName = wireName;
        this.key = key;
    }

    static ListingOrder fromParam(String sort) {
        if (sort == null || sort.isEmpty()) {
            return BY_ID;
        }
        for (ListingOrder order : values()) {
            if (order.wireName.equals(sort)) {
                return order;
            }
        }
        throw new HubError(400, "Invalid sort parameter: \"" + sort + "\"");
    }

    String wireName() {
        return wireName;
    }

    /** The sort key; a missing value sorts after every real one. */
    long keyOf(HubRepo repo) {
        Long value = key.apply(repo);
        return value == null ? Long.MIN_VALUE : value;
    }

    Comparator<HubRepo> comparator() {
        return Comparator.comparingLong(this::keyOf).reversed().thenComparing(HubRepo::id);
    }

    /** Whether the repo sorts strictly after the position, i.e. belongs to a later page. */
    boolean isAfter(HubRepo repo, ListingCursor position) {
        long repoKey = keyOf(repo);
        if (repoKey != position.key()) {
            return repoKey < position.key();
        }
        return repo.id().compareTo(position.id()) > 0;
    }

    ListingCursor positionOf(HubRepo repo) {
        return new ListingCursor(wireName, keyOf(repo), repo.id());
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
