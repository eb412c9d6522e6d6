package io.hfsync.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What the catalog writer ({@link CatalogJsonStream}) learned while it printed {@code gguf_models.json}: per model, in
 * the file's order, its id, where its bytes lie, and its {@link ModelHashes}. The run's database step compares these
 * hashes with the database's instead of reading the 200 MB catalog back token by token, and reads only the models that
 * changed, from their offsets.
 *
 * <p>It describes one document; {@link #describes(Path)} checks that the file on disk is that document (complete,
 * same length, same first and last bytes: the metadata block names the run's time and counts), and every model read
 * back is checked against its hashes. A model the writer could not take apart the way the catalog prints models (it
 * never happens with this product's printer) makes the index unusable: the database step then reads the catalog as
 * before.
 */
public final class CatalogIndex {

    private static final byte[] ID_KEY = "\"id\" : \"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] FILES_KEY = "\"files\" : ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);
    private static final int EDGE = 256;

    private int size;
    private String[] ids = new String[1024];
    private long[] offsets = new long[1024];
    private int[] lengths = new int[1024];
    private int[] filesStarts = new int[1024];
    private int[] filesEnds = new int[1024];
    private long[] entryHashes = new long[1024];
    private long[] filesHashes = new long[1024];
    private byte[] head = new byte[0];
    private byte[] tail = new byte[0];
    private long documentLength = -1;
    private boolean usable = true;

    CatalogIndex() {
    }

    /** The document's first bytes (up to its first model). */
    void head(byte[] bytes, int length) {
        head = Arrays.copyOf(bytes, Math.min(length, EDGE));
    }

    /** The document ended at {@code length} bytes; {@code bytes[0..end)} are its last ones. */
    void finish(long length, byte[] bytes, int end) {
        tail = Arrays.copyOfRange(bytes, Math.max(0, end - EDGE), end);
        documentLength = length;
    }

    /** A model as printed, at {@code offset} in the document. */
    void add(byte[] model, long offset) {
        if (!usable) {
            return;
        }
        int n = model.length;
        byte[] close = EntryBytes.CLOSE;
        // "{", then newline + the indentation of the model's own fields, then "id" : "...": as EntryBytes prints it
        int indentEnd = 2;
        while (indentEnd < n && model[indentEnd] == ' ') {
            indentEnd++;
        }
        if (n < 2 + close.length || model[0] != '{' || model[1] != '\n' || !regionEquals(model, indentEnd, ID_KEY)
                || !Arrays.equals(model, n - close.length, n, close, 0, close.length)) {
            usable = false;
            return;
        }
        int idStart = indentEnd + ID_KEY.length;
        int idEnd = idStart;
        while (idEnd < n && model[idEnd] != '"') {
            if (model[idEnd] == '\\') {
                usable = false; // an escaped id: the database step reads it with a JSON parser instead
                return;
            }
            idEnd++;
        }
        // the model's files field: a line with exactly the fields' indentation (deeper fields have more, and a JSON
        // string holds no raw newline), found before any deeper "files" since it is the model's last field
        int indent = indentEnd - 1;
        int value = -1;
        for (int i = idEnd; i + indent + FILES_KEY.length < n; i++) {
            if (model[i] == '\n' && Arrays.equals(model, i, i + indent, model, 1, indentEnd)
                    && regionEquals(model, i + indent, FILES_KEY)) {
                value = i + indent + FILES_KEY.length;
                break;
            }
        }
        int valueEnd = n - close.length;
        int filesStart;
        int filesEnd;
        if (value > 0 && model[value] == '[' && model[valueEnd - 1] == ']') {
            filesStart = value;
            filesEnd = valueEnd;
        } else if (value > 0 && valueEnd - value == NULL.length && regionEquals(model, value, NULL)) {
            filesStart = -1;
            filesEnd = -1;
        } else {
            usable = false;
            return;
        }
        grow();
        ids[size] = new String(model, idStart, idEnd - idStart, StandardCharsets.UTF_8);
        offsets[size] = offset;
        lengths[size] = n;
        filesStarts[size] = filesStart;
        filesEnds[size] = filesEnd;
        entryHashes[size] = ModelHashes.entryHash(model, 0, n, filesStart, filesEnd);
        filesHashes[size] = ModelHashes.filesHash(model, 0, filesStart, filesEnd);
        size++;
    }

    private void grow() {
        if (size < ids.length) {
            return;
        }
        int capacity = ids.length * 2;
        ids = Arrays.copyOf(ids, capacity);
        offsets = Arrays.copyOf(offsets, capacity);
        lengths = Arrays.copyOf(lengths, capacity);
        filesStarts = Arrays.copyOf(filesStarts, capacity);
        filesEnds = Arrays.copyOf(filesEnds, capacity);
        entryHashes = Arrays.copyOf(entryHashes, capacity);
        filesHashes = Arrays.copyOf(filesHashes, capacity);
    }

    private static boolean regionEquals(byte[] bytes, int at, byte[] part) {
        return at >= 0 && at + part.length <= bytes.length
                && Arrays.equals(bytes, at, at + part.length, part, 0, part.length);
    }

    /** The writer printed the whole document and every model the way this index reads it. */
    public boolean complete() {
        return usable && documentLength >= 0;
    }

    /**
     * {@code catalog} is the document this index was made from: complete, the same length, the same first and last
     * bytes (the run's metadata block: its time and counts). Models read back are checked one by one as well.
     */
    public boolean describes(Path catalog) throws IOException {
        if (!complete() || !Files.isRegularFile(catalog) || Files.size(catalog) != documentLength) {
            return false;
        }
        try (FileChannel file = FileChannel.open(catalog)) {
            return Arrays.equals(read(file, 0, head.length), head)
                    && Arrays.equals(read(file, documentLength - tail.length, tail.length), tail);
        }
    }

    public int size() {
        return size;
    }

    public String id(int i) {
        return ids[i];
    }

    public long entryHash(int i) {
        return entryHashes[i];
    }

    public long filesHash(int i) {
        return filesHashes[i];
    }

    /** Model {@code i}'s bytes read back from the catalog file, checked against its hashes. */
    public byte[] model(FileChannel catalog, int i) throws IOException {
        byte[] model = read(catalog, offsets[i], lengths[i]);
        if (ModelHashes.entryHash(model, 0, model.length, filesStarts[i], filesEnds[i]) != entryHashes[i]
                || ModelHashes.filesHash(model, 0, filesStarts[i], filesEnds[i]) != filesHashes[i]) {
            throw new IOException("the catalog file is not the one just written: model " + ids[i] + " differs");
        }
        return model;
    }

    private static byte[] read(FileChannel file, long at, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, at + buffer.position()) < 0) {
                throw new IOException("the catalog file ended early");
            }
        }
        return buffer.array();
    }
}
