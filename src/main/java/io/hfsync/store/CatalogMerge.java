package io.hfsync.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.CatalogMetadata;
import io.hfsync.catalog.ChangeLog;
import io.hfsync.catalog.GgufFile;
import io.hfsync.catalog.ListingSizeCheck;
import io.hfsync.catalog.SizeSource;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The upsert rules of docs/sync-modes.md applied to one run. Starts from the catalog as it was; every listed model is merged
 * in; a completed full listing marks what the Hub no longer lists as removed. Listing the same model twice (two
 * discovery strategies, or an incremental pass followed by a full one) is idempotent. Thread-safe, because detail
 * calls finish in parallel.
 *
 * <p>Bounded memory: the heap holds one small {@link Slot} per model (id, revision hash, references); the entries
 * themselves stay on disk, in the catalog file the run started from and in a {@link CatalogSpool} scratch file,
 * already printed as the catalog prints them ({@link EntryBytes}), and are copied one at a time into the new
 * catalog. Close the merge to delete the scratch file.
 */
public final class CatalogMerge implements Closeable {

    // flags of a slot
    private static final int LISTED = 1;
    private static final int ADDED = 1 << 1;
    private static final int UPDATED = 1 << 2;
    private static final int REMOVED = 1 << 3;
    private static final int DETAILED = 1 << 4;
    /** In the catalog after this run. */
    private static final int PRESENT = 1 << 5;
    /**
     * The record at afterRef is a head only: the tail (header, mmproj_bytes, files with their memory) is the old
     * entry's (an unchanged model, sizes and header kept).
     */
    private static final int FILES_FROM_BEFORE = 1 << 6;
    /** Written by an earlier version: lacks fields this one derives, so it is re-printed, never copied (docs/files.md). */
    private static final int EARLIER = 1 << 7;
    /** The catalog the run started from shows this model with {@code details_pending: true}. */
    private static final int PENDING_BEFORE = 1 << 8;
    /**
     * The record at afterRef takes its one file's size from the listing (docs/sync-modes.md); it counts as read only once the
     * run trusts listing sizes, and is rewritten without it when the run doubts them.
     */
    private static final int LISTING_SIZE = 1 << 9;
    /** The catalog the run started from holds a size that came from the listing. */
    private static final int LISTING_SIZE_BEFORE = 1 << 10;
    /** A listing size this run put in doubt: the model owes a detail call although its revision did not move. */
    private static final int RECHECK = 1 << 11;
    /** The catalog the run started from holds a header read (a header or its reason) (docs/gguf-headers.md). */
    private static final int HEADER_BEFORE = 1 << 12;
    /** This run holds a header read for the model's current sha: never read again. */
    private static final int HEADER = 1 << 13;

    /** What a run makes of the sizes the listing proves: not decided while it lists and verifies a sample. */
    private enum ListingTrust { UNDECIDED, TRUSTED, DOUBTED }

    /** What the heap keeps per model. */
    private static final class Slot {
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

    // insertion order = the catalog's (sorted) order, new models at the end: the final sort is nearly free
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final CatalogSpool spool;
    private int sizeBefore;
    /** False when this run reads no file sizes ({@code FETCH_FILE_SIZES=false}): then nothing is pending. */
    private boolean detailsWanted = true;
    /** Durable detail answers: those of a killed run (replayed) and this run's (appended as they arrive). */
    private DetailJournal journal;
    /** Journal answers of an earlier run, by id: revision and spool reference, applied once the listing is done. */
    private final Map<String, long[]> journalAnswers = new java.util.HashMap<>();
    private int detailsFetched;
    /** {@code sync.gguf-headers}: false reads no header (docs/gguf-headers.md). */
    private boolean headersWanted;
    /** Durable header reads: those of a killed run (replayed) and this run's (appended as they arrive). */
    private DetailJournal headerJournal;
    /** Header reads of an earlier run by id, each for the sha it names; applied once the listing is done. */
    private final Map<String, CatalogEntry> headerAnswers = new java.util.HashMap<>();
    private int headersRead;
    /** The old catalog file is printed as this product prints it, so its bytes can be copied as they are. */
    private boolean catalogIsCanonical;
    private String catalogRunStart;
    /** {@code sync.sizes-from-listing}: a single-file repo's size may come from the listing (docs/sync-modes.md). */
    private boolean listingSizesWanted;
    private ListingTrust listingTrust = ListingTrust.UNDECIDED;
    /** The sizes earlier runs took from the listing are in doubt too (a mismatch was seen): re-read once. */
    private boolean earlierListingSizesDoubted;

