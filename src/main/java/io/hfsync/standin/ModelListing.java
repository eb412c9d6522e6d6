package io.hfsync.standin;

import java.util.List;

/** One page of the model listing, cut from the snapshot as it is at the moment of the request. */
final class ModelListing {

    /**
     * @param items the page
     * @param next  where the next page starts, or null on the last page
     */
    record Page(List<HubRepo> items, ListingCursor next) {
    }

    private ModelListing() {
    }

    /** @param viewer the account the caller's token belongs to (its private repos are listed), or null */
    static Page page(HubSnapshot snapshot, ListingQuery query, String viewer) {
        ListingOrder order = query.order();
        // one more than the page, to know whether another page follows
        List<HubRepo> window = snapshot.all().stream()
                .filter(repo -> ListingQuery.visibleTo(repo, viewer) && query.matches(repo))
                .filter(repo -> query.after() == null || order.isAfter(repo, query.after()))
                .sorted(order.comparator())
                .limit(query.limit() + 1L)
                .toList();
        if (window.size() <= query.limit()) {
            return new Page(window, null);
        }
        List<HubRepo> items = window.subList(0, query.limit());
        return new Page(items, order.positionOf(items.get(items.size() - 1)));
    }
}
