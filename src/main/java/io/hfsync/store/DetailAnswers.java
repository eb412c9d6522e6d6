package io.hfsync.store;

import static io.hfsync.store.Slot.DETAILED;
import static io.hfsync.store.Slot.FILES_FROM_BEFORE;
import static io.hfsync.store.Slot.HEADER_BEFORE;
import static io.hfsync.store.Slot.LISTING_SIZE;
import static io.hfsync.store.Slot.PRESENT;
import static io.hfsync.store.Slot.RECHECK;

import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.ListingSizeCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The detail answers of one run (a model's files with their sizes, docs/sync-modes.md): each is journaled before it
 * counts, then replaces the model's listing files; the answers a killed run journaled stand in for detail calls while
 * the Hub still shows the revision they answered for. Not thread-safe: {@link CatalogMerge} serialises access.
 */
final class DetailAnswers {

    private final Slots slots;
    /** Durable detail answers: those of a killed run (replayed) and this run's (appended as they arrive). */
    private DetailJournal journal;
    /** Journal answers of an earlier run, by id: revision and spool reference, applied once the listing is done. */
    private final Map<String, long[]> journalAnswers = new HashMap<>();
    private int fetched;

    DetailAnswers(Slots slots) {
        this.slots = slots;
    }

    /** Reads the answers a killed run left in {@code journalFile}, and appends this run's there from now on. */
    void attachJournal(Path journalFile) throws IOException {
        DetailJournal.replay(journalFile, entry -> {
            long ref = slots.spool.append(EntryBytes.record(entry.withDetailsPending(false)));
            // a header the catalog holds for the same revision is added when the answer is used (use)
            journalAnswers.put(entry.id(), new long[] {RevisionHash.of(entry), ref});
        });
        journal = DetailJournal.open(journalFile);
    }

    /** See {@link CatalogMerge#acceptDetail}. */
    ListingSizeCheck accept(CatalogEntry detail) {
        Slot slot = slots.get(detail.id());
        if (slot == null || !slots.needsDetail(slot)) {
            return null;
        }
        CatalogEntry answered = detail.withDetailsPending(false);
        if (journal != null) {
            try {
                journal.append(answered);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot journal a detail answer", e);
            }
        }
        fetched++;
        long answeredRevision = RevisionHash.of(answered);
        ListingSizeCheck check = slot.listingSize >= 0 && answeredRevision == slot.afterRevision
                ? ListingSizeCheck.of(slot.id, slot.listingSize, answered.files()) : null;
        use(slot, slots.spool.append(EntryBytes.record(answered)), answeredRevision);
        return check;
    }

    private void use(Slot slot, long ref, long revision) {
        slot.flags = (slot.flags | DETAILED | PRESENT) & ~(FILES_FROM_BEFORE | LISTING_SIZE | RECHECK);
        slot.afterRef = ref;
        slot.afterRevision = revision;
        if (slot.has(HEADER_BEFORE)) {
            CatalogEntry answered = EntryBytes.parse(EntryBytes.model(slots.spool.read(ref)));
            CatalogEntry withHeader = slots.withHeaderBefore(slot, answered);
            if (withHeader != answered) {
                slot.afterRef = slots.spool.append(EntryBytes.record(withHeader));
            }
        }
    }

    /** See {@link CatalogMerge#applyJournal}. */
    int[] applyJournal() {
        int used = 0;
        int dropped = 0;
        for (Map.Entry<String, long[]> answer : journalAnswers.entrySet()) {
            Slot slot = slots.get(answer.getKey());
            if (slot != null && slots.needsDetail(slot) && slot.afterRevision == answer.getValue()[0]) {
                use(slot, answer.getValue()[1], answer.getValue()[0]);
                used++;
            } else {
                dropped++;
            }
        }
        journalAnswers.clear();
        return new int[] {used, dropped};
    }

    /** Detail answers this run accepted from the Hub (journal replays not counted). */
    int fetched() {
        return fetched;
    }

    /** See {@link CatalogMerge#needingDetails}. */
    List<String> needing() {
        List<Slot> pending = new ArrayList<>();
        for (Slot slot : slots.all()) {
            if (slots.needsDetail(slot)) {
                pending.add(slot);
            }
        }
        return Slots.byDownloads(pending);
    }

    int needingCount() {
        int count = 0;
        for (Slot slot : slots.all()) {
            if (slots.needsDetail(slot)) {
                count++;
            }
        }
        return count;
    }

    /** The catalog now holds every answer: the journal starts over. */
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
