package io.hfsync.database;

import java.util.concurrent.atomic.AtomicLong;

/** What a {@link CatalogReader} has done so far, over all its files (tests read them to prove what was not done twice). */
final class ReaderCounts {

    /** Page indexes read: a file written in place is not read again. */
    final AtomicLong indexesRead = new AtomicLong();
    /** Checks of a file's full-text table against its models: once per file. */
    final AtomicLong ftsChecks = new AtomicLong();
    /** Entries of model lists SQLite printed: once per entry and file. */
    final AtomicLong entriesPrinted = new AtomicLong();
    /** Questions that found none of the replaced file's connections idle within their wait. */
    final AtomicLong replacedWaitsExpired = new AtomicLong();
}
