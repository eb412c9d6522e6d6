package io.hfsync.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.hfsync.catalog.CatalogEntry;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The detail answers of a run, one JSON line each, appended as they arrive (docs/sync-modes.md "Nothing fetched twice"). Each
 * answer is handed to the operating system before it counts, so a {@code kill -9} loses none of them (a torn last
 * line at most); the file is forced to the device every {@value #FORCE_EVERY_ANSWERS} answers or
 * {@value #FORCE_EVERY_SECONDS} seconds, so a power cut loses fewer than docs/sync-modes.md allows. The catalog publish that
 * includes every answer empties it ({@link #reset()}).
 */
final class DetailJournal implements Closeable {

    static final int FORCE_EVERY_ANSWERS = 100;
    static final int FORCE_EVERY_SECONDS = 30;
    private static final ObjectWriter LINE_WRITER = CatalogJson.MAPPER.writerFor(CatalogEntry.class);
    private static final ObjectReader LINE_READER = CatalogJson.MAPPER.readerFor(CatalogEntry.class);

    private final FileChannel channel;
    private int unforced;
    private long lastForceNanos = System.nanoTime();

    private DetailJournal(FileChannel channel) {
        this.channel = channel;
    }

    static DetailJournal open(Path file) throws IOException {
        boolean tornTail = false;
        if (Files.exists(file)) {
            try (FileChannel read = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer last = ByteBuffer.allocate(1);
                tornTail = read.size() > 0 && read.read(last, read.size() - 1) == 1 && last.get(0) != '\n';
            }
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (tornTail) {
            // a killed run's torn last line: end it, so the next answer starts a line of its own
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
        return new DetailJournal(channel);
    }

    /**
     * Every complete answer in the file, oldest first; a line that does not parse (the torn tail of a killed run, or
     * anything else) is skipped. A missing file has none.
     */
    static int replay(Path file, Consumer<CatalogEntry> answer) throws IOException {
        int read = 0;
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                CatalogEntry entry = parse(line);
                if (entry != null && entry.id() != null) {
                    answer.accept(entry);
                    read++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        } catch (java.nio.charset.MalformedInputException e) {
            // bytes that are not UTF-8 end the replay: what was read before stands, the rest is fetched again
            return read;
        }
        return read;
    }

    private static CatalogEntry parse(String line) {
        try {
            return line.isBlank() ? null : LINE_READER.readValue(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    synchronized void append(CatalogEntry answer) throws IOException {
        byte[] json = LINE_WRITER.writeValueAsBytes(answer);
        ByteBuffer line = ByteBuffer.allocate(json.length + 1).put(json).put((byte) '\n').flip();
        while (line.hasRemaining()) {
            channel.write(line);
        }
        unforced++;
        long now = System.nanoTime();
        if (unforced >= FORCE_EVERY_ANSWERS || now - lastForceNanos >= TimeUnit.SECONDS.toNanos(FORCE_EVERY_SECONDS)) {
            channel.force(false);
            unforced = 0;
            lastForceNanos = now;
        }
    }

    /** Every answer is in a published catalog now. */
    synchronized void reset() throws IOException {
        channel.truncate(0);
        channel.force(false);
        unforced = 0;
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel.isOpen()) {
            channel.force(false);
            channel.close();
        }
    }
}
