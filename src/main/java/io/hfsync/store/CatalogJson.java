package io.hfsync.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.catalog.SyncMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one Jackson mapper of our files: reads the metadata back (the catalog is scanned by {@link CatalogMerge}),
 * prints models ({@link EntryBytes}) and the catalog document ({@link CatalogJsonStream}). Change log and metadata
 * are written through Camel's Jackson data format in the routes.
 */
public final class CatalogJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private CatalogJson() {
    }

    /** The metadata file, or null when there is none yet; an unreadable one fails with the reason. */
    public static SyncMetadata readMetadata(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readMetadata(in);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    public static SyncMetadata readMetadata(InputStream in) throws IOException {
        SyncMetadata metadata = MAPPER.readValue(in, SyncMetadata.class);
        if (metadata == null) {
            throw new IOException("empty document");
        }
        return metadata;
    }
}
