package io.hfsync.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

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

    public static SyncMetadata readMetadata(InputStream in) throws IOException {
        SyncMetadata metadata = MAPPER.readValue(in, SyncMetadata.class);
        if (metadata == null) {
            throw new IOException("empty document");
        }
        return metadata;
    }
}
