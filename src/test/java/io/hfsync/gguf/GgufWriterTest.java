package io.hfsync.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hfsync.gguf.GgufWriter.TensorType;
import io.hfsync.gguf.GgufWriter.ValueType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The GGUF bytes the writer puts down, checked byte by byte against the format (docs/memory.md). */
class GgufWriterTest {

    @Test
    void should_write_the_fixed_header_little_endian() {
        ByteBuffer bytes = read(new GgufWriter(3).uint32("llama.block_count", 2).toBytes(false));
        assertEquals("GGUF", ascii(bytes, 4));
        assertEquals(3, bytes.getInt());
        assertEquals(0, bytes.getLong(), "tensor count");
        assertEquals(1, bytes.getLong(), "key-value count");
        assertEquals("llama.block_count", string(bytes));
        assertEquals(ValueType.UINT32.id, bytes.getInt());
        assertEquals(2, bytes.getInt());
        assertEquals(0, bytes.limit() % 32, "padded to the alignment");
        assertEquals(0, bytes.get(bytes.limit() - 1), "padding is zeros");
    }

    @Test
    void should_write_version_2_with_the_same_layout() {
        byte[] v2 = new GgufWriter(2).string("general.architecture", "llama").toBytes(false);
        byte[] v3 = new GgufWriter(3).string("general.architecture", "llama").toBytes(false);
        assertEquals(2, read(v2).getInt(4));
        v2[4] = 3;
        assertArrayEquals(v3, v2);
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter(1));
    }

    @Test
    void should_write_every_value_type() {
        ByteBuffer bytes = read(new GgufWriter(3)
                .uint8("u8", 200).int8("i8", -2).uint16("u16", 60000).int16("i16", -300)
                .uint32("u32", 4_000_000_000L).int32("i32", -5).uint64("u64", -1L).int64("i64", -7)
                .float32("f32", 1.5f).float64("f64", -2.25).bool("yes", true).string("s", "héllo")
                .toBytes(false));
        bytes.position(24);
        assertEquals(200, keyed(bytes, "u8", ValueType.UINT8).get() & 0xff);
        assertEquals(-2, keyed(bytes, "i8", ValueType.INT8).get());
        assertEquals(60000, keyed(bytes, "u16", ValueType.UINT16).getShort() & 0xffff);
        assertEquals(-300, keyed(bytes, "i16", ValueType.INT16).getShort());
        assertEquals(4_000_000_000L, keyed(bytes, "u32", ValueType.UINT32).getInt() & 0xffffffffL);
        assertEquals(-5, keyed(bytes, "i32", ValueType.INT32).getInt());
        assertEquals(-1L, keyed(bytes, "u64", ValueType.UINT64).getLong());
        assertEquals(-7L, keyed(bytes, "i64", ValueType.INT64).getLong());
        assertEquals(1.5f, keyed(bytes, "f32", ValueType.FLOAT32).getFloat());
        assertEquals(-2.25, keyed(bytes, "f64", ValueType.FLOAT64).getDouble());
        assertEquals(1, keyed(bytes, "yes", ValueType.BOOL).get());
        assertEquals("héllo", string(keyed(bytes, "s", ValueType.STRING)));
    }

    @Test
    void should_write_arrays_with_their_item_type_and_count() {
        ByteBuffer bytes = read(new GgufWriter(3)
                .array("tokens", ValueType.STRING, List.of("a", "bc"))
                .array("heads", ValueType.INT32, List.of(4, 0, 4))
                .array("nested", ValueType.ARRAY, List.of(new GgufWriter.Array(ValueType.BOOL, List.of(true, false))))
                .toBytes(false));
        bytes.position(24);
        keyed(bytes, "tokens", ValueType.ARRAY);
        assertEquals(ValueType.STRING.id, bytes.getInt());
        assertEquals(2, bytes.getLong());
        assertEquals("a", string(bytes));
        assertEquals("bc", string(bytes));
        keyed(bytes, "heads", ValueType.ARRAY);
        assertEquals(ValueType.INT32.id, bytes.getInt());
        assertEquals(3, bytes.getLong());
        assertEquals(List.of(4, 0, 4), List.of(bytes.getInt(), bytes.getInt(), bytes.getInt()));
        keyed(bytes, "nested", ValueType.ARRAY);
        assertEquals(ValueType.ARRAY.id, bytes.getInt());
        assertEquals(1, bytes.getLong());
        assertEquals(ValueType.BOOL.id, bytes.getInt());
        assertEquals(2, bytes.getLong());
        assertEquals(List.of((byte) 1, (byte) 0), List.of(bytes.get(), bytes.get()));
    }

    @Test
    void should_write_tensor_infos_with_aligned_offsets_and_the_zero_data() {
        GgufWriter writer = new GgufWriter(3)
                .tensor("a", TensorType.F32, 3) // 12 bytes, padded to 32
                .tensor("b", TensorType.F16, 8, 4) // 64 bytes
                .tensor("c", TensorType.Q8_0, 64); // 2 blocks of 34 = 68, padded to 96
        byte[] file = writer.toBytes(true);
        ByteBuffer bytes = read(file);
        bytes.position(8);
        assertEquals(3, bytes.getLong());
        assertEquals(0, bytes.getLong());
        assertTensor(bytes, "a", new long[] {3}, TensorType.F32, 0);
        assertTensor(bytes, "b", new long[] {8, 4}, TensorType.F16, 32);
        assertTensor(bytes, "c", new long[] {64}, TensorType.Q8_0, 96);
        long header = writer.headerBytes();
        assertEquals(0, header % 32);
        assertEquals(32 + 64 + 96, writer.dataBytes());
        assertEquals(header + writer.dataBytes(), file.length);
        assertEquals(header, writer.toBytes(false).length);
        assertArrayEquals(new byte[file.length - (int) header], Arrays.copyOfRange(file, (int) header, file.length));
    }

    @Test
    void should_align_to_general_alignment_when_set() throws Exception {
        GgufWriter writer = new GgufWriter(3).uint32("general.alignment", 64).tensor("a", TensorType.F32, 3)
                .tensor("b", TensorType.F32, 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.writeTo(out, true);
        assertEquals(0, writer.headerBytes() % 64);
        assertEquals(128, writer.dataBytes());
        assertEquals(writer.headerBytes() + 128, out.size());
        ByteBuffer bytes = read(out.toByteArray());
        bytes.position(24);
        keyed(bytes, "general.alignment", ValueType.UINT32).getInt();
        assertTensor(bytes, "a", new long[] {3}, TensorType.F32, 0);
        assertTensor(bytes, "b", new long[] {3}, TensorType.F32, 64);
    }

    @Test
    void should_refuse_a_tensor_that_is_not_whole_blocks() {
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter(3).tensor("q", TensorType.Q4_0, 48));
    }

    private static void assertTensor(ByteBuffer bytes, String name, long[] dims, TensorType type, long offset) {
        assertEquals(name, string(bytes));
        assertEquals(dims.length, bytes.getInt());
        long[] read = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            read[i] = bytes.getLong();
        }
        assertArrayEquals(dims, read);
        assertEquals(type.id, bytes.getInt());
        assertEquals(offset, bytes.getLong());
    }

    private static ByteBuffer keyed(ByteBuffer bytes, String key, ValueType type) {
        assertEquals(key, string(bytes));
        assertEquals(type.id, bytes.getInt(), key);
        return bytes;
    }

    private static ByteBuffer read(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String string(ByteBuffer bytes) {
        return new String(take(bytes, (int) bytes.getLong()), StandardCharsets.UTF_8);
    }

    private static String ascii(ByteBuffer bytes, int length) {
        return new String(take(bytes, length), StandardCharsets.US_ASCII);
    }

    private static byte[] take(ByteBuffer bytes, int length) {
        byte[] taken = new byte[length];
        bytes.get(taken);
        return taken;
    }
}
