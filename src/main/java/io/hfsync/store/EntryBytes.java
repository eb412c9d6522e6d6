package io.hfsync.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.hfsync.catalog.CatalogEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A model exactly as it appears inside {@code gguf_models.json} (Jackson's default pretty printer, the model at
 * depth 2), so the catalog can be written by copying bytes instead of parsing and printing 200,000 models again.
 *
 * <p>A model's bytes are three pieces: the head (every field up to and including {@code "gguf_header" : }), the
 * tail (the values of {@code gguf_header}, {@code mmproj_bytes} and {@code files}, the record's last three fields:
 * what a model's files and its header say, docs/memory.md) and the closing brace. So an unchanged model is the new
 * listing's head followed by the old catalog's tail: the sizes, the header and the memory derived from both, kept
 * together. A spool record is {@code [int head length][head][tail]}.
 */
final class EntryBytes {

    private static final ObjectMapper MAPPER = CatalogJson.MAPPER;
    static final ObjectReader ENTRY_READER = MAPPER.readerFor(CatalogEntry.class);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NO_LENGTH = new byte[4];
    /**
     * Where the head ends. Unambiguous: the first such bytes of a model are its own field's key (inside a JSON string a
     * quote is escaped, and the fields before it hold no {@code gguf_header} key).
     */
    private static final byte[] TAIL_KEY = "\"gguf_header\" : ".getBytes(StandardCharsets.UTF_8);
    /** What follows the files value: newline, the model's indentation, closing brace. */
    static final byte[] CLOSE;

    static {
        byte[] empty = render(new CatalogEntry(null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null), 1);
        int at = lastIndexOf(empty, NULL);
        CLOSE = Arrays.copyOfRange(empty, at + NULL.length, empty.length);
    }

    private EntryBytes() {
    }

    /** The spool record of an entry: head and tail. */
    static byte[] record(CatalogEntry entry) {
        Buffer out = rendered(entry);
        out.putInt(headEnd(out) - 4);
        out.truncate(out.size() - CLOSE.length);
        return out.toByteArray();
    }

    /** The spool record of an entry whose tail comes from elsewhere (the old catalog): head only. */
    static byte[] headRecord(CatalogEntry entry) {
        Buffer out = rendered(entry.withFiles(null));
        int headEnd = headEnd(out);
        out.putInt(headEnd - 4);
        out.truncate(headEnd);
        return out.toByteArray();
    }

    /** [4 bytes for the head length][the whole model], rendered once, with no intermediate copies. */
    private static Buffer rendered(CatalogEntry entry) {
        Buffer out = new Buffer();
        out.write(NO_LENGTH, 0, 4);
        renderInto(out, entry, 1);
        if (!out.endsWith(CLOSE)) {
            throw new IllegalStateException("a catalog entry no longer ends as EntryBytes expects");
        }
        return out;
    }

    /** Where the head of a rendered model ends: just past its {@code "gguf_header" : }. */
    private static int headEnd(Buffer out) {
        int at = out.indexOf(TAIL_KEY, 4);
        if (at < 0) {
            throw new IllegalStateException("gguf_header is no longer a field of a catalog entry");
        }
        return at + TAIL_KEY.length;
    }

    static int headLength(byte[] record) {
        return (record[0] & 0xff) << 24 | (record[1] & 0xff) << 16 | (record[2] & 0xff) << 8 | (record[3] & 0xff);
    }

    /** A whole model (head, files value, close) back as an entry; for tests and the slow path. */
    static CatalogEntry parse(byte[] model) {
        try {
            return ENTRY_READER.readValue(model);
        } catch (IOException e) {
            throw new UncheckedIOException("a catalog entry cannot be read back", e);
        }
    }

    /** The tail of an entry (header, mmproj_bytes and files values) as the catalog prints it inside a model. */
    static byte[] tail(CatalogEntry entry) {
        byte[] record = record(entry);
        return Arrays.copyOfRange(record, 4 + headLength(record), record.length);
    }

    /** The whole model of an entry, as the catalog prints it. */
    static byte[] model(CatalogEntry entry) {
        return model(record(entry));
    }

    /** The whole model of a spool record that holds its files value. */
    static byte[] model(byte[] record) {
        return join(record, 4, record.length - 4, null);
    }

    /** Head of a spool record followed by a tail from elsewhere, then the close. */
    static byte[] model(byte[] headRecord, byte[] tail) {
        return join(headRecord, 4, headLength(headRecord), tail);
    }

    private static byte[] join(byte[] first, int offset, int length, byte[] second) {
        int secondLength = second == null ? 0 : second.length;
        byte[] whole = new byte[length + secondLength + CLOSE.length];
        System.arraycopy(first, offset, whole, 0, length);
        if (second != null) {
            System.arraycopy(second, 0, whole, length, secondLength);
        }
        System.arraycopy(CLOSE, 0, whole, length + secondLength, CLOSE.length);
        return whole;
    }

    /** Any value printed as it would be at {@code depth} inside the catalog document. */
    static byte[] render(Object value, int depth) {
        Buffer out = new Buffer();
        renderInto(out, value, depth);
        return out.toByteArray();
    }

    private static void renderInto(Buffer out, Object value, int depth) {
        try (JsonGenerator generator = MAPPER.getFactory().createGenerator(out)) {
            generator.setPrettyPrinter(new AtDepth(depth));
            MAPPER.writeValue(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int lastIndexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = bytes.length - part.length; i >= 0; i--) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A byte buffer that can drop its tail and patch its first four bytes. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(1024);
        }

        void truncate(int size) {
            count = size;
        }

        void putInt(int value) {
            buf[0] = (byte) (value >>> 24);
            buf[1] = (byte) (value >>> 16);
            buf[2] = (byte) (value >>> 8);
            buf[3] = (byte) value;
        }

        boolean endsWith(byte[] end) {
            int at = count - end.length;
            return at >= 0 && Arrays.equals(buf, at, count, end, 0, end.length);
        }

        int indexOf(byte[] part, int from) {
            outer:
            for (int i = from; i <= count - part.length; i++) {
                for (int j = 0; j < part.length; j++) {
                    if (buf[i + j] != part[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /** The default pretty printer, starting at a given object depth. */
    static final class AtDepth extends DefaultPrettyPrinter {
        private static final long serialVersionUID = 1L;

        AtDepth(int depth) {
            _nesting = depth;
        }
    }
}