    /** A merge over entries in memory, with a temporary scratch file (tests and benchmarks). */
    public CatalogMerge(Collection<CatalogEntry> catalog) {
        try {
            Path scratch = Files.createTempFile("hf-gguf-sync-", ".spool");
            scratch.toFile().deleteOnExit();
            this.spool = new CatalogSpool(scratch, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (CatalogEntry entry : catalog) {
            addBefore(entry.id(), revision(entry), spool.append(EntryBytes.record(entry)), CatalogSpool.NONE,
                    EarlierEntries.lacksDerivedFields(entry), entry.detailsPending(), downloadsOf(entry),
                    sizedFromListing(entry.files()), entry.headerRead());
        }
    }

    private CatalogMerge(CatalogSpool spool) {
        this.spool = spool;
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
        try (InputStream in = Files.newInputStream(catalog); JsonParser parser = CatalogJson.MAPPER.createParser(in)) {
            merge.scan(parser);
        } catch (StreamConstraintsException | CatalogSpool.TooLongException e) {
            merge.close();
            throw new CatalogOverLimitException(e instanceof JsonProcessingException json ? json.getOriginalMessage()
                    : e.getMessage(), e);
        } catch (JsonProcessingException e) {
            merge.close();
            throw new CatalogUnreadableException(e.getOriginalMessage(), e);
        } catch (IOException | RuntimeException e) {
            merge.close();
            throw e;
        }
        return merge;
    }

    private void scan(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new CatalogUnreadableException("not a JSON object");
        }
        boolean models = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("metadata".equals(field) && !models && value == JsonToken.START_OBJECT) {
                catalogIsCanonical = isCanonicalMetadata(parser);
            } else if ("models".equals(field)) {
                if (value != JsonToken.START_ARRAY) {
                    throw new CatalogUnreadableException("no models array");
                }
                models = true;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (catalogIsCanonical) {
                        scanModel(parser);
                    } else {
                        bindModel(parser);
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        if (!models) {
            throw new CatalogUnreadableException("no models array");
        }
    }

    /**
     * A catalog this product wrote begins with its metadata printed exactly as {@link EntryBytes} prints it; then
     * its models can be copied byte for byte. Anything else (the seed's file, a hand-formatted one) is re-printed.
     */
    private boolean isCanonicalMetadata(JsonParser parser) throws IOException {
        long start = parser.currentTokenLocation().getByteOffset();
        CatalogMetadata metadata = CatalogJson.MAPPER.readValue(parser, CatalogMetadata.class);
        catalogRunStart = metadata == null ? null : metadata.lastSyncTime();
        long length = parser.currentLocation().getByteOffset() - start;
        byte[] printed = EntryBytes.render(metadata, 1);
        return printed.length == length && Arrays.equals(printed, spool.read(CatalogSpool.catalogRef(start, length)));
    }

    /** Fast path (our own file): id, revision and where the model and its files value lie; nothing else is bound. */
    private void scanModel(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw new CatalogUnreadableException("a model that is not an object");
        }
        long start = parser.currentTokenLocation().getByteOffset();
        String id = null;
        String sha = null;
        String lastModified = null;
        boolean pending = false;
        long downloads = -1;
        long tailRef = CatalogSpool.NONE;
        long tailStart = -1;
        boolean earlier = false;
        boolean fromListing = false;
        boolean capabilities = false;
        boolean header = false;
        // the last fields must be the tail's, in EntryBytes' order, for the tail to be copied as one piece
        String[] lastFields = new String[4];
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            System.arraycopy(lastFields, 1, lastFields, 0, lastFields.length - 1);
            lastFields[lastFields.length - 1] = field;
            switch (field) {
                case "id" -> id = text(parser, value, field);
                case "sha" -> sha = text(parser, value, field);
                case "last_modified" -> lastModified = text(parser, value, field);
                case "details_pending" -> pending = value == JsonToken.VALUE_TRUE;
                case "downloads" -> downloads = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                case "gguf_header" -> {
                    tailStart = parser.currentTokenLocation().getByteOffset();
                    header = value != JsonToken.VALUE_NULL;
                    parser.skipChildren();
                }
                case "gguf_header_error" -> header |= value != JsonToken.VALUE_NULL;
                case "files" -> {
                    int files = EarlierEntries.scanFiles(parser);
                    earlier |= (files & EarlierEntries.LACKS_DERIVED_FIELDS) != 0;
                    fromListing = (files & EarlierEntries.SIZED_FROM_LISTING) != 0;
                    if (tailStart >= 0) {
                        tailRef = CatalogSpool.catalogRef(tailStart, parser.currentLocation().getByteOffset() - tailStart);
                    }
                }
                case "capabilities" -> {
                    capabilities = value != JsonToken.VALUE_NULL;
                    parser.skipChildren();
                }
                default -> parser.skipChildren();
            }
        }
        if (id == null) {
            throw new CatalogUnreadableException("a model without id");
        }
        long end = parser.currentLocation().getByteOffset();
        // printed before the header and the memory estimates (or in another order): re-printed, never copied
        earlier |= !Arrays.equals(lastFields, TAIL_FIELDS);
        addBefore(id, revision(sha, lastModified), CatalogSpool.catalogRef(start, end - start), tailRef,
                earlier || !capabilities, pending, downloads, fromListing, header);
    }

    /** Slow path (a file printed some other way): every model bound and checked, re-printed when written. */
    private void bindModel(JsonParser parser) throws IOException {
        long start = parser.currentTokenLocation().getByteOffset();
        CatalogEntry entry = parser.currentToken() == JsonToken.VALUE_NULL ? null : EntryBytes.ENTRY_READER.readValue(parser);
        if (entry == null || entry.id() == null) {
            throw new CatalogUnreadableException("a model without id");
        }
        long end = parser.currentLocation().getByteOffset();
        addBefore(entry.id(), revision(entry), CatalogSpool.catalogRef(start, end - start), CatalogSpool.NONE,
                EarlierEntries.lacksDerivedFields(entry), entry.detailsPending(), downloadsOf(entry),
                sizedFromListing(entry.files()), entry.headerRead());
    }

    private static final String[] TAIL_FIELDS = {"gguf_header", "gguf_header_error", "mmproj_bytes", "files"};

    private static String text(JsonParser parser, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.VALUE_STRING) {
            throw new CatalogUnreadableException("a model whose " + field + " is not text");
        }
        return parser.getText();
    }

