package io.hfsync.store;

import static io.hfsync.store.Slot.ADDED;
import static io.hfsync.store.Slot.DETAILED;
import static io.hfsync.store.Slot.EARLIER;
import static io.hfsync.store.Slot.FILES_FROM_BEFORE;
import static io.hfsync.store.Slot.HEADER_BEFORE;
import static io.hfsync.store.Slot.LISTING_SIZE;
import static io.hfsync.store.Slot.LISTING_SIZE_BEFORE;
import static io.hfsync.store.Slot.PENDING_BEFORE;
import static io.hfsync.store.Slot.PRESENT;
import static io.hfsync.store.Slot.RECHECK;
import static io.hfsync.store.Slot.REMOVED;
import static io.hfsync.store.Slot.UPDATED;

import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.ChangeLog;
import io.hfsync.catalog.GgufFile;
import io.hfsync.catalog.SizeSource;
import io.hfsync.gguf.GgufHeader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The models of one merge, a {@link Slot} each, and their bytes read back as the catalog prints them: from the catalog
 * file the run started from, or from the run's {@link CatalogSpool}. Also the two settings every rule of the merge
 * reads: whether the run reads file sizes, and what it makes of the sizes its listing proves. Not thread-safe:
 * {@link CatalogMerge} serialises access.
 */
final class Slots {

    /** What a run makes of the sizes the listing proves: not decided while it lists and verifies a sample. */
    enum ListingTrust { UNDECIDED, TRUSTED, DOUBTED }

    // insertion order = the catalog's (sorted) order, new models at the end: the final sort is nearly free
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    final CatalogSpool spool;
    private int sizeBefore;
    /** False when this run reads no file sizes ({@code FETCH_FILE_SIZES=false}): then nothing is pending. */
    boolean detailsWanted = true;
    ListingTrust listingTrust = ListingTrust.UNDECIDED;
    /** The old catalog file is printed as this product prints it, so its bytes can be copied as they are. */
    boolean catalogIsCanonical;

    Slots(CatalogSpool spool) {
        this.spool = spool;
    }

    Slot get(String id) {
        return slots.get(id);
    }

    Slot getOrAdd(String id) {
        return slots.computeIfAbsent(id, Slot::new);
    }

    Collection<Slot> all() {
        return slots.values();
    }

    int sizeBefore() {
        return sizeBefore;
    }

    /** A model of the catalog the run started from, bound (entries in memory, or a file printed some other way). */
    void addBefore(CatalogEntry entry, long ref) {
        addBefore(entry.id(), RevisionHash.of(entry), ref, CatalogSpool.NONE, EarlierEntries.lacksDerivedFields(entry),
                entry.detailsPending(), downloadsOf(entry), sizedFromListing(entry.files()), entry.headerRead());
    }

    void addBefore(String id, long revision, long ref, long tailRef, boolean earlier, boolean pending,
            long downloads, boolean fromListing, boolean header) {
        Slot slot = slots.computeIfAbsent(id, Slot::new);
        if (!slot.existedBefore()) {
            sizeBefore++;
        }
        slot.beforeRef = ref;
        slot.beforeTailRef = tailRef;
        slot.beforeRevision = revision;
        slot.afterRevision = revision;
        slot.downloads = downloads;
        slot.flags = PRESENT | (earlier ? EARLIER : 0) | (pending ? PENDING_BEFORE : 0)
                | (fromListing ? LISTING_SIZE_BEFORE : 0) | (header ? HEADER_BEFORE : 0);
    }

    static boolean sizedFromListing(List<GgufFile> files) {
        return files != null && files.stream().anyMatch(f -> f != null && f.sizeSource() == SizeSource.LISTING);
    }

    static long downloadsOf(CatalogEntry entry) {
        return entry.downloads() == null ? -1 : entry.downloads();
    }

    /** The model's bytes as the catalog after this run prints them. */
    byte[] model(Slot slot) {
        if (slot.has(LISTING_SIZE) && listingTrust != ListingTrust.TRUSTED) {
            // docs/sync-modes.md: a listing size is published only once the run trusts it
            throw new IllegalStateException("the listing size of " + slot.id + " is neither trusted nor doubted yet");
        }
        if (slot.afterRef == CatalogSpool.NONE) {
            return beforeModel(slot);
        }
        byte[] after = spool.read(slot.afterRef);
        return slot.has(FILES_FROM_BEFORE) ? EntryBytes.model(after, beforeTail(slot)) : EntryBytes.model(after);
    }

    /** The model's entry now, even while a listing size is neither trusted nor doubted (it is in its record). */
    CatalogEntry currentEntry(Slot slot) {
        if (slot.afterRef != CatalogSpool.NONE && !slot.has(FILES_FROM_BEFORE)) {
            return EntryBytes.parse(EntryBytes.model(spool.read(slot.afterRef)));
        }
        return EntryBytes.parse(model(slot));
    }

