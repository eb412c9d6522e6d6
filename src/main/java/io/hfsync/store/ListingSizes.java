package io.hfsync.store;

import static io.hfsync.store.Slot.DETAILED;
import static io.hfsync.store.Slot.FILES_FROM_BEFORE;
import static io.hfsync.store.Slot.LISTING_SIZE;
import static io.hfsync.store.Slot.LISTING_SIZE_BEFORE;
import static io.hfsync.store.Slot.PRESENT;
import static io.hfsync.store.Slot.RECHECK;

import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.GgufFile;
import io.hfsync.catalog.SizeSource;
import io.hfsync.store.Slots.ListingTrust;
import java.util.ArrayList;
import java.util.List;

/**
 * File sizes a run takes from the listing ({@code sync.sizes-from-listing}, docs/sync-modes.md): a single-file repo's
 * listing may prove its one file's size, which the model's record holds at once but which counts only once the run
 * trusts listing sizes (after verifying a sample); a run that doubts them rewrites those records without the size and
 * puts the models back in the detail queue. Not thread-safe: {@link CatalogMerge} serialises access.
 */
final class ListingSizes {

    private final Slots slots;
    /** {@code sync.sizes-from-listing}: a single-file repo's size may come from the listing (docs/sync-modes.md). */
    private boolean wanted;
    /** The sizes earlier runs took from the listing are in doubt too (a mismatch was seen): re-read once. */
    private boolean earlierDoubted;

    ListingSizes(Slots slots) {
        this.slots = slots;
    }

    void wanted(boolean wanted) {
        this.wanted = wanted;
    }

    /** The listed model takes its size from the listing: wanted, sizes read in this run, one file and its size proven. */
    boolean takes(CatalogEntry listedEntry, Long provenSize) {
        return wanted && slots.detailsWanted && provenSize != null && provenSize >= 0
                && listedEntry.files() != null && listedEntry.files().size() == 1;
    }

    /** The model's one file with the listing's size: in force once the run trusts listing sizes. */
    void take(Slot slot, CatalogEntry listedEntry, long provenSize) {
        GgufFile only = listedEntry.files().get(0).withSize(provenSize, SizeSource.LISTING);
        slot.afterRef = slots.spool.append(EntryBytes.record(slots.withHeaderBefore(slot, listedEntry)
                .withFiles(List.of(only)).withDetailsPending(false)));
        slot.listingSize = provenSize;
        slot.flags |= LISTING_SIZE;
    }

    /** See {@link CatalogMerge#listingSizeCandidates}. */
    List<String> candidates() {
        List<String> ids = new ArrayList<>();
        for (Slot slot : slots.all()) {
            if (slot.has(LISTING_SIZE) && slots.needsDetail(slot)) {
                ids.add(slot.id);
            }
        }
        return ids;
    }

    void trust() {
        if (slots.listingTrust == ListingTrust.UNDECIDED) {
            slots.listingTrust = ListingTrust.TRUSTED;
        }
    }

    /** See {@link CatalogMerge#doubtListingSizes}. */
    int doubt(boolean earlierToo) {
        slots.listingTrust = ListingTrust.DOUBTED;
        boolean earlier = earlierToo && !earlierDoubted;
        earlierDoubted |= earlierToo;
        boolean detailsWanted = slots.detailsWanted;
        int doubted = 0;
        for (Slot slot : slots.all()) {
            if (slot.has(LISTING_SIZE)) {
                CatalogEntry entry = EntryBytes.parse(EntryBytes.model(slots.spool.read(slot.afterRef)));
                slot.afterRef = slots.spool.append(EntryBytes.record(withoutListingSizes(entry)
                        .withDetailsPending(detailsWanted)));
                slot.flags &= ~LISTING_SIZE;
                // its detail answer is read as any other: one mismatch already said what there was to say
                slot.listingSize = -1;
                doubted++;
            } else if (earlier && detailsWanted && slot.has(LISTING_SIZE_BEFORE) && slot.has(PRESENT)
                    && !slot.has(DETAILED)) {
                CatalogEntry entry = EntryBytes.parse(slots.model(slot));
                if (!Slots.sizedFromListing(entry.files())) {
                    continue; // updated by this run: its files are the new listing's
                }
                slot.afterRef = slots.spool.append(EntryBytes.record(withoutListingSizes(entry).withDetailsPending(true)));
                slot.flags = (slot.flags | RECHECK) & ~FILES_FROM_BEFORE;
                doubted++;
            }
        }
        return doubted;
    }

    private static CatalogEntry withoutListingSizes(CatalogEntry entry) {
        List<GgufFile> files = entry.files() == null ? null : entry.files().stream()
                .map(f -> f != null && f.sizeSource() == SizeSource.LISTING ? f.withSize(null, null) : f)
                .toList();
        return entry.withFiles(files);
    }

    /** Models whose size this run takes from the listing: those it trusts, with no detail answer of their own. */
    int taken() {
        if (slots.listingTrust != ListingTrust.TRUSTED) {
            return 0;
        }
        int count = 0;
        for (Slot slot : slots.all()) {
            if (slot.has(LISTING_SIZE) && slot.has(PRESENT) && !slot.has(DETAILED)) {
                count++;
            }
        }
        return count;
    }
}
