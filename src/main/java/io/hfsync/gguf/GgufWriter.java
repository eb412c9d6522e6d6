package io.hfsync.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes GGUF files (versions 2 and 3, little-endian): the key-values, the tensor infos, the padding up to the
 * aligned tensor data, and optionally that data as zeros. The stand-in Hub serves headers written by it, and the
 * memory proof loads tiny zero-weight models written by it in llama.cpp (docs/memory.md), so it writes what
 * llama.cpp's own {@code gguf} writer writes: every tensor's data starts at a multiple of the alignment
 * ({@code general.alignment}, 32 unless set) and is padded to the next one.
 *
 * <pre>
 * byte[] header = new GgufWriter(3).string("general.architecture", "llama").uint32("llama.block_count", 2)
 *         .tensor("token_embd.weight", GgufWriter.TensorType.F32, 64, 256).toBytes(false);
 * </pre>
 */
public final class GgufWriter {

    /** The GGUF value types, by their number in the file. */
    public enum ValueType {
        UINT8(0), INT8(1), UINT16(2), INT16(3), UINT32(4), INT32(5), FLOAT32(6), BOOL(7), STRING(8), ARRAY(9),
        UINT64(10), INT64(11), FLOAT64(12);

        public final int id;

        ValueType(int id) {
            this.id = id;
        }
    }

    /** The tensor types the writer knows the size of: a block of {@code blockElements} takes {@code blockBytes}. */
    public enum TensorType {
        F32(0, 1, 4), F16(1, 1, 2), Q4_0(2, 32, 18), Q8_0(8, 32, 34), BF16(30, 1, 2);

        public final int id;
        final int blockElements;
        final int blockBytes;

        TensorType(int id, int blockElements, int blockBytes) {
            this.id = id;
            this.blockElements = blockElements;
            this.blockBytes = blockBytes;
        }

        long bytes(long elements) {
            if (elements % blockElements != 0) {
                throw new IllegalArgumentException(name() + " needs a multiple of " + blockElements + " elements, not " + elements);
            }
            return elements / blockElements * blockBytes;
        }
    }

    /** An array value: its item type and items (an {@link Array} itself when {@code type} is ARRAY). */
    public record Array(ValueType type, List<?> items) {
    }

    private record KeyValue(String key, ValueType type, Object value) {
    }

    private record TensorInfo(String name, TensorType type, long[] dims, long bytes) {
    }

    private static final int DEFAULT_ALIGNMENT = 32;

    private final int version;
    private final List<KeyValue> keyValues = new ArrayList<>();
    private final List<TensorInfo> tensors = new ArrayList<>();

