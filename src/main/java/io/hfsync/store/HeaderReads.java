package io.hfsync.store;

import static io.hfsync.store.Slot.ADDED;
import static io.hfsync.store.Slot.FILES_FROM_BEFORE;
import static io.hfsync.store.Slot.HEADER;
import static io.hfsync.store.Slot.HEADER_BEFORE;
import static io.hfsync.store.Slot.LISTING_SIZE;
import static io.hfsync.store.Slot.PRESENT;
import static io.hfsync.store.Slot.UPDATED;

import io.hfsync.catalog.CatalogEntry;
import io.hfsync.gguf.GgufHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The GGUF header reads of one run (docs/gguf-headers.md): which models still wait for one, and each read (the header,
 * or the reason it cannot be read) journaled first, then in the model's entry for as long as its sha stands. Reads a
 * killed run journaled count once the listing is done, when the model still has the sha they were read at. Not
 * thread-safe: {@link CatalogMerge} serialises access.
 */
final class HeaderReads {

    private final Slots slots;
    /** {@code sync.gguf-headers}: false reads no header (docs/gguf-headers.md). */
    private boolean wanted;
    /** Durable header reads: those of a killed run (replayed) and this run's (appended as they arrive). */
    private DetailJournal journal;
    /** Header reads of an earlier run by id, each for the sha it names; applied once the listing is done. */
    private final Map<String, CatalogEntry> journalAnswers = new HashMap<>();
    private int read;

    HeaderReads(Slots slots) {
        this.slots = slots;
    }

    /** Header reads are wanted: those a killed run left in {@code journalFile} are read, this run's appended there. */
    void attachJournal(Path journalFile) throws IOException {
        wanted = true;
        DetailJournal.replay(journalFile, answer -> journalAnswers.put(answer.id(), answer));
        journal = DetailJournal.open(journalFile);
    }

    /** See {@link CatalogMerge#acceptHeader}. */
    boolean accept(String id, String sha, GgufHeader header, String error) {
        boolean used = use(id, sha, header, error, true);
        if (used) {
            read++;
        }
        return used;
    }

    /** The model's entry already holds a header read for its sha: it is not read again. */
    void alreadyRead(String id) {
        Slot slot = slots.get(id);
        if (slot != null) {
            slot.flags |= HEADER;
        }
    }

    private boolean use(String id, String sha, GgufHeader header, String error, boolean journaled) {
        Slot slot = slots.get(id);
        if (slot == null || !slot.has(PRESENT) || slot.has(HEADER) || sha == null) {
            return false;
        }
        CatalogEntry entry = slots.currentEntry(slot);
        if (!sha.equals(entry.sha()) || entry.headerRead()) {
            return false;
        }
        CatalogEntry withRead = entry.withHeaderRead(header, error);
        if (journaled && journal != null) {
            try {
                journal.append(new CatalogEntry(id, null, sha, null, null, null, null, null, null, null, null,
                        null, null, null, null, null, false, header, withRead.ggufHeaderError(), null, null));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot journal a header read", e);
            }
        }
        slot.afterRef = slots.spool.append(EntryBytes.record(withRead));
        slot.flags = (slot.flags | HEADER) & ~FILES_FROM_BEFORE;
        return true;
    }

    /** Header reads this run took from the Hub (journal replays not counted). */
    int read() {
        return read;
    }

    /** See {@link CatalogMerge#applyHeaderJournal}. */
    int[] applyJournal() {
        int used = 0;
        int dropped = 0;
        for (CatalogEntry answer : journalAnswers.values()) {
            if (use(answer.id(), answer.sha(), answer.ggufHeader(), answer.ggufHeaderError(), false)) {
                used++;
            } else {
                dropped++;
            }
        }
        journalAnswers.clear();
        return new int[] {used, dropped};
    }

    /** See {@link CatalogMerge#needingHeaders}. */
    List<String> needing(boolean changedOnly) {
        List<Slot> pending = new ArrayList<>();
        for (Slot slot : slots.all()) {
            if (needs(slot) && (!changedOnly || slot.has(ADDED) || slot.has(UPDATED))) {
                pending.add(slot);
            }
        }
        return Slots.byDownloads(pending);
    }

    boolean needs(String id, boolean changedOnly) {
        Slot slot = slots.get(id);
        return slot != null && needs(slot) && (!changedOnly || slot.has(ADDED) || slot.has(UPDATED));
    }

    int needingCount() {
        int count = 0;
        for (Slot slot : slots.all()) {
            if (needs(slot)) {
                count++;
            }
        }
        return count;
    }

    /** An unchanged revision keeps the header read the catalog held (its tail is copied, or carried). */
    private boolean needs(Slot slot) {
        return wanted && slot.has(PRESENT) && !slot.has(HEADER) && !slots.needsDetail(slot)
                && !(slot.has(HEADER_BEFORE) && slot.afterRevision == slot.beforeRevision)
                && !(slot.has(LISTING_SIZE) && slots.listingTrust != Slots.ListingTrust.TRUSTED);
    }

    /** The catalog now holds every read: the journal starts over. */
    void published() throws IOException {
        if (journal != null) {
            journal.reset();
        }
    }

    void close() throws IOException {
        if (journal != null) {
            journal.close();
        }
    }
}
