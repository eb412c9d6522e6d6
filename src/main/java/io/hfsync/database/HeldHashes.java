package io.hfsync.database;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;

/**
 * (id, entry hash, files hash) of every model a database holds, sorted by id, looked up by binary search; which ones
 * were {@link #find found} tells what the catalog no longer has. Read from the {@code models} rows, or, in SQLite, from
 * the one packed row of {@code catalog_hashes} that the last run left (one read instead of 200,000 JDBC rows).
 */
final class HeldHashes {

    private final String[] ids;
    private final long[] entryHashes;
    private final long[] filesHashes;
    private final boolean[] found;

    private HeldHashes(String[] ids, long[] entryHashes, long[] filesHashes) {
        this.ids = ids;
        this.entryHashes = entryHashes;
        this.filesHashes = filesHashes;
        this.found = new boolean[ids.length];
    }

    static HeldHashes none() {
        return new HeldHashes(new String[0], new long[0], new long[0]);
    }

    int size() {
        return ids.length;
    }

    /** The index of {@code id}, marked as found, or -1. */
    int find(String id) {
        int at = Arrays.binarySearch(ids, id);
        if (at < 0) {
            return -1;
        }
        found[at] = true;
        return at;
    }

    long entryHash(int at) {
        return entryHashes[at];
    }

    long filesHash(int at) {
        return filesHashes[at];
    }

    /** What {@link #find} never found, in id order. */
    String[] notFound() {
        int count = 0;
        for (boolean f : found) {
            if (!f) {
                count++;
            }
        }
        String[] gone = new String[count];
        int next = 0;
        for (int i = 0; i < ids.length; i++) {
            if (!found[i]) {
                gone[next++] = ids[i];
            }
        }
        return gone;
    }

    /** (id, entry hash, files hash) per model row; 0 where a row has none (written by something else: never a match). */
    static HeldHashes fromRows(Connection db) throws SQLException {
        Builder held = new Builder();
        try (Statement query = db.createStatement()) {
            // a cursor, not the whole result at once (pgjdbc needs the connection in a transaction for that)
            query.setFetchSize(10_000);
            try (ResultSet rows = query.executeQuery("SELECT id, entry_hash, files_hash FROM models")) {
                while (rows.next()) {
                    held.add(rows.getString(1), rows.getLong(2), rows.getLong(3));
                }
            }
        }
        return held.build();
    }

    /** Read back from {@link #pack()}; null when the bytes are not a packing of {@code models} models. */
    static HeldHashes unpack(byte[] packed, long models) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(packed))) {
            if (in.readInt() != VERSION) {
                return null;
            }
            int count = in.readInt();
            if (count != models || count < 0) {
                return null;
            }
            Builder held = new Builder(count);
            byte[] id = new byte[256];
            for (int i = 0; i < count; i++) {
                int length = in.readUnsignedShort();
                if (length > id.length) {
                    id = new byte[length];
                }
                in.readFully(id, 0, length);
                held.add(new String(id, 0, length, StandardCharsets.UTF_8), in.readLong(), in.readLong());
            }
            return in.available() == 0 ? held.build() : null;
        } catch (IOException | RuntimeException corrupt) {
            return null;
        }
    }

    private static final int VERSION = 1;

    /** [version][count] then per model [id length][id UTF-8][entry hash][files hash], in id order. */
    byte[] pack() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 64 + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(VERSION);
            out.writeInt(ids.length);
            for (int i = 0; i < ids.length; i++) {
                byte[] id = ids[i].getBytes(StandardCharsets.UTF_8);
                out.writeShort(id.length);
                out.write(id);
                out.writeLong(entryHashes[i]);
                out.writeLong(filesHashes[i]);
            }
        } catch (IOException impossible) {
            throw new java.io.UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    /** Collects hashes in any order; {@link #build} sorts them by id unless they came sorted (the catalog's order). */
    static final class Builder {
        private String[] ids;
        private long[] entryHashes;
        private long[] filesHashes;
        private int size;
        private boolean sorted = true;

        Builder() {
            this(1024);
        }

        Builder(int capacity) {
            ids = new String[Math.max(16, capacity)];
            entryHashes = new long[ids.length];
            filesHashes = new long[ids.length];
        }

        void add(String id, long entryHash, long filesHash) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                entryHashes = Arrays.copyOf(entryHashes, size * 2);
                filesHashes = Arrays.copyOf(filesHashes, size * 2);
            }
            if (size > 0 && ids[size - 1].compareTo(id) >= 0) {
                sorted = false;
            }
            ids[size] = id;
            entryHashes[size] = entryHash;
            filesHashes[size] = filesHash;
            size++;
        }

        HeldHashes build() {
            String[] i = Arrays.copyOf(ids, size);
            long[] e = Arrays.copyOf(entryHashes, size);
            long[] f = Arrays.copyOf(filesHashes, size);
            if (!sorted) {
                Integer[] order = new Integer[size];
                for (int k = 0; k < size; k++) {
                    order[k] = k;
                }
                Arrays.sort(order, Comparator.comparing(k -> ids[k]));
                for (int k = 0; k < size; k++) {
                    i[k] = ids[order[k]];
                    e[k] = entryHashes[order[k]];
                    f[k] = filesHashes[order[k]];
                }
            }
            return new HeldHashes(i, e, f);
        }
    }
}
