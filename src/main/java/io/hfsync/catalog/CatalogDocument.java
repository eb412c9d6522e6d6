package io.hfsync.catalog;

import java.util.List;

/** {@code gguf_models.json}: models sorted by id, so the file is stable for diffs. */
public record CatalogDocument(CatalogMetadata metadata, List<CatalogEntry> models) {
}