    public GgufWriter(int version) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("GGUF version 2 or 3, not " + version);
        }
        this.version = version;
    }

    public GgufWriter string(String key, String value) {
        return put(key, ValueType.STRING, value);
    }

    public GgufWriter uint8(String key, int value) {
        return put(key, ValueType.UINT8, value);
    }

    public GgufWriter int8(String key, int value) {
        return put(key, ValueType.INT8, value);
    }

    public GgufWriter uint16(String key, int value) {
        return put(key, ValueType.UINT16, value);
    }

    public GgufWriter int16(String key, int value) {
        return put(key, ValueType.INT16, value);
    }

    public GgufWriter uint32(String key, long value) {
        return put(key, ValueType.UINT32, value);
    }

    public GgufWriter int32(String key, int value) {
        return put(key, ValueType.INT32, value);
    }

    public GgufWriter uint64(String key, long value) {
        return put(key, ValueType.UINT64, value);
    }

    public GgufWriter int64(String key, long value) {
        return put(key, ValueType.INT64, value);
    }

    public GgufWriter float32(String key, float value) {
        return put(key, ValueType.FLOAT32, value);
    }

    public GgufWriter float64(String key, double value) {
        return put(key, ValueType.FLOAT64, value);
    }

    public GgufWriter bool(String key, boolean value) {
        return put(key, ValueType.BOOL, value);
    }

    /** An array of {@code type} (an ARRAY item is an {@link Array}). */
    public GgufWriter array(String key, ValueType type, List<?> items) {
        return put(key, ValueType.ARRAY, new Array(type, items));
    }

    /** A tensor of {@code dims} in GGUF order (the fastest-moving dimension first, as llama.cpp lists them). */
    public GgufWriter tensor(String name, TensorType type, long... dims) {
        long elements = 1;
        for (long dim : dims) {
            elements = Math.multiplyExact(elements, dim);
        }
        tensors.add(new TensorInfo(name, type, dims.clone(), type.bytes(elements)));
        return this;
    }

    private GgufWriter put(String key, ValueType type, Object value) {
        keyValues.add(new KeyValue(key, type, value));
        return this;
    }

    /** The header's bytes: everything before the tensor data, its padding included. */
    public long headerBytes() {
        return header().length;
    }

    /** The tensor data's bytes, each tensor padded to the alignment. */
    public long dataBytes() {
        long total = 0;
        for (TensorInfo tensor : tensors) {
            total += padded(tensor.bytes());
        }
        return total;
    }

    public byte[] toBytes(boolean withData) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out, withData);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the header and, when {@code withData}, the tensor data as zeros. */
    public void writeTo(OutputStream out, boolean withData) throws IOException {
        out.write(header());
        if (withData) {
            byte[] zeros = new byte[1 << 16];
            for (long left = dataBytes(); left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(left, zeros.length));
            }
        }
    }

    /** How many key-values were added. */
    public int keyValueCount() {
        return keyValues.size();
    }

    /** How many tensors were added. */
    public int tensorCount() {
        return tensors.size();
    }

    /**
     * The key-values alone, encoded as they stand in a file (no magic, counts or tensor infos): a server that puts
     * headers together from parts (a tokenizer shared by many files) writes them where it wants them.
     */
    public byte[] keyValueBytes() {
        LittleEndian out = new LittleEndian();
        writeKeyValues(out);
        return out.toByteArray();
    }

    /** The tensor infos alone, encoded as they stand in a file, with their data offsets (no padding after them). */
    public byte[] tensorInfoBytes() {
        LittleEndian out = new LittleEndian();
        writeTensorInfos(out);
        return out.toByteArray();
    }

    private void writeKeyValues(LittleEndian out) {
        for (KeyValue keyValue : keyValues) {
            out.string(keyValue.key());
            out.uint32(keyValue.type().id);
            value(out, keyValue.type(), keyValue.value());
        }
    }

    private byte[] header() {
        LittleEndian out = new LittleEndian();
        out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        out.uint32(version);
        out.uint64(tensors.size());
        out.uint64(keyValues.size());
        writeKeyValues(out);
        writeTensorInfos(out);
        out.zeros((int) (padded(out.size()) - out.size()));
        return out.toByteArray();
    }

    private void writeTensorInfos(LittleEndian out) {
        long offset = 0;
        for (TensorInfo tensor : tensors) {
            out.string(tensor.name());
            out.uint32(tensor.dims().length);
            for (long dim : tensor.dims()) {
                out.uint64(dim);
            }
            out.uint32(tensor.type().id);
            out.uint64(offset);
            offset += padded(tensor.bytes());
        }
    }

    private static void value(LittleEndian out, ValueType type, Object value) {
        switch (type) {
            case UINT8, INT8, BOOL -> out.write(value instanceof Boolean flag ? (flag ? 1 : 0) : ((Number) value).intValue());
            case UINT16, INT16 -> out.uint16(((Number) value).intValue());
            case UINT32, INT32 -> out.uint32(((Number) value).longValue());
            case UINT64, INT64 -> out.uint64(((Number) value).longValue());
            case FLOAT32 -> out.uint32(Float.floatToRawIntBits(((Number) value).floatValue()));
            case FLOAT64 -> out.uint64(Double.doubleToRawLongBits(((Number) value).doubleValue()));
            case STRING -> out.string((String) value);
            case ARRAY -> {
                Array array = (Array) value;
                out.uint32(array.type().id);
                out.uint64(array.items().size());
                for (Object item : array.items()) {
                    value(out, array.type(), item);
                }
            }
        }
    }

    private long padded(long bytes) {
        long alignment = alignment();
        return (bytes + alignment - 1) / alignment * alignment;
    }

    private long alignment() {
        for (KeyValue keyValue : keyValues) {
            if (keyValue.key().equals("general.alignment") && keyValue.value() instanceof Number number) {
                return number.longValue();
            }
        }
        return DEFAULT_ALIGNMENT;
    }

    /** A growing little-endian byte buffer. */
    private static final class LittleEndian extends ByteArrayOutputStream {

        void bytes(byte[] bytes) {
            write(bytes, 0, bytes.length);
        }

        void uint16(int value) {
            write(value);
            write(value >>> 8);
        }

        void uint32(long value) {
            for (int shift = 0; shift < 32; shift += 8) {
                write((int) (value >>> shift));
            }
        }

        void uint64(long value) {
            for (int shift = 0; shift < 64; shift += 8) {
                write((int) (value >>> shift));
            }
        }

        void string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            uint64(utf8.length);
            bytes(utf8);
        }

        void zeros(int count) {
            bytes(new byte[count]);
        }
    }
}
