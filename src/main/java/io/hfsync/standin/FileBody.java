package io.hfsync.standin;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * A file's bytes as the stand-in serves them, never held whole: its first bytes as a few parts (a header put together
 * from pieces that many files share, such as a tokenizer) and zeros after them up to {@code size}. A range is
 * written on the fly, so a 40 GB file costs no more memory than its header.
 *
 * @param parts the bytes the file starts with, in order; whatever lies past {@code size} is never served
 * @param size  the file's size in bytes
 */
record FileBody(List<byte[]> parts, long size) {

    private static final byte[] ZEROS = new byte[64 * 1024];

    FileBody {
        parts = List.copyOf(parts);
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }

    /** A file of exactly these bytes. */
    static FileBody of(byte[] bytes) {
        return new FileBody(List.of(bytes), bytes.length);
    }

    /** The bytes the parts hold (the header), capped at the file's size. */
    long prefixLength() {
        long total = 0;
        for (byte[] part : parts) {
            total += part.length;
        }
        return Math.min(total, size);
    }

    /** Writes bytes {@code from} to {@code to} (inclusive) to {@code out}. */
    void write(OutputStream out, long from, long to) throws IOException {
        if (from < 0 || to >= size || from > to + 1) {
            throw new IllegalArgumentException("range " + from + "-" + to + " outside 0-" + (size - 1));
        }
        long position = 0;
        long next = from;
        for (byte[] part : parts) {
            long end = position + part.length; // exclusive
            if (next < end && next <= to) {
                int start = (int) (next - position);
                int length = (int) (Math.min(end - 1, to) - next + 1);
                out.write(part, start, length);
                next += length;
            }
            position = end;
        }
        while (next <= to) {
            int length = (int) Math.min(ZEROS.length, to - next + 1);
            out.write(ZEROS, 0, length);
            next += length;
        }
    }

    /** Bytes {@code from} to {@code to} (inclusive) as an array: for small ranges and tests. */
    byte[] read(long from, long to) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            write(out, from, to);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
