package io.hfsync.store;

import static io.hfsync.store.Slot.ADDED;
import static io.hfsync.store.Slot.LISTED;
import static io.hfsync.store.Slot.PRESENT;
import static io.hfsync.store.Slot.REMOVED;
import static io.hfsync.store.Slot.UPDATED;

import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.ChangeLog;
import io.hfsync.catalog.ListingSizeCheck;
import io.hfsync.gguf.GgufHeader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * The upsert rules of docs/sync-modes.md applied to one run. Starts from the catalog as it was; every listed model is merged
 * in; a completed full listing marks what the Hub no longer lists as removed. Listing the same model twice (two
 * discovery strategies, or an incremental pass followed by a full one) is idempotent. Thread-safe, because detail
 * calls finish in parallel: every call holds this merge's lock, and the parts it hands work to are not thread-safe.
 *
 * <p>Bounded memory: the heap holds one small {@link Slot} per model (id, revision hash, references); the entries
 * themselves stay on disk, in the catalog file the run started from ({@link CatalogScan}) and in a {@link CatalogSpool}
 * scratch file, already printed as the catalog prints them ({@link EntryBytes}), and are copied one at a time into
 * the new catalog. Close the merge to delete the scratch file. The listing's models are taken by {@link ListedModels},
 * detail answers by {@link DetailAnswers}, header reads by {@link HeaderReads}, sizes the listing proves by
 * {@link ListingSizes}.
 */
public final class CatalogMerge implements Closeable {

    private final Slots slots;
    private final DetailAnswers details;
    private final HeaderReads headers;
    private final ListingSizes listingSizes;
    private final ListedModels listed;
    private String catalogRunStart;

    /** A merge over entries in memory, with a temporary scratch file (tests and benchmarks). */
    public CatalogMerge(Collection<CatalogEntry> catalog) {
        this(CatalogSpool.temporary());
        for (CatalogEntry entry : catalog) {
            slots.addBefore(entry, slots.spool.append(EntryBytes.record(entry)));
        }
    }

    private CatalogMerge(CatalogSpool spool) {
        this.slots = new Slots(spool);
        this.details = new DetailAnswers(slots);
        this.headers = new HeaderReads(slots);
        this.listingSizes = new ListingSizes(slots);
        this.listed = new ListedModels(slots, listingSizes);
    }

    /**
     * A merge starting from the catalog file (or none), streaming it: each model is read and checked once, and only
     * its byte range is kept. Fails with a {@link CatalogUnreadableException} naming the problem when the file is not a
     * catalog, with a {@link CatalogOverLimitException} when it is beyond a limit of this product's own reads, with a
     * plain {@link IOException} when it cannot be read or the scratch file cannot be made.
     *
     * @param scratch the run's scratch file, created or emptied now and deleted by {@link #close()}
     */
    public static CatalogMerge open(Path catalog, Path scratch) throws IOException {
        CatalogMerge merge = new CatalogMerge(new CatalogSpool(scratch, catalog));
        if (catalog == null) {
            return merge;
        }
        try {
            merge.catalogRunStart = CatalogScan.read(catalog, merge.slots);
        } catch (IOException | RuntimeException e) {
            merge.close();
            throw e;
        }
        return merge;
    }

    /** {@code FETCH_FILE_SIZES=false}: no model is pending in this run's catalog. Call before merging. */
    public synchronized void detailsWanted(boolean wanted) {
        slots.detailsWanted = wanted;
    }

    /**
     * {@code sync.sizes-from-listing}: a model whose listing proves its one file's size (and that owes a detail call)
     * gets that size, provided the run trusts listing sizes ({@link #trustListingSizes()}) before it writes the
     * catalog. Call before merging.
     */
    public synchronized void listingSizesWanted(boolean wanted) {
        listingSizes.wanted(wanted);
    }

    /**
     * Makes detail answers durable in {@code journalFile}: answers a killed run left there are read now (each one is
     * used only if the listing still shows its revision, see {@link #applyJournal()}), and every answer of this run
     * is appended as it arrives. Call after {@link #open} and before merging.
     */
    public synchronized void attachJournal(Path journalFile) throws IOException {
        details.attachJournal(journalFile);
    }

