package io.hfsync.standin;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the body bytes written through it (the file host's bytes sent). */
final class CountingStream extends FilterOutputStream {
    private final AtomicLong counter;

    CountingStream(OutputStream out, AtomicLong counter) {
        super(out);
        this.counter = counter;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        counter.addAndGet(length);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        counter.incrementAndGet();
    }
}
