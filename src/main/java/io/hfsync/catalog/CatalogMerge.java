package io.hfsync.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The upsert rules of SPEC §3 applied to one run. Starts from the catalog as it was; every listed model is merged
 * in; a completed full listing marks what the Hub no longer lists as removed. Listing the same model twice (two
 * discovery strategies, or an incremental pass followed by a full one) is idempotent. Thread-safe, because detail
 * calls finish in parallel.
 */
public final class CatalogMerge {

    // hash maps on the per-model path (a full sync touches every model); sorted by id only on the way out
    private final Map<String, CatalogEntry> before;
    private final Map<String, CatalogEntry> after;
    private final Set<String> added = new TreeSet<>();
    private final Set<String> updated = new TreeSet<>();
    private final Set<String> removed = new TreeSet<>();
    private final Set<String> listed = new HashSet<>();
    private final Set<String> detailed = new HashSet<>();

    public CatalogMerge(Collection<CatalogEntry> catalog) {
        // insertion order = the catalog's (sorted) order, new models at the end: the final sort is nearly free
        Map<String, CatalogEntry> byId = new LinkedHashMap<>(catalog.size() * 4 / 3 + 1);
        for (CatalogEntry entry : catalog) {
            byId.put(entry.id(), entry);
        }
        this.before = Collections.unmodifiableMap(byId);
        this.after = new LinkedHashMap<>(byId);
    }

    public synchronized int sizeBefore() {
        return before.size();
    }

    public synchronized int sizeNow() {
        return after.size();
    }

    /** Merges one model as the listing shows it (no file sizes). */
    public synchronized void acceptListed(CatalogEntry listedEntry) {
        String id = listedEntry.id();
        listed.add(id);
        CatalogEntry previous = before.get(id);
        if (previous == null) {
            added.add(id);
            after.put(id, keepKnownSizes(listedEntry, after.get(id)));
        } else if (!previous.sameRevisionAs(listedEntry)) {
            updated.add(id);
            after.put(id, keepKnownSizes(listedEntry, after.get(id)));
        } else {
            // unchanged on the Hub: refresh listing fields, keep the sizes we already paid for
            if (!updated.isEmpty()) {
                updated.remove(id);
            }
            after.put(id, listedEntry.withFiles(previous.files()));
        }
    }

    /** The detail call answered: the complete entry with file sizes. */
    public synchronized void acceptDetail(CatalogEntry detail) {
        detailed.add(detail.id());
        if (added.contains(detail.id()) || updated.contains(detail.id())) {
            after.put(detail.id(), detail);
        }
    }

    /** 401/404 on a detail call: the repo went away after the listing; this run leaves it as it was. */
    public synchronized void vanished(String id) {
        added.remove(id);
        updated.remove(id);
        CatalogEntry previous = before.get(id);
        if (previous == null) {
            after.remove(id);
        } else {
            after.put(id, previous);
        }
    }

    /** Call only when every strategy of a full listing was read to its last page. */
    public synchronized void completeFullListing() {
        for (String id : before.keySet()) {
            if (!listed.contains(id)) {
                removed.add(id);
                after.remove(id);
            }
        }
    }

    /** Added or updated models whose detail call has not been made yet, in id order. */
    public synchronized List<String> needingDetails() {
        List<String> ids = new ArrayList<>();
        for (String id : added) {
            if (!detailed.contains(id)) {
                ids.add(id);
            }
        }
        for (String id : updated) {
            if (!detailed.contains(id)) {
                ids.add(id);
            }
        }
        Collections.sort(ids);
        return ids;
    }

    /** The catalog after this run, sorted by id (stable for diffs). */
    public synchronized List<CatalogEntry> entries() {
        List<CatalogEntry> entries = new ArrayList<>(after.values());
        entries.sort(Comparator.comparing(CatalogEntry::id));
        return entries;
    }

    public synchronized List<String> added() {
        return new ArrayList<>(added);
    }

    public synchronized List<String> updated() {
        return new ArrayList<>(updated);
    }

    public synchronized List<String> removed() {
        return new ArrayList<>(removed);
    }

    public synchronized int listedCount() {
        return listed.size();
    }

    private static CatalogEntry keepKnownSizes(CatalogEntry listedEntry, CatalogEntry detailedThisRun) {
        if (detailedThisRun != null && detailedThisRun.sameRevisionAs(listedEntry)) {
            return listedEntry.withFiles(detailedThisRun.files());
        }
        return listedEntry;
    }
}