    /**
     * {@code sync.gguf-headers}: header reads are wanted, and made durable in {@code journalFile} (one line per read:
     * id, sha and the header or its reason); reads a killed run left there are applied by {@link #applyHeaderJournal()}.
     * Call after {@link #open} and before merging.
     */
    public synchronized void attachHeaderJournal(Path journalFile) throws IOException {
        headers.attachJournal(journalFile);
    }

    /** When the run that published the catalog file started ({@code metadata.last_sync_time}), or null. */
    public synchronized String catalogRunStart() {
        return catalogRunStart;
    }

    public synchronized int sizeBefore() {
        return slots.sizeBefore();
    }

    public synchronized int sizeNow() {
        return slots.count(PRESENT);
    }

    /** Merges one model as the listing shows it (no file sizes). */
    public void acceptListed(CatalogEntry listedEntry) {
        acceptListed(listedEntry, null);
    }

    /**
     * Merges one model as the listing shows it.
     *
     * @param provenSize the size of the model's one GGUF file that its listing item proves (docs/sync-modes.md), or null
     */
    public synchronized void acceptListed(CatalogEntry listedEntry, Long provenSize) {
        listed.accept(listedEntry, provenSize);
    }

    /**
     * The detail call answered: the complete entry with file sizes. It is journaled first (durable before it
     * counts), then replaces the model's listing files.
     *
     * @return the answer compared with the size this run's listing proved for the same revision, or null when there
     *         is nothing to compare
     */
    public synchronized ListingSizeCheck acceptDetail(CatalogEntry detail) {
        return details.accept(detail);
    }

    /**
     * After the listing: an earlier run's journaled answer stands in for a detail call when the model still waits
     * for one and the listing (or, for a model this run did not list, the catalog) shows the revision it answered
     * for. Any other journaled answer is dropped: the Hub has moved on since.
     *
     * @return how many answers were used and how many dropped
     */
    public synchronized int[] applyJournal() {
        return details.applyJournal();
    }

    /** The catalog now holds every answer: the journal starts over. Call after the catalog was renamed into place. */
    public synchronized void published() throws IOException {
        details.published();
        headers.published();
    }

    /**
     * After the listing: header reads an earlier run journaled count when the model still has the sha they were read
     * at; any other is dropped (the repo moved on: its new sha is read).
     *
     * @return how many were used and how many dropped
     */
    public synchronized int[] applyHeaderJournal() {
        return headers.applyJournal();
    }

    /**
     * Models whose header is to be read (docs/gguf-headers.md): in the catalog, sizes read, no header read for their
     * sha; with {@code changedOnly} only those this run added or updated. Most downloaded first, then by id.
     */
    public synchronized List<String> needingHeaders(boolean changedOnly) {
        return headers.needing(changedOnly);
    }

    /** The model is one {@link #needingHeaders(boolean)} would list now. */
    public synchronized boolean needsHeader(String id, boolean changedOnly) {
        return headers.needs(id, changedOnly);
    }

    /** The model's download count as this run holds it (0 when not in the catalog): header reads go most downloaded first. */
    public synchronized long downloads(String id) {
        Slot slot = slots.get(id);
        return slot == null ? 0 : slot.downloads;
    }

    /** How many models still wait for a header read (0 when header reads are off). */
    public synchronized int needingHeadersCount() {
        return headers.needingCount();
    }

    /** The model as this run holds it, for a header read to choose its file; null when it is not in the catalog. */
    public synchronized CatalogEntry current(String id) {
        Slot slot = slots.get(id);
        return slot == null || !slot.has(PRESENT) ? null : slots.currentEntry(slot);
    }

    /**
     * A header read for the model at {@code sha}: the header, or (header null) the reason it cannot be read. Journaled
     * first, then in the model's entry for as long as its sha stands; ignored when the model's sha moved meanwhile.
     * A model whose entry already holds a read (carried from the same sha) just counts as done.
     *
     * @return whether the model took it
     */
    public synchronized boolean acceptHeader(String id, String sha, GgufHeader header, String error) {
        return headers.accept(id, sha, header, error);
    }

