package io.hfsync.catalog;

import io.hfsync.gguf.GgufHeader;
import java.util.List;

/** Catalog entries and GGUF headers for tests of the catalog and of its store. */
public final class TestEntries {

    private TestEntries() {
    }

    /** A model as a detail call leaves it, 10 downloads. */
    public static CatalogEntry entry(String id, String sha, String lastModified, List<GgufFile> files) {
        return entry(id, sha, lastModified, 10L, files);
    }

    public static CatalogEntry entry(String id, String sha, String lastModified, Long downloads, List<GgufFile> files) {
        return new CatalogEntry(id, id.substring(0, id.indexOf('/')), sha, lastModified, "2023-01-01T00:00:00Z",
                downloads, 1L, "text-generation", List.of("gguf"), false, "llama", 4096L, 7_000_000_000L, null, null,
                List.of(), files);
    }

    /** Llama 3.1 8B's header: 32 layers, 8 KV heads of 128, 128k context, 128256 tokens. */
    public static GgufHeader llama31(String sha) {
        return new GgufHeader(sha, "m.Q4_K_M.gguf", 9_000L, "llama", 32, 131072L, 4096, 32, List.of(8), null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, 128256L, null, null, 14336, null);
    }
}
