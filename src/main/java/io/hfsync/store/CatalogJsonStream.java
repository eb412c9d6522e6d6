package io.hfsync.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.CatalogMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;

/**
 * {@code gguf_models.json} as a stream that assembles the document as it is read: the bytes are exactly what
 * Jackson's default pretty printer makes of the whole {@link CatalogDocument}, but only about 64 KB of them exist
 * at a time, so the Camel file producer writes a 200 MB catalog in bounded memory. The models arrive already
 * printed ({@link CatalogMerge#sortedModels()}); Jackson writes the document around them and the separators.
 */
public final class CatalogJsonStream extends InputStream {

    private static final int CHUNK = 1 << 16;
    private static final ObjectMapper MAPPER = CatalogJson.MAPPER;

    private final Chunk chunk = new Chunk();
    private final JsonGenerator generator;
    private final Iterator<byte[]> models;
    private final CatalogIndex index = new CatalogIndex();
    /** Bytes of the document in chunks before the current one. */
    private long written;
    private int position;
    private boolean finished;

    /** @param models each model's bytes as {@link EntryBytes} prints them, in catalog order */
    public CatalogJsonStream(CatalogMetadata metadata, Iterator<byte[]> models) throws IOException {
        this.models = models;
        // one pretty printer for the whole document: it carries the nesting depth from value to value
        this.generator = MAPPER.getFactory().createGenerator(chunk).setPrettyPrinter(new DefaultPrettyPrinter());
        generator.writeStartObject();
        generator.writeFieldName("metadata");
        MAPPER.writeValue(generator, metadata);
        generator.writeFieldName("models");
        generator.writeStartArray();
        generator.flush();
        index.head(chunk.bytes(), chunk.size());
    }

    /**
     * Each model's id, place and {@link ModelHashes}, as printed; {@link CatalogIndex#complete() complete} once the
     * stream was read to its end.
     */
    public CatalogIndex index() {
        return index;
    }

    /** The catalog document of entries in memory (tests, benchmarks). */
    public static CatalogJsonStream ofEntries(CatalogMetadata metadata, Iterator<CatalogEntry> entries) throws IOException {
        return new CatalogJsonStream(metadata, new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public byte[] next() {
                return EntryBytes.model(entries.next());
            }
        });
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position == chunk.size()) {
            if (finished) {
                return -1;
            }
            fill();
        }
        int count = Math.min(length, chunk.size() - position);
        System.arraycopy(chunk.bytes(), position, target, offset, count);
        position += count;
        return count;
    }

    private void fill() throws IOException {
        written += chunk.size();
        chunk.reset();
        position = 0;
        while (chunk.size() < CHUNK && models.hasNext()) {
            generator.writeRawValue(""); // the array's separator, from the pretty printer
            generator.flush();
            byte[] model = models.next();
            index.add(model, written + chunk.size());
            chunk.write(model);
        }
        if (models.hasNext()) {
            generator.flush();
        } else {
            generator.writeEndArray();
            generator.writeEndObject();
            generator.close();
            finished = true;
            index.finish(written + chunk.size(), chunk.bytes(), chunk.size());
        }
    }

    @Override
    public void close() throws IOException {
        finished = true;
        chunk.reset();
        position = 0;
    }

    /** A byte buffer whose array can be read without a copy. */
    private static final class Chunk extends ByteArrayOutputStream {
        Chunk() {
            super(CHUNK + CHUNK / 2);
        }

        byte[] bytes() {
            return buf;
        }
    }
}