    /** The model's entry already holds a header read for its sha: it is not read again. */
    public synchronized void headerAlreadyRead(String id) {
        headers.alreadyRead(id);
    }

    /** Header reads this run took from the Hub (journal replays not counted). */
    public synchronized int headersRead() {
        return headers.read();
    }

    /** Detail answers this run accepted from the Hub (journal replays not counted). */
    public synchronized int detailsFetched() {
        return details.fetched();
    }

    /** 401/404 on a detail call: the repo went away after the listing; this run leaves it as it was. */
    public synchronized void vanished(String id) {
        listed.vanished(id);
    }

    /** Call only when every strategy of a full listing was read to its last page. */
    public synchronized void completeFullListing() {
        listed.completeFullListing();
    }

    /**
     * Models whose sizes are not read for their current revision (added or updated now, or left pending by an
     * earlier run), most downloaded first (docs/sync-modes.md), then by id.
     */
    public synchronized List<String> needingDetails() {
        return details.needing();
    }

    /** How many {@link #needingDetails()} would return, without building the list. */
    public synchronized int needingDetailsCount() {
        return details.needingCount();
    }

    /**
     * Models whose size this run would take from the listing (docs/sync-modes.md) and that still owe a detail call, by id: the
     * population a full sync verifies a sample of before it trusts any.
     */
    public synchronized List<String> listingSizeCandidates() {
        return listingSizes.candidates();
    }

    /** The listing's sizes stand: models holding one no longer owe a detail call. Call before writing the catalog. */
    public synchronized void trustListingSizes() {
        listingSizes.trust();
    }

    /**
     * This run does not publish the sizes its listing proves: their models owe detail calls again. With
     * {@code earlierToo} (a listing size was found wrong), every size an earlier run took from the listing goes as
     * well: the model is pending, its size unknown, until a detail call reads it.
     *
     * @return how many models were put back in the detail queue
     */
    public synchronized int doubtListingSizes(boolean earlierToo) {
        return listingSizes.doubt(earlierToo);
    }

    /** Models whose size this run takes from the listing: those it trusts, with no detail answer of their own. */
    public synchronized int listingSizesTaken() {
        return listingSizes.taken();
    }

    /**
     * The catalog after this run, sorted by id (stable for diffs): each model's bytes exactly as the catalog prints
     * them, read from disk only when the iterator reaches it. Iterate after the run's last merge call.
     */
    public synchronized Iterator<byte[]> sortedModels() {
        return slots.sortedModels(this::model);
    }

    /** The model's bytes, read under this merge's lock (the iterator of {@link #sortedModels()} runs outside it). */
    private synchronized byte[] model(Slot slot) {
        return slots.model(slot);
    }

    /** The whole catalog after this run in memory, sorted by id: for tests and small catalogs only. */
    public List<CatalogEntry> entries() {
        List<CatalogEntry> entries = new ArrayList<>();
        sortedModels().forEachRemaining(model -> entries.add(EntryBytes.parse(model)));
        return entries;
    }

    public synchronized List<String> added() {
        return slots.ids(ADDED);
    }

    public synchronized List<String> updated() {
        return slots.ids(UPDATED);
    }

    public synchronized List<String> removed() {
        return slots.ids(REMOVED);
    }

    /** The models this run removed, sorted by id, each with the revision the catalog last held (read from disk). */
    public synchronized List<ChangeLog.RemovedModel> removedModels() {
        return slots.removedModels();
    }

    public synchronized int addedCount() {
        return slots.count(ADDED);
    }

    public synchronized int updatedCount() {
        return slots.count(UPDATED);
    }

    public synchronized int removedCount() {
        return slots.count(REMOVED);
    }

    public synchronized int listedCount() {
        return slots.count(LISTED);
    }

    /** How large the scratch file has grown (for the log: it needs that much free disk). */
    public synchronized long scratchBytes() {
        return slots.spool.size();
    }

    /** Deletes the scratch file and lets go of the old catalog. */
    @Override
    public synchronized void close() throws IOException {
        try {
            details.close();
            headers.close();
        } finally {
            slots.spool.close();
        }
    }
}
