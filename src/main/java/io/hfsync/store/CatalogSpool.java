package io.hfsync.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a run keeps its models instead of the heap: an append-only scratch file of records, each addressed by a
 * {@code long} reference, and read-only access to the catalog file the run started from. At 200,000 models the
 * records are hundreds of megabytes; the heap keeps only the references.
 *
 * <p>A reference packs the source (bit 62: this spool or the old catalog), the byte offset (38 bits, 256 GB) and
 * the length (24 bits, 16 MB per model). Not thread-safe: {@link CatalogMerge} serialises access.
 */
final class CatalogSpool implements Closeable {

    static final long NONE = -1L;
    private static final long FROM_CATALOG = 1L << 62;
    private static final int LENGTH_BITS = 24;
    private static final long MAX_LENGTH = (1L << LENGTH_BITS) - 1;
    private static final long MAX_OFFSET = (1L << 38) - 1;

    private final Path path;
    private final FileChannel spool;
    private final FileChannel catalog;
    private final ByteBuffer pending = ByteBuffer.allocate(1 << 16);
    /** Read-ahead over the old catalog: the new catalog is written in id order, the order of the old file. */
    private final ByteBuffer window = ByteBuffer.allocate(1 << 18);
    private long windowStart = -1;
    private long lastCatalogEnd = -1;
    /** The spool mapped for reading (the new catalog reads it in id order, not the order it was written in). */
    private MappedByteBuffer mapped;
    private long size;
    private long flushed;

    /**
     * @param path    the scratch file; created or emptied now (a crashed run may have left one) and deleted on close
     * @param catalog the catalog file whose byte ranges {@link #catalogRef} points into, or {@code null}
     */
    CatalogSpool(Path path, Path catalog) throws IOException {
        this.path = path;
        this.spool = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        FileChannel opened = null;
        try {
            opened = catalog == null ? null : FileChannel.open(catalog, StandardOpenOption.READ);
        } finally {
            if (catalog != null && opened == null) {
                spool.close();
            }
        }
        this.catalog = opened;
    }

    /** A spool over a new temporary scratch file, deleted on exit, and no catalog file (tests and benchmarks). */
    static CatalogSpool temporary() {
        try {
            Path scratch = Files.createTempFile("hf-gguf-sync-", ".spool");
            scratch.toFile().deleteOnExit();
            return new CatalogSpool(scratch, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends one record and returns its reference. */
    long append(byte[] record) {
        return append(record, record.length);
    }

    /** Appends the first {@code length} bytes of {@code record} as one record and returns its reference. */
    long append(byte[] record, int length) {
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("a catalog entry of " + length + " bytes (limit " + MAX_LENGTH + ")");
        }
        long offset = size;
        try {
            if (length > pending.remaining()) {
                flush();
            }
            if (length > pending.capacity()) {
                writeFully(ByteBuffer.wrap(record, 0, length), offset);
                flushed += length;
            } else {
                pending.put(record, 0, length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run's scratch file " + path, e);
        }
        size += length;
        return ref(0, offset, length);
    }

    long size() {
        return size;
    }

    /** A byte range of the catalog file the run started from. */
    static long catalogRef(long offset, long length) throws TooLongException {
        if (length > MAX_LENGTH) {
            throw new TooLongException(length);
        }
        return ref(FROM_CATALOG, offset, length);
    }

    /** A model of the catalog file longer than a reference can address: a limit of this product, not corruption. */
    static final class TooLongException extends IOException {
        TooLongException(long length) {
            super("a model of " + length + " bytes in the catalog (this product's limit: " + MAX_LENGTH + " per model)");
        }
    }

    static boolean isCatalogRef(long ref) {
        return ref != NONE && (ref & FROM_CATALOG) != 0;
    }

    byte[] read(long ref) {
        int length = (int) (ref & MAX_LENGTH);
        long offset = (ref >>> LENGTH_BITS) & MAX_OFFSET;
        boolean fromCatalog = (ref & FROM_CATALOG) != 0;
        byte[] record = new byte[length];
        ByteBuffer target = ByteBuffer.wrap(record);
        try {
            if (fromCatalog && readThroughWindow(offset, record)) {
                return record;
            }
            if (!fromCatalog && readMapped(offset, record)) {
                return record;
            }
            FileChannel source = fromCatalog ? catalog : spool;
            if (!fromCatalog && offset + length > flushed) {
                flush();
            }
            while (target.hasRemaining()) {
                if (source.read(target, offset + target.position()) < 0) {
                    throw new IOException("record past the end of the file");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back a catalog entry from " + (fromCatalog ? "the catalog" : path), e);
        }
        return record;
    }

    private boolean readMapped(long offset, byte[] record) throws IOException {
        if (mapped == null || offset + record.length > mapped.capacity()) {
            flush();
            if (flushed > Integer.MAX_VALUE) {
                return false; // beyond one mapping: plain reads
            }
            mapped = spool.map(FileChannel.MapMode.READ_ONLY, 0, flushed);
        }
        mapped.get((int) offset, record);
        return true;
    }

    /** Serves the read from the read-ahead window, or refills it when reads go forward; false: read it directly. */
    private boolean readThroughWindow(long offset, byte[] record) throws IOException {
        boolean inWindow = windowStart >= 0 && offset >= windowStart && offset + record.length <= windowStart + window.limit();
        boolean sequential = lastCatalogEnd >= 0 && offset >= lastCatalogEnd && offset - lastCatalogEnd < 4096;
        lastCatalogEnd = offset + record.length;
        if (!inWindow && (!sequential || record.length > window.capacity())) {
            return false;
        }
        if (!inWindow) {
            window.clear();
            while (window.hasRemaining() && catalog.read(window, offset + window.position()) >= 0) {
                // fill the window from this offset on
            }
            window.flip();
            windowStart = offset;
            if (window.limit() < record.length) {
                throw new IOException("record past the end of the file");
            }
        }
        window.get((int) (offset - windowStart), record);
        return true;
    }

    private static long ref(long source, long offset, long length) {
        if (offset > MAX_OFFSET) {
            throw new IllegalStateException("the run's scratch file passed " + MAX_OFFSET + " bytes");
        }
        return source | offset << LENGTH_BITS | length;
    }

    private void flush() throws IOException {
        pending.flip();
        writeFully(pending, flushed);
        flushed += pending.limit();
        pending.clear();
    }

    private void writeFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += spool.write(buffer, at);
        }
    }

    /** Closes both files and deletes the scratch file. */
    @Override
    public void close() throws IOException {
        mapped = null;
        try (spool; catalog) {
            Files.deleteIfExists(path);
        }
    }
}