    private void addBefore(String id, long revision, long ref, long tailRef, boolean earlier, boolean pending,
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

    private static boolean sizedFromListing(List<GgufFile> files) {
        return files != null && files.stream().anyMatch(f -> f != null && f.sizeSource() == SizeSource.LISTING);
    }

    private static long downloadsOf(CatalogEntry entry) {
        return entry.downloads() == null ? -1 : entry.downloads();
    }

    /** {@code FETCH_FILE_SIZES=false}: no model is pending in this run's catalog. Call before merging. */
    public synchronized void detailsWanted(boolean wanted) {
        this.detailsWanted = wanted;
    }

    /**
     * {@code sync.sizes-from-listing}: a model whose listing proves its one file's size (and that owes a detail call)
     * gets that size, provided the run trusts listing sizes ({@link #trustListingSizes()}) before it writes the
     * catalog. Call before merging.
     */
    public synchronized void listingSizesWanted(boolean wanted) {
        this.listingSizesWanted = wanted;
    }

    /**
     * Makes detail answers durable in {@code journalFile}: answers a killed run left there are read now (each one is
     * used only if the listing still shows its revision, see {@link #applyJournal()}), and every answer of this run
     * is appended as it arrives. Call after {@link #open} and before merging.
     */
    public synchronized void attachJournal(Path journalFile) throws IOException {
        DetailJournal.replay(journalFile, entry -> {
            long ref = spool.append(EntryBytes.record(entry.withDetailsPending(false)));
            // a header the catalog holds for the same revision is added when the answer is used (useDetail)
            journalAnswers.put(entry.id(), new long[] {revision(entry), ref});
        });
        journal = DetailJournal.open(journalFile);
    }

    /** When the run that published the catalog file started ({@code metadata.last_sync_time}), or null. */
    public synchronized String catalogRunStart() {
        return catalogRunStart;
    }

    public synchronized int sizeBefore() {
        return sizeBefore;
    }

    public synchronized int sizeNow() {
        return count(PRESENT);
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
        Slot slot = slots.computeIfAbsent(listedEntry.id(), Slot::new);
        long revision = revision(listedEntry);
        if (slot.has(LISTED) && slot.has(PRESENT) && slot.afterRevision == revision && slot.afterRef != CatalogSpool.NONE) {
            // the same revision again (the second discovery strategy, or a full pass after an incremental one):
            // what this run already holds for it stands, and the scratch file does not grow by another copy
            return;
        }
        slot.flags = (slot.flags | LISTED) & ~LISTING_SIZE;
        slot.listingSize = -1;
        slot.downloads = downloadsOf(listedEntry);
        boolean fromListing = takesListingSize(listedEntry, provenSize);
        if (slot.existedBefore() && slot.beforeRevision == revision) {
            // unchanged on the Hub: refresh listing fields, keep the sizes we already paid for (or still owe)
            slot.flags &= ~UPDATED;
            slot.afterRevision = revision;
            if (fromListing && slot.has(PENDING_BEFORE) && !slot.has(DETAILED)) {
                // still owed by an earlier run: the listing pays it now
                slot.flags = (slot.flags | PRESENT) & ~FILES_FROM_BEFORE;
                takeListingSize(slot, listedEntry, provenSize);
                return;
            }
            if (slot.has(EARLIER)) {
                // the listing's names say what the earlier version could not; the sizes are the ones it had
                slot.flags = (slot.flags | PRESENT) & ~FILES_FROM_BEFORE;
                CatalogEntry before = beforeEntry(slot);
                List<GgufFile> files = EarlierEntries.withKnownSizes(listedEntry.files(), before.files());
                boolean pending = detailsWanted && slot.has(PENDING_BEFORE) && !slot.has(DETAILED);
                slot.afterRef = spool.append(EntryBytes.record(sameRevisionHeader(listedEntry, before)
                        .withFiles(files).withDetailsPending(pending)));
                return;
            }
            slot.flags |= PRESENT | FILES_FROM_BEFORE;
            boolean pending = detailsWanted && slot.has(PENDING_BEFORE) && !slot.has(DETAILED);
            slot.afterRef = spool.append(EntryBytes.headRecord(listedEntry.withDetailsPending(pending)));
            return;
        }
        slot.flags |= slot.existedBefore() ? UPDATED : ADDED;
        slot.flags = (slot.flags | PRESENT) & ~(FILES_FROM_BEFORE | DETAILED | RECHECK);
        slot.afterRevision = revision;
        if (fromListing) {
            takeListingSize(slot, listedEntry, provenSize);
            return;
        }
        slot.afterRef = spool.append(EntryBytes.record(listedEntry.withDetailsPending(detailsWanted)));
    }

    private boolean takesListingSize(CatalogEntry listedEntry, Long provenSize) {
        return listingSizesWanted && detailsWanted && provenSize != null && provenSize >= 0
                && listedEntry.files() != null && listedEntry.files().size() == 1;
    }

    /** The model's one file with the listing's size: in force once the run trusts listing sizes. */
    private void takeListingSize(Slot slot, CatalogEntry listedEntry, long provenSize) {
        GgufFile only = listedEntry.files().get(0).withSize(provenSize, SizeSource.LISTING);
        slot.afterRef = spool.append(EntryBytes.record(withHeaderBefore(slot, listedEntry)
                .withFiles(List.of(only)).withDetailsPending(false)));
        slot.listingSize = provenSize;
        slot.flags |= LISTING_SIZE;
    }

    /**
     * The detail call answered: the complete entry with file sizes. It is journaled first (durable before it
     * counts), then replaces the model's listing files.
     *
     * @return the answer compared with the size this run's listing proved for the same revision, or null when there
     *         is nothing to compare
     */
    public synchronized ListingSizeCheck acceptDetail(CatalogEntry detail) {
        Slot slot = slots.get(detail.id());
        if (slot == null || !needsDetail(slot)) {
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
        detailsFetched++;
        long answeredRevision = revision(answered);
        ListingSizeCheck check = slot.listingSize >= 0 && answeredRevision == slot.afterRevision
                ? ListingSizeCheck.of(slot.id, slot.listingSize, answered.files()) : null;
        useDetail(slot, spool.append(EntryBytes.record(answered)), answeredRevision);
        return check;
    }

    private void useDetail(Slot slot, long ref, long revision) {
        slot.flags = (slot.flags | DETAILED | PRESENT) & ~(FILES_FROM_BEFORE | LISTING_SIZE | RECHECK);
        slot.afterRef = ref;
        slot.afterRevision = revision;
        if (slot.has(HEADER_BEFORE)) {
            CatalogEntry answered = EntryBytes.parse(EntryBytes.model(spool.read(ref)));
            CatalogEntry withHeader = withHeaderBefore(slot, answered);
            if (withHeader != answered) {
                slot.afterRef = spool.append(EntryBytes.record(withHeader));
            }
        }
    }

    /**
     * The entry with the GGUF header the catalog held for it, when it was read at the entry's revision: the listing
     * and detail answers carry none, and a header is read once per revision (docs/gguf-headers.md).
     */
    private CatalogEntry withHeaderBefore(Slot slot, CatalogEntry entry) {
        return slot.has(HEADER_BEFORE) && !entry.headerRead() ? sameRevisionHeader(entry, beforeEntry(slot)) : entry;
    }

    private static CatalogEntry sameRevisionHeader(CatalogEntry entry, CatalogEntry before) {
        io.hfsync.gguf.GgufHeader header = before.ggufHeader();
        if (!entry.headerRead() && header == null && before.ggufHeaderError() != null && before.sha() != null
                && before.sha().equals(entry.sha())) {
            // a header that could not be read at this sha is not tried again either
            return entry.withHeaderRead(null, before.ggufHeaderError());
        }
        return !entry.headerRead() && header != null && header.sha() != null
                && header.sha().equals(entry.sha()) ? entry.withGgufHeader(header) : entry;
    }

    /**
     * After the listing: an earlier run's journaled answer stands in for a detail call when the model still waits
     * for one and the listing (or, for a model this run did not list, the catalog) shows the revision it answered
     * for. Any other journaled answer is dropped: the Hub has moved on since.
     *
     * @return how many answers were used and how many dropped
     */
    public synchronized int[] applyJournal() {
        int used = 0;
        int dropped = 0;
        for (Map.Entry<String, long[]> answer : journalAnswers.entrySet()) {
            Slot slot = slots.get(answer.getKey());
            if (slot != null && needsDetail(slot) && slot.afterRevision == answer.getValue()[0]) {
                useDetail(slot, answer.getValue()[1], answer.getValue()[0]);
                used++;
            } else {
                dropped++;
            }
        }
        journalAnswers.clear();
        return new int[] {used, dropped};
    }

    /** The catalog now holds every answer: the journal starts over. Call after the catalog was renamed into place. */
    public synchronized void published() throws IOException {
        if (journal != null) {
            journal.reset();
        }
        if (headerJournal != null) {
            headerJournal.reset();
        }
    }

    /**
     * {@code sync.gguf-headers}: header reads are wanted, and made durable in {@code journalFile} (one line per read:
     * id, sha and the header or its reason); reads a killed run left there are applied by {@link #applyHeaderJournal()}.
     * Call after {@link #open} and before merging.
     */
    public synchronized void attachHeaderJournal(Path journalFile) throws IOException {
        headersWanted = true;
        DetailJournal.replay(journalFile, read -> headerAnswers.put(read.id(), read));
        headerJournal = DetailJournal.open(journalFile);
    }

    /**
     * After the listing: header reads an earlier run journaled count when the model still has the sha they were read
     * at; any other is dropped (the repo moved on: its new sha is read).
     *
     * @return how many were used and how many dropped
     */
    public synchronized int[] applyHeaderJournal() {
        int used = 0;
        int dropped = 0;
        for (CatalogEntry read : headerAnswers.values()) {
            if (useHeader(read.id(), read.sha(), read.ggufHeader(), read.ggufHeaderError(), false)) {
                used++;
            } else {
                dropped++;
            }
        }
        headerAnswers.clear();
        return new int[] {used, dropped};
    }

    /**
     * Models whose header is to be read (docs/gguf-headers.md): in the catalog, sizes read, no header read for their
     * sha; with {@code changedOnly} only those this run added or updated. Most downloaded first, then by id.
     */
    public synchronized List<String> needingHeaders(boolean changedOnly) {
        List<Slot> pending = new ArrayList<>();
        for (Slot slot : slots.values()) {
            if (needsHeader(slot) && (!changedOnly || slot.has(ADDED) || slot.has(UPDATED))) {
                pending.add(slot);
            }
        }
        pending.sort(Comparator.comparingLong((Slot slot) -> slot.downloads).reversed().thenComparing(slot -> slot.id));
        List<String> ids = new ArrayList<>(pending.size());
        pending.forEach(slot -> ids.add(slot.id));
        return ids;
    }

    /** The model is one {@link #needingHeaders(boolean)} would list now. */
    public synchronized boolean needsHeader(String id, boolean changedOnly) {
        Slot slot = slots.get(id);
        return slot != null && needsHeader(slot) && (!changedOnly || slot.has(ADDED) || slot.has(UPDATED));
    }

    /** The model's download count as this run holds it (0 when not in the catalog): header reads go most downloaded first. */
    public synchronized long downloads(String id) {
        Slot slot = slots.get(id);
        return slot == null ? 0 : slot.downloads;
    }

    /** How many models still wait for a header read (0 when header reads are off). */
    public synchronized int needingHeadersCount() {
        int count = 0;
        for (Slot slot : slots.values()) {
            if (needsHeader(slot)) {
                count++;
            }
        }
        return count;
    }

    /** An unchanged revision keeps the header read the catalog held (its tail is copied, or carried). */
    private boolean needsHeader(Slot slot) {
        return headersWanted && slot.has(PRESENT) && !slot.has(HEADER) && !needsDetail(slot)
                && !(slot.has(HEADER_BEFORE) && slot.afterRevision == slot.beforeRevision)
                && !(slot.has(LISTING_SIZE) && listingTrust != ListingTrust.TRUSTED);
    }

    /** The model as this run holds it, for a header read to choose its file; null when it is not in the catalog. */
    public synchronized CatalogEntry current(String id) {
        Slot slot = slots.get(id);
        return slot == null || !slot.has(PRESENT) ? null : currentEntry(slot);
    }

    /** The model's entry now, even while a listing size is neither trusted nor doubted (it is in its record). */
    private CatalogEntry currentEntry(Slot slot) {
        if (slot.afterRef != CatalogSpool.NONE && !slot.has(FILES_FROM_BEFORE)) {
            return EntryBytes.parse(EntryBytes.model(spool.read(slot.afterRef)));
        }
        return EntryBytes.parse(model(slot));
    }

    /**
     * A header read for the model at {@code sha}: the header, or (header null) the reason it cannot be read. Journaled
     * first, then in the model's entry for as long as its sha stands; ignored when the model's sha moved meanwhile.
     * A model whose entry already holds a read (carried from the same sha) just counts as done.
     *
     * @return whether the model took it
     */
    public synchronized boolean acceptHeader(String id, String sha, io.hfsync.gguf.GgufHeader header, String error) {
        boolean used = useHeader(id, sha, header, error, true);
        if (used) {
            headersRead++;
        }
        return used;
    }

    /** The model's entry already holds a header read for its sha: it is not read again. */
    public synchronized void headerAlreadyRead(String id) {
        Slot slot = slots.get(id);
        if (slot != null) {
            slot.flags |= HEADER;
        }
    }

    private boolean useHeader(String id, String sha, io.hfsync.gguf.GgufHeader header, String error, boolean journaled) {
        Slot slot = slots.get(id);
        if (slot == null || !slot.has(PRESENT) || slot.has(HEADER) || sha == null) {
            return false;
        }
        CatalogEntry entry = currentEntry(slot);
        if (!sha.equals(entry.sha()) || entry.headerRead()) {
            return false;
        }
        CatalogEntry read = entry.withHeaderRead(header, error);
        if (journaled && headerJournal != null) {
            try {
                headerJournal.append(new CatalogEntry(id, null, sha, null, null, null, null, null, null, null, null,
                        null, null, null, null, null, false, header, read.ggufHeaderError(), null, null));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot journal a header read", e);
            }
        }
        slot.afterRef = spool.append(EntryBytes.record(read));
        slot.flags = (slot.flags | HEADER) & ~FILES_FROM_BEFORE;
        return true;
    }

    /** Header reads this run took from the Hub (journal replays not counted). */
    public synchronized int headersRead() {
        return headersRead;
    }

    /** Detail answers this run accepted from the Hub (journal replays not counted). */
    public synchronized int detailsFetched() {
        return detailsFetched;
    }

    /** 401/404 on a detail call: the repo went away after the listing; this run leaves it as it was. */
    public synchronized void vanished(String id) {
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

    /** Call only when every strategy of a full listing was read to its last page. */
    public synchronized void completeFullListing() {
        for (Slot slot : slots.values()) {
            if (slot.existedBefore() && !slot.has(LISTED)) {
                slot.flags = (slot.flags | REMOVED) & ~PRESENT;
            }
        }
    }

    /**
     * Models whose sizes are not read for their current revision (added or updated now, or left pending by an
     * earlier run), most downloaded first (docs/sync-modes.md), then by id.
     */
    public synchronized List<String> needingDetails() {
        List<Slot> pending = new ArrayList<>();
        for (Slot slot : slots.values()) {
            if (needsDetail(slot)) {
                pending.add(slot);
            }
        }
        pending.sort(Comparator.comparingLong((Slot slot) -> slot.downloads).reversed().thenComparing(slot -> slot.id));
        List<String> ids = new ArrayList<>(pending.size());
        pending.forEach(slot -> ids.add(slot.id));
        return ids;
    }

    /** How many {@link #needingDetails()} would return, without building the list. */
    public synchronized int needingDetailsCount() {
        int count = 0;
        for (Slot slot : slots.values()) {
            if (needsDetail(slot)) {
                count++;
            }
        }
        return count;
    }

    private boolean needsDetail(Slot slot) {
        return detailsWanted && slot.has(PRESENT) && !slot.has(DETAILED)
                && (slot.has(ADDED) || slot.has(UPDATED) || slot.has(PENDING_BEFORE) || slot.has(RECHECK))
                && !(slot.has(LISTING_SIZE) && listingTrust == ListingTrust.TRUSTED);
    }

    /**
     * Models whose size this run would take from the listing (docs/sync-modes.md) and that still owe a detail call, by id: the
     * population a full sync verifies a sample of before it trusts any.
     */
    public synchronized List<String> listingSizeCandidates() {
        List<String> ids = new ArrayList<>();
        for (Slot slot : slots.values()) {
            if (slot.has(LISTING_SIZE) && needsDetail(slot)) {
                ids.add(slot.id);
            }
        }
        return ids;
    }

    /** The listing's sizes stand: models holding one no longer owe a detail call. Call before writing the catalog. */
    public synchronized void trustListingSizes() {
        if (listingTrust == ListingTrust.UNDECIDED) {
            listingTrust = ListingTrust.TRUSTED;
        }
    }

    /**
     * This run does not publish the sizes its listing proves: their models owe detail calls again. With
     * {@code earlierToo} (a listing size was found wrong), every size an earlier run took from the listing goes as
     * well: the model is pending, its size unknown, until a detail call reads it.
     *
     * @return how many models were put back in the detail queue
     */
    public synchronized int doubtListingSizes(boolean earlierToo) {
        listingTrust = ListingTrust.DOUBTED;
        boolean earlier = earlierToo && !earlierListingSizesDoubted;
        earlierListingSizesDoubted |= earlierToo;
        int doubted = 0;
        for (Slot slot : slots.values()) {
            if (slot.has(LISTING_SIZE)) {
                CatalogEntry entry = EntryBytes.parse(EntryBytes.model(spool.read(slot.afterRef)));
                slot.afterRef = spool.append(EntryBytes.record(withoutListingSizes(entry).withDetailsPending(detailsWanted)));
                slot.flags &= ~LISTING_SIZE;
                // its detail answer is read as any other: one mismatch already said what there was to say
                slot.listingSize = -1;
                doubted++;
            } else if (earlier && detailsWanted && slot.has(LISTING_SIZE_BEFORE) && slot.has(PRESENT)
                    && !slot.has(DETAILED)) {
                CatalogEntry entry = EntryBytes.parse(model(slot));
                if (!sizedFromListing(entry.files())) {
                    continue; // updated by this run: its files are the new listing's
                }
                slot.afterRef = spool.append(EntryBytes.record(withoutListingSizes(entry).withDetailsPending(true)));
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
    public synchronized int listingSizesTaken() {
        if (listingTrust != ListingTrust.TRUSTED) {
            return 0;
        }
        int count = 0;
        for (Slot slot : slots.values()) {
            if (slot.has(LISTING_SIZE) && slot.has(PRESENT) && !slot.has(DETAILED)) {
                count++;
            }
        }
        return count;
    }

    /**
     * The catalog after this run, sorted by id (stable for diffs): each model's bytes exactly as the catalog prints
     * them, read from disk only when the iterator reaches it. Iterate after the run's last merge call.
     */
    public synchronized Iterator<byte[]> sortedModels() {
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
                return model(present[next++]);
            }
        };
    }

    /** The whole catalog after this run in memory, sorted by id: for tests and small catalogs only. */
    public List<CatalogEntry> entries() {
        List<CatalogEntry> entries = new ArrayList<>();
        sortedModels().forEachRemaining(model -> entries.add(EntryBytes.parse(model)));
        return entries;
    }

    public synchronized List<String> added() {
        return ids(ADDED);
    }

    public synchronized List<String> updated() {
        return ids(UPDATED);
    }

    public synchronized List<String> removed() {
        return ids(REMOVED);
    }

    /** The models this run removed, sorted by id, each with the revision the catalog last held (read from disk). */
    public synchronized List<ChangeLog.RemovedModel> removedModels() {
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

    public synchronized int addedCount() {
        return count(ADDED);
    }

    public synchronized int updatedCount() {
        return count(UPDATED);
    }

    public synchronized int removedCount() {
        return count(REMOVED);
    }

    public synchronized int listedCount() {
        return count(LISTED);
    }

    /** How large the scratch file has grown (for the log: it needs that much free disk). */
    public synchronized long scratchBytes() {
        return spool.size();
    }

    /** Deletes the scratch file and lets go of the old catalog. */
    @Override
    public synchronized void close() throws IOException {
        try {
            if (journal != null) {
                journal.close();
            }
            if (headerJournal != null) {
                headerJournal.close();
            }
        } finally {
            spool.close();
        }
    }

    private synchronized byte[] model(Slot slot) {
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
    private CatalogEntry beforeEntry(Slot slot) {
        byte[] before = spool.read(slot.beforeRef);
        return EntryBytes.parse(CatalogSpool.isCatalogRef(slot.beforeRef) ? before : EntryBytes.model(before));
    }

    private byte[] beforeTail(Slot slot) {
        if (CatalogSpool.isCatalogRef(slot.beforeRef) && catalogIsCanonical && slot.beforeTailRef != CatalogSpool.NONE) {
            return spool.read(slot.beforeTailRef);
        }
        return EntryBytes.tail(EntryBytes.parse(beforeModel(slot)));
    }

    private int count(int flag) {
        int count = 0;
        for (Slot slot : slots.values()) {
            if (slot.has(flag)) {
                count++;
            }
        }
        return count;
    }

    private List<String> ids(int flag) {
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
     * A 64-bit FNV-1a hash of sha and last modified, standing in for {@link CatalogEntry#sameRevisionAs} (a false
     * match needs a 64-bit collision between two revisions of the same repo).
     */
    static long revision(CatalogEntry entry) {
        return revision(entry.sha(), entry.lastModified());
    }

    static long revision(String sha, String lastModified) {
        return mix(mix(0xcbf29ce484222325L, sha), lastModified);
    }

    private static long mix(long hash, String value) {
        long h = hash;
        if (value == null) {
            return (h ^ 0x1_0000L) * 0x100000001b3L;
        }
        for (int i = 0; i < value.length(); i++) {
            h = (h ^ value.charAt(i)) * 0x100000001b3L;
        }
        return (h ^ 0x2_0000L) * 0x100000001b3L;
    }
}
