package io.hfsync.gguf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the hyper-parameters of a GGUF header (versions 2 and 3, little-endian) as its bytes arrive, taking only
 * what it needs (docs/gguf-headers.md). The bytes come through a {@link Source}, so they can be the body of a
 * {@code Range} answer that asks for the next range when it runs out. Arrays (the tokenizer's hold megabytes) are
 * stepped over, never kept, except the per-layer lists the header record holds.
 *
 * <p>Reading stops at the first {@code tokenizer.} key once {@code {architecture}.block_count} has been read: llama.cpp's
 * converter writes every {@code {architecture}.} key before the tokenizer. The token count is still taken when
 * {@code tokenizer.ggml.tokens} follows a few small {@code tokenizer.} values (the model name, the pre-tokenizer), since
 * its count comes before its items. A file written in another order is read on to the end of its key-value section.
 *
 * <p>Bounded whatever the bytes say: no string over {@value #MAX_STRING_BYTES} bytes, no array over
 * {@value #MAX_ARRAY_ITEMS} items, nothing past {@value #MAX_HEADER_BYTES} bytes, at most {@value #MAX_KEYS} keys,
 * arrays nested at most {@value #MAX_NESTING} deep. Anything else fails with a {@link GgufFormatException} whose
 * message is a short reason.
 *
 * <p>Long because reading a header is one pass over the bytes as they arrive, each step checking the
 * bounds above; split, the bounds would be checked in several places.
 */
public final class GgufReader {

    /** Where the bytes come from, in order from the file's first byte. */
    @FunctionalInterface
    public interface Source {
        /** Reads up to {@code length} bytes into {@code buffer} at {@code offset}: how many, or -1 at the end. */
        int read(byte[] buffer, int offset, int length) throws IOException;
    }

    public static final int MAX_STRING_BYTES = 1 << 20;
    public static final long MAX_ARRAY_ITEMS = 10_000_000;
    public static final long MAX_HEADER_BYTES = 16L << 20;
    public static final int MAX_KEYS = 65_536;
    public static final int MAX_NESTING = 4;
    /** The longest per-layer list kept; a longer one is stepped over and its field left out. */
    static final int MAX_LAYERS = 65_536;
    /** All kept lists together, so that a file of many prefixes cannot make the reader hold more than a few MB. */
    private static final long MAX_KEPT_ITEMS = 4L * MAX_LAYERS;

    private static final int UINT8 = 0;
    private static final int INT8 = 1;
    private static final int UINT16 = 2;
    private static final int INT16 = 3;
    private static final int UINT32 = 4;
    private static final int INT32 = 5;
    private static final int FLOAT32 = 6;
    private static final int BOOL = 7;
    private static final int STRING = 8;
    private static final int ARRAY = 9;
    private static final int UINT64 = 10;
    private static final int INT64 = 11;
    private static final int FLOAT64 = 12;

    private static final String TOKENS = "tokenizer.ggml.tokens";

    /** The {@code {architecture}.} keys kept, without their architecture prefix. */
    private static final Set<String> KEPT = Set.of("block_count", "context_length", "embedding_length",
            "feed_forward_length", "expert_feed_forward_length", "expert_count", "expert_used_count",
            "attention.head_count", "attention.head_count_kv", "attention.key_length", "attention.value_length",
            "attention.sliding_window", "attention.sliding_window_pattern", "full_attention_interval",
            "attention.kv_lora_rank", "attention.key_length_mla", "attention.value_length_mla", "ssm.conv_kernel",
            "ssm.inner_size", "ssm.state_size", "ssm.group_count", "nextn_predict_layers", "shortconv.l_cache",
            "vocab_size");

    private final Source source;
    private final long maxBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    /** Bytes parsed so far, the next one's offset in the file. */
    private long consumed;
    /** Bytes taken from the source, parsed or buffered. */
    private long pulled;

    private final Map<String, Object> values = new HashMap<>();
    private String architecture;
    private Long tokenCount;
    private long keptItems;

    private GgufReader(Source source, long maxBytes) {
        this.source = source;
        this.maxBytes = maxBytes;
    }

    /** Reads the header {@code source} holds; {@code sha} and {@code file} name what it is, as the record keeps them. */
    public static GgufHeader read(Source source, String sha, String file) throws IOException, GgufFormatException {
        return read(source, sha, file, MAX_HEADER_BYTES);
    }

    static GgufHeader read(Source source, String sha, String file, long maxBytes) throws IOException, GgufFormatException {
        GgufReader reader = new GgufReader(source, maxBytes);
        reader.keyValues();
        return reader.header(sha, file);
    }

    public static Source from(InputStream in) {
        return in::read;
    }

    private void keyValues() throws IOException, GgufFormatException {
        byte[] magic = new byte[4];
        bytes(magic, 4);
        String text = new String(magic, StandardCharsets.ISO_8859_1);
        if (!text.equals("GGUF")) {
            throw new GgufFormatException(text.equals("FUGG") ? "big-endian GGUF (only little-endian is read)"
                    : "not a GGUF file (magic " + hex(magic) + ")");
        }
        long version = uint32();
        if (version != 2 && version != 3) {
            long swapped = Integer.reverseBytes((int) version) & 0xffffffffL;
            throw new GgufFormatException(swapped >= 1 && swapped <= 3 && version > 3
                    ? "big-endian GGUF (only little-endian is read)"
                    : "GGUF version " + version + " (2 or 3 are read)");
        }
        uint64(); // tensor count: the tensor infos are not read
        long count = uint64();
        if (count < 0 || count > MAX_KEYS) {
            throw new GgufFormatException(Long.toUnsignedString(count) + " key-values (at most " + MAX_KEYS + ")");
        }
        Set<String> seen = new HashSet<>();
        for (long i = 0; i < count; i++) {
            String key = string("a key");
            if (!seen.add(key)) {
                throw new GgufFormatException("key " + shortKey(key) + " repeated");
            }
            int type = type(key);
            if (key.startsWith("tokenizer.") && architecture != null && values.containsKey(architecture + ".block_count")) {
                if (tokenCount != null) {
                    return;
                }
                if (type == ARRAY) {
                    type(key);
                    long items = arrayLength(key);
                    if (key.equals(TOKENS)) {
                        tokenCount = items;
                    }
                    return;
                }
            }
            value(key, type);
        }
    }

    private void value(String key, int type) throws IOException, GgufFormatException {
        if (key.equals("general.architecture") && type == STRING) {
            architecture = string(key);
            return;
        }
        int dot = key.indexOf('.');
        boolean kept = dot > 0 && KEPT.contains(key.substring(dot + 1));
        if (type == ARRAY) {
            int itemType = type(key);
            long items = arrayLength(key);
            if (key.equals(TOKENS)) {
                tokenCount = items;
            }
            if (kept && items <= MAX_LAYERS && keptItems + items <= MAX_KEPT_ITEMS && (isInteger(itemType) || itemType == BOOL)) {
                keptItems += items;
                List<Long> list = new ArrayList<>((int) items);
                for (long i = 0; i < items; i++) {
                    list.add(integer(itemType));
                }
                values.put(key, list);
            } else {
                stepArray(key, itemType, items, 1);
            }
        } else if (kept && (isInteger(type) || type == BOOL)) {
            values.put(key, integer(type));
        } else {
            step(key, type, 0);
        }
    }

    private static boolean isInteger(int type) {
        return type <= INT32 || type == UINT64 || type == INT64;
    }

    /** An integer (or bool) value as a long; a uint64 past {@code Long.MAX_VALUE} comes out negative. */
    private long integer(int type) throws IOException, GgufFormatException {
        return switch (type) {
            case UINT8, BOOL -> uint8();
            case INT8 -> (byte) uint8();
            case UINT16 -> uint16();
            case INT16 -> (short) uint16();
            case UINT32 -> uint32();
            case INT32 -> (int) uint32();
            default -> uint64();
        };
    }

    private void step(String key, int type, int depth) throws IOException, GgufFormatException {
        switch (type) {
            case UINT8, INT8, BOOL -> skip(1);
            case UINT16, INT16 -> skip(2);
            case UINT32, INT32, FLOAT32 -> skip(4);
            case UINT64, INT64, FLOAT64 -> skip(8);
            case STRING -> skip(stringLength(key));
            default -> {
                int itemType = type(key);
                stepArray(key, itemType, arrayLength(key), depth + 1);
            }
        }
    }

    private void stepArray(String key, int itemType, long items, int depth) throws IOException, GgufFormatException {
        if (depth > MAX_NESTING) {
            throw new GgufFormatException("arrays nested deeper than " + MAX_NESTING + " at key " + shortKey(key));
        }
        int fixed = switch (itemType) {
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16 -> 2;
            case UINT32, INT32, FLOAT32 -> 4;
            case UINT64, INT64, FLOAT64 -> 8;
            default -> 0;
        };
        if (fixed > 0) {
            skip(items * fixed);
            return;
        }
        for (long i = 0; i < items; i++) {
            step(key, itemType, depth);
        }
    }

    private int type(String key) throws IOException, GgufFormatException {
        long type = uint32();
        if (type > FLOAT64) {
            throw new GgufFormatException("unknown value type " + type + " at key " + shortKey(key));
        }
        return (int) type;
    }

    private long arrayLength(String key) throws IOException, GgufFormatException {
        long items = uint64();
        if (items < 0 || items > MAX_ARRAY_ITEMS) {
            throw new GgufFormatException("array of " + Long.toUnsignedString(items) + " items at key " + shortKey(key)
                    + " (at most " + MAX_ARRAY_ITEMS + ")");
        }
        return items;
    }

    private long stringLength(String what) throws IOException, GgufFormatException {
        long length = uint64();
        if (length < 0 || length > MAX_STRING_BYTES) {
            throw new GgufFormatException("string of " + Long.toUnsignedString(length) + " bytes at "
                    + (what.equals("a key") ? what : "key " + shortKey(what)) + " (at most " + MAX_STRING_BYTES + ")");
        }
        return length;
    }

    private String string(String what) throws IOException, GgufFormatException {
        int length = (int) stringLength(what);
        byte[] utf8 = new byte[length];
        bytes(utf8, length);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private int uint8() throws IOException, GgufFormatException {
        fill(1);
        consumed++;
        return buffer[position++] & 0xff;
    }

    private int uint16() throws IOException, GgufFormatException {
        return (int) little(2);
    }

    private long uint32() throws IOException, GgufFormatException {
        return little(4);
    }

    private long uint64() throws IOException, GgufFormatException {
        return little(8);
    }

    private long little(int size) throws IOException, GgufFormatException {
        fill(size);
        long value = 0;
        for (int i = 0; i < size; i++) {
            value |= (buffer[position + i] & 0xffL) << (8 * i);
        }
        position += size;
        consumed += size;
        return value;
    }

    private void bytes(byte[] into, int length) throws IOException, GgufFormatException {
        within(length);
        int done = 0;
        while (done < length) {
            if (position == limit) {
                fill(1);
            }
            int n = Math.min(length - done, limit - position);
            System.arraycopy(buffer, position, into, done, n);
            position += n;
            done += n;
            consumed += n;
        }
    }

    private void skip(long length) throws IOException, GgufFormatException {
        within(length);
        long left = length;
        while (left > 0) {
            if (position == limit) {
                fill(1);
            }
            int n = (int) Math.min(left, limit - position);
            position += n;
            left -= n;
            consumed += n;
        }
    }

    /** At least {@code size} (at most 8) bytes buffered after {@code position}. */
    private void fill(int size) throws IOException, GgufFormatException {
        within(size);
        if (limit - position >= size) {
            return;
        }
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        limit -= position;
        position = 0;
        while (limit < size) {
            int n = source.read(buffer, limit, (int) Math.min(buffer.length - limit, maxBytes - pulled));
            if (n <= 0) {
                throw new GgufFormatException("truncated: the file ends after " + pulled + " bytes, inside its header");
            }
            limit += n;
            pulled += n;
        }
    }

    private void within(long length) throws GgufFormatException {
        if (length < 0 || consumed + length > maxBytes) {
            throw new GgufFormatException("header goes past " + maxBytes / (1024 * 1024) + " MiB");
        }
    }

    private GgufHeader header(String sha, String file) throws GgufFormatException {
        if (architecture == null) {
            throw new GgufFormatException("no general.architecture key");
        }
        Integer blockCount = count("block_count");
        Long vocab = tokenCount != null ? tokenCount : longValue("vocab_size");
        return new GgufHeader(sha, file, pulled, architecture, blockCount, longValue("context_length"),
                count("embedding_length"), count("attention.head_count"), counts("attention.head_count_kv"),
                count("attention.key_length"), count("attention.value_length"), count("attention.sliding_window"),
                pattern(blockCount), count("full_attention_interval"), count("attention.kv_lora_rank"),
                count("attention.key_length_mla"), count("attention.value_length_mla"), count("expert_count"),
                count("expert_used_count"), count("ssm.conv_kernel"), count("ssm.inner_size"), count("ssm.state_size"),
                count("ssm.group_count"), vocab, count("nextn_predict_layers"), count("shortconv.l_cache"),
                count("feed_forward_length"), count("expert_feed_forward_length"));
    }

    private Object raw(String name) {
        return values.get(architecture + "." + name);
    }

    private Long longValue(String name) {
        Object value = raw(name);
        return value instanceof Long number && number >= 0 ? number : null;
    }

    /** A count: the number, or of a per-layer list its largest item (a width sized by its widest layer). */
    private Integer count(String name) {
        Object value = raw(name);
        if (value instanceof List<?> list) {
            long largest = -1;
            for (Object item : list) {
                largest = Math.max(largest, (Long) item);
            }
            return list.isEmpty() ? null : asInt(largest);
        }
        return value instanceof Long number ? asInt(number) : null;
    }

    /** A number as a one-item list, a per-layer list as it is; absent when any item is not a count. */
    private List<Integer> counts(String name) {
        Object value = raw(name);
        List<?> items = value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
        List<Integer> counts = new ArrayList<>(items.size());
        for (Object item : items) {
            Integer count = asInt((Long) item);
            if (count == null) {
                return null;
            }
            counts.add(count);
        }
        return counts.isEmpty() ? null : List.copyOf(counts);
    }

    /**
     * Per layer, true where it uses the sliding window: the file's list, or a number read as gguf-py writes it and
     * llama.cpp's {@code set_swa_pattern} reads it (every {@code n}th layer full attention, the others sliding).
     */
    private List<Boolean> pattern(Integer blockCount) {
        Object value = raw("attention.sliding_window_pattern");
        if (value instanceof List<?> list) {
            return list.stream().map(item -> (Long) item != 0).toList();
        }
        if (value instanceof Long period && blockCount != null && blockCount <= MAX_LAYERS && period >= 0) {
            List<Boolean> layers = new ArrayList<>(blockCount);
            for (int layer = 0; layer < blockCount; layer++) {
                layers.add(period == 0 || layer % period < period - 1);
            }
            return List.copyOf(layers);
        }
        return null;
    }

    private static Integer asInt(long value) {
        return value >= 0 && value <= Integer.MAX_VALUE ? (int) value : null;
    }

    private static String shortKey(String key) {
        return key.length() <= 80 ? key : key.substring(0, 80) + "...";
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x", b & 0xff));
        }
        return text.toString();
    }
}