    private byte[] beforeModel(Slot slot) {
        if (slot.has(EARLIER)) {
            return EntryBytes.model(EarlierEntries.upgraded(beforeEntry(slot))
                    .withDetailsPending(detailsWanted && slot.has(PENDING_BEFORE)));
        }
        byte[] before = spool.read(slot.beforeRef);
        byte[] model = !CatalogSpool.isCatalogRef(slot.beforeRef) ? EntryBytes.model(before)
                : catalogIsCanonical ? before : EntryBytes.model(EntryBytes.parse(before));
        if (slot.has(PENDING_BEFORE) && !detailsWanted) {
            // a run that reads no sizes leaves nothing pending (docs/sync-modes.md)
            return EntryBytes.model(EntryBytes.parse(model).withDetailsPending(false));
        }
        return model;
    }

    /** The model as the catalog held it before this run, bound. */
    CatalogEntry beforeEntry(Slot slot) {
        byte[] before = spool.read(slot.beforeRef);
        return EntryBytes.parse(CatalogSpool.isCatalogRef(slot.beforeRef) ? before : EntryBytes.model(before));
    }

    private byte[] beforeTail(Slot slot) {
        if (CatalogSpool.isCatalogRef(slot.beforeRef) && catalogIsCanonical && slot.beforeTailRef != CatalogSpool.NONE) {
            return spool.read(slot.beforeTailRef);
        }
        return EntryBytes.tail(EntryBytes.parse(beforeModel(slot)));
    }

    /**
     * The entry with the GGUF header the catalog held for it, when it was read at the entry's revision: the listing
     * and detail answers carry none, and a header is read once per revision (docs/gguf-headers.md).
     */
    CatalogEntry withHeaderBefore(Slot slot, CatalogEntry entry) {
        return slot.has(HEADER_BEFORE) && !entry.headerRead() ? sameRevisionHeader(entry, beforeEntry(slot)) : entry;
    }

    static CatalogEntry sameRevisionHeader(CatalogEntry entry, CatalogEntry before) {
        GgufHeader header = before.ggufHeader();
        if (!entry.headerRead() && header == null && before.ggufHeaderError() != null && before.sha() != null
                && before.sha().equals(entry.sha())) {
            // a header that could not be read at this sha is not tried again either
            return entry.withHeaderRead(null, before.ggufHeaderError());
        }
        return !entry.headerRead() && header != null && header.sha() != null
                && header.sha().equals(entry.sha()) ? entry.withGgufHeader(header) : entry;
    }

    /**
     * Whether the model's sizes are still to be read for its current revision: added or updated now, or left pending
     * by an earlier run, or a listing size put in doubt; never while the run reads no sizes.
     */
    boolean needsDetail(Slot slot) {
        return detailsWanted && slot.has(PRESENT) && !slot.has(DETAILED)
                && (slot.has(ADDED) || slot.has(UPDATED) || slot.has(PENDING_BEFORE) || slot.has(RECHECK))
                && !(slot.has(LISTING_SIZE) && listingTrust == ListingTrust.TRUSTED);
    }

    int count(int flag) {
        int count = 0;
        for (Slot slot : slots.values()) {
            if (slot.has(flag)) {
                count++;
            }
        }
        return count;
    }

    List<String> ids(int flag) {
        List<String> ids = new ArrayList<>();
        for (Slot slot : slots.values()) {
            if (slot.has(flag)) {
                ids.add(slot.id);
            }
        }
        ids.sort(Comparator.naturalOrder());
        return ids;
    }

    /**
     * The models in the catalog after this run, sorted by id, each read by {@code read} only when the iterator reaches
     * it.
     */
    Iterator<byte[]> sortedModels(Function<Slot, byte[]> read) {
        Slot[] present = slots.values().stream().filter(slot -> slot.has(PRESENT)).toArray(Slot[]::new);
        Arrays.sort(present, Comparator.comparing(slot -> slot.id));
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < present.length;
            }

            @Override
            public byte[] next() {
                if (next >= present.length) {
                    throw new NoSuchElementException();
                }
                return read.apply(present[next++]);
            }
        };
    }

    /** The models this run removed, sorted by id, each with the revision the catalog last held (read from disk). */
    List<ChangeLog.RemovedModel> removedModels() {
        List<ChangeLog.RemovedModel> removed = new ArrayList<>();
        for (Slot slot : slots.values()) {
            if (slot.has(REMOVED)) {
                CatalogEntry before = beforeEntry(slot);
                removed.add(new ChangeLog.RemovedModel(slot.id, before.sha(), before.lastModified()));
            }
        }
        removed.sort(Comparator.comparing(ChangeLog.RemovedModel::id));
        return removed;
    }

    /** The ids of {@code pending}, most downloaded first (docs/sync-modes.md), then by id. */
    static List<String> byDownloads(List<Slot> pending) {
        pending.sort(Comparator.comparingLong((Slot slot) -> slot.downloads).reversed().thenComparing(slot -> slot.id));
        List<String> ids = new ArrayList<>(pending.size());
        pending.forEach(slot -> ids.add(slot.id));
        return ids;
    }
}
