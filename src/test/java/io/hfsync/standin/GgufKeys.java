package io.hfsync.standin;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test-side check that bytes are a GGUF header: reads the magic, version and every key-value (arrays stepped over,
 * their item count kept), and the tensor infos, in the file's order. Independent of the product's reader on purpose.
 *
 * @param version    2 or 3
 * @param tensors    tensor infos read
 * @param values     key → value (an array as {@link ArrayInfo}), in file order
 * @param headerEnd  offset where the tensor infos end
 */
record GgufKeys(int version, long tensors, Map<String, Object> values, long headerEnd) {

    /** An array value: its item type and count (string arrays keep their first item). */
    record ArrayInfo(int itemType, long count, Object first) {
    }

    static GgufKeys parse(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[4];
            in.get(magic);
            if (!new String(magic, StandardCharsets.US_ASCII).equals("GGUF")) {
                throw new IllegalArgumentException("not GGUF: " + new String(magic, StandardCharsets.ISO_8859_1));
            }
            int version = in.getInt();
            long tensors = in.getLong();
            long count = in.getLong();
            Map<String, Object> values = new LinkedHashMap<>();
            for (long i = 0; i < count; i++) {
                String key = string(in);
                if (values.containsKey(key)) {
                    throw new IllegalArgumentException("key twice: " + key);
                }
                values.put(key, value(in, in.getInt()));
            }
            for (long t = 0; t < tensors; t++) {
                string(in);
                int dims = in.getInt();
                for (int d = 0; d < dims; d++) {
                    in.getLong();
                }
                in.getInt();
                in.getLong();
            }
            return new GgufKeys(version, tensors, values, in.position());
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("header ends early at " + in.position(), e);
        }
    }

    Object get(String key) {
        return values.get(key);
    }

    long number(String key) {
        Object value = values.get(key);
        if (!(value instanceof Number number)) {
            throw new AssertionError(key + " is not a number: " + value);
        }
        return number.longValue();
    }

    /** The keys in file order. */
    List<String> keys() {
        return new ArrayList<>(values.keySet());
    }

    private static Object value(ByteBuffer in, int type) {
        return switch (type) {
            case 0 -> in.get() & 0xff;
            case 1 -> (int) in.get();
            case 2 -> in.getShort() & 0xffff;
            case 3 -> (int) in.getShort();
            case 4 -> in.getInt() & 0xffffffffL;
            case 5 -> in.getInt();
            case 6 -> in.getFloat();
            case 7 -> in.get() != 0;
            case 8 -> string(in);
            case 9 -> {
                int itemType = in.getInt();
                long count = in.getLong();
                Object first = null;
                List<Object> items = new ArrayList<>();
                for (long i = 0; i < count; i++) {
                    Object item = value(in, itemType);
                    if (i == 0) {
                        first = item;
                    }
                    if (count <= 4096) {
                        items.add(item);
                    }
                }
                yield count <= 4096 && itemType != 8 ? items : new ArrayInfo(itemType, count, first);
            }
            case 10 -> in.getLong();
            case 11 -> in.getLong();
            case 12 -> in.getDouble();
            default -> throw new IllegalArgumentException("value type " + type);
        };
    }

    private static String string(ByteBuffer in) {
        long length = in.getLong();
        if (length > 1 << 20) {
            throw new IllegalArgumentException("string of " + length + " bytes");
        }
        byte[] utf8 = new byte[(int) length];
        in.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
