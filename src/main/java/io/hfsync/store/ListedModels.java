package io.hfsync.store;

import static io.hfsync.store.Slot.ADDED;
import static io.hfsync.store.Slot.DETAILED;
import static io.hfsync.store.Slot.EARLIER;
import static io.hfsync.store.Slot.FILES_FROM_BEFORE;
import static io.hfsync.store.Slot.LISTED;
import static io.hfsync.store.Slot.LISTING_SIZE;
import static io.hfsync.store.Slot.PENDING_BEFORE;
import static io.hfsync.store.Slot.PRESENT;
import static io.hfsync.store.Slot.RECHECK;
import static io.hfsync.store.Slot.REMOVED;
import static io.hfsync.store.Slot.UPDATED;

import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.GgufFile;
import java.util.List;

/**
 * What the listing does to the models of one run (docs/sync-modes.md): a model it shows is added, updated, or kept with
 * the sizes and header already paid for; a model a completed full listing no longer shows is removed; a model whose
 * detail call finds it gone is left as the catalog held it. Listing the same revision twice is idempotent. Not
 * thread-safe: {@link CatalogMerge} serialises access.
 */
final class ListedModels {

    private final Slots slots;
    private final ListingSizes listingSizes;

    ListedModels(Slots slots, ListingSizes listingSizes) {
        this.slots = slots;
        this.listingSizes = listingSizes;
    }

    /** See {@link CatalogMerge#acceptListed(CatalogEntry, Long)}. */
    void accept(CatalogEntry listedEntry, Long provenSize) {
        Slot slot = slots.getOrAdd(listedEntry.id());
        long revision = RevisionHash.of(listedEntry);
        if (slot.has(LISTED) && slot.has(PRESENT) && slot.afterRevision == revision && slot.afterRef != CatalogSpool.NONE) {
            // the same revision again (the second discovery strategy, or a full pass after an incremental one):
            // what this run already holds for it stands, and the scratch file does not grow by another copy
            return;
        }
        slot.flags = (slot.flags | LISTED) & ~LISTING_SIZE;
        slot.listingSize = -1;
        slot.downloads = Slots.downloadsOf(listedEntry);
        boolean fromListing = listingSizes.takes(listedEntry, provenSize);
        boolean detailsWanted = slots.detailsWanted;
        if (slot.existedBefore() && slot.beforeRevision == revision) {
            // unchanged on the Hub: refresh listing fields, keep the sizes we already paid for (or still owe)
            slot.flags &= ~UPDATED;
            slot.afterRevision = revision;
            if (fromListing && slot.has(PENDING_BEFORE) && !slot.has(DETAILED)) {
                // still owed by an earlier run: the listing pays it now
                slot.flags = (slot.flags | PRESENT) & ~FILES_FROM_BEFORE;
                listingSizes.take(slot, listedEntry, provenSize);
                return;
            }
            if (slot.has(EARLIER)) {
                // the listing's names say what the earlier version could not; the sizes are the ones it had
                slot.flags = (slot.flags | PRESENT) & ~FILES_FROM_BEFORE;
                CatalogEntry before = slots.beforeEntry(slot);
                List<GgufFile> files = EarlierEntries.withKnownSizes(listedEntry.files(), before.files());
                boolean pending = detailsWanted && slot.has(PENDING_BEFORE) && !slot.has(DETAILED);
                slot.afterRef = slots.spool.append(EntryBytes.record(Slots.sameRevisionHeader(listedEntry, before)
                        .withFiles(files).withDetailsPending(pending)));
                return;
            }
            slot.flags |= PRESENT | FILES_FROM_BEFORE;
            boolean pending = detailsWanted && slot.has(PENDING_BEFORE) && !slot.has(DETAILED);
            slot.afterRef = slots.spool.append(EntryBytes.headRecord(listedEntry.withDetailsPending(pending)));
            return;
        }
        slot.flags |= slot.existedBefore() ? UPDATED : ADDED;
        slot.flags = (slot.flags | PRESENT) & ~(FILES_FROM_BEFORE | DETAILED | RECHECK);
        slot.afterRevision = revision;
        if (fromListing) {
            listingSizes.take(slot, listedEntry, provenSize);
            return;
        }
        slot.afterRef = slots.spool.append(EntryBytes.record(listedEntry.withDetailsPending(detailsWanted)));
    }

    /** See {@link CatalogMerge#vanished}. */
    void vanished(String id) {
        Slot slot = slots.get(id);
        if (slot == null) {
            return;
        }
        slot.flags &= ~(ADDED | UPDATED | FILES_FROM_BEFORE | LISTING_SIZE | RECHECK);
        slot.listingSize = -1;
        slot.afterRef = CatalogSpool.NONE;
        slot.afterRevision = slot.beforeRevision;
        if (slot.existedBefore()) {
            slot.flags |= PRESENT;
        } else {
            slot.flags &= ~PRESENT;
        }
    }

    /** See {@link CatalogMerge#completeFullListing}. */
    void completeFullListing() {
        for (Slot slot : slots.all()) {
            if (slot.existedBefore() && !slot.has(LISTED)) {
                slot.flags = (slot.flags | REMOVED) & ~PRESENT;
            }
        }
    }
}
