package io.hfsync.database;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What was read of one file's models, kept by the generations of that file (its inode) while it is written in
 * place (a run's sync_runs row, after it published): a question asked in between waits for the page index being
 * read instead of reading it a second time.
 */
final class FileReads {

    /**
     * Bytes of model-list answers remembered per file (a page of 50 entries is about 100 KB): the most recent ones,
     * so the first page of a popular search or of the whole catalog is read from SQLite once per published file.
     */
    private static final int PAGES_CACHED_BYTES = 8 * 1024 * 1024;
    /**
     * Bytes of catalog entries remembered per file, as SQLite printed them (an entry with its files' memory is 3-6 KB:
     * 6,000 to 11,000 of them): a model on many pages (the popular ones, the ones that fit a common budget) is
     * printed once per published file instead of once per answer. With the memory per file, printing the page's
     * entries was most of a model list's time (docs/browser.md).
     */
    private static final int ENTRIES_CACHED_BYTES = 32 * 1024 * 1024;


    /** The answers already given from this file: the same question gets the same bytes until a run publishes. */
    final BytesCache<PageKey> pages = new BytesCache<>(PAGES_CACHED_BYTES);
    /** Entries as SQLite printed them from this file, by rowid: a new file (a run's publish) prints its own. */
    final BytesCache<Long> entries = new BytesCache<>(ENTRIES_CACHED_BYTES);
    volatile byte[] facets;
    volatile ModelIndex index;
    /** A question (or the read ahead) is reading {@link #index} now. */
    volatile boolean indexing;
    volatile String entryJson;
    volatile Boolean ftsAligned;
    final Map<String, String> selects = new ConcurrentHashMap<>();
}
