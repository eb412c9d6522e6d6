package io.hfsync.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One model in {@code gguf_models.json}. Unknown values are {@code null}, never invented. */
public record CatalogEntry(
        String id,
        String author,
        String sha,
        @JsonProperty("last_modified") String lastModified,
        @JsonProperty("created_at") String createdAt,
        Long downloads,
        Long likes,
        @JsonProperty("pipeline_tag") String pipelineTag,
        List<String> tags,
        Object gated,
        String architecture,
        @JsonProperty("context_length") Long contextLength,
        Long parameters,
        List<GgufFile> files) {

    /**
     * Values that repeat across the catalog (owners, tags, architectures) share one String each: at 200,000
     * models the duplicates would otherwise be most of the heap.
     */
    public CatalogEntry {
        author = Strings.shared(author);
        pipelineTag = Strings.shared(pipelineTag);
        architecture = Strings.shared(architecture);
        gated = gated instanceof String text ? Strings.shared(text) : gated;
        tags = Strings.sharedAll(tags);
        files = files == null ? null : List.copyOf(files);
    }

    /** Same content on the Hub: neither the commit nor the modification time moved. */
    public boolean sameRevisionAs(CatalogEntry other) {
        return java.util.Objects.equals(sha, other.sha) && java.util.Objects.equals(lastModified, other.lastModified);
    }

    public CatalogEntry withFiles(List<GgufFile> newFiles) {
        return new CatalogEntry(id, author, sha, lastModified, createdAt, downloads, likes, pipelineTag, tags, gated,
                architecture, contextLength, parameters, newFiles);
    }
}
