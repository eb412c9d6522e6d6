package io.hfsync.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/** Reads our own files back. Writing goes through Camel's Jackson data format in the routes. */
public final class CatalogJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
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

    public static CatalogDocument readCatalog(InputStream in) throws IOException {
        CatalogDocument document = MAPPER.readValue(in, CatalogDocument.class);
        if (document == null || document.models() == null) {
            throw new IOException("no models array");
        }
        for (CatalogEntry entry : document.models()) {
            if (entry == null || entry.id() == null) {
                throw new IOException("a model without id");
            }
        }
        return document;
    }
}
