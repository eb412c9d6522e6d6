package io.hfsync.store;

/**
 * What the heap keeps per model while a run merges: its id, revision hashes ({@link RevisionHash}), references to its
 * records on disk ({@link CatalogSpool}) and flags saying what the run did with it. The entry itself stays on disk,
 * so 200,000 models take a few tens of bytes each. Not thread-safe: {@link CatalogMerge} serialises access.
 */
final class Slot {

    // flags of a slot
    static final int LISTED = 1;
    static final int ADDED = 1 << 1;
    static final int UPDATED = 1 << 2;
    static final int REMOVED = 1 << 3;
    static final int DETAILED = 1 << 4;
    /** In the catalog after this run. */
    static final int PRESENT = 1 << 5;
    /**
     * The record at afterRef is a head only: the tail (header, mmproj_bytes, files with their memory) is the old
     * entry's (an unchanged model, sizes and header kept).
     */
    static final int FILES_FROM_BEFORE = 1 << 6;
    /** Written by an earlier version: lacks fields this one derives, so it is re-printed, never copied (docs/files.md). */
    static final int EARLIER = 1 << 7;
    /** The catalog the run started from shows this model with {@code details_pending: true}. */
    static final int PENDING_BEFORE = 1 << 8;
    /**
     * The record at afterRef takes its one file's size from the listing (docs/sync-modes.md); it counts as read only once the
     * run trusts listing sizes, and is rewritten without it when the run doubts them.
     */
    static final int LISTING_SIZE = 1 << 9;
    /** The catalog the run started from holds a size that came from the listing. */
    static final int LISTING_SIZE_BEFORE = 1 << 10;
    /** A listing size this run put in doubt: the model owes a detail call although its revision did not move. */
    static final int RECHECK = 1 << 11;
    /** The catalog the run started from holds a header read (a header or its reason) (docs/gguf-headers.md). */
    static final int HEADER_BEFORE = 1 << 12;
    /** This run holds a header read for the model's current sha: never read again. */
    static final int HEADER = 1 << 13;

    final String id;
    long beforeRevision;
    long beforeRef = CatalogSpool.NONE;
    /** The tail inside the old catalog file, see EntryBytes (NONE: the model has none there, or it is in the spool). */
    long beforeTailRef = CatalogSpool.NONE;
    long afterRevision;
    /** NONE while the model is as it was before this run. */
    long afterRef = CatalogSpool.NONE;
    /** Most downloaded first (docs/sync-modes.md); -1 when unknown. */
    long downloads = -1;
    /** The size this run's listing proves for the model's one file, compared with a detail answer; -1: none. */
    long listingSize = -1;
    int flags;

    Slot(String id) {
        this.id = id;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    boolean existedBefore() {
        return beforeRef != CatalogSpool.NONE;
    }
}
