package io.hfsync.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

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
        @JsonProperty("base_model") String baseModel,
        String license,
        List<String> capabilities,
        List<GgufFile> files) {

    /** Entries live only while a model is merged or written (the catalog stays on disk, see CatalogMerge). */
    public CatalogEntry {
        tags = tags == null ? null : Collections.unmodifiableList(new ArrayList<>(tags));
        capabilities = capabilities == null ? null : Collections.unmodifiableList(new ArrayList<>(capabilities));
        files = files == null ? null : Collections.unmodifiableList(new ArrayList<>(files));
    }

    /** Same content on the Hub: neither the commit nor the modification time moved. */
    public boolean sameRevisionAs(CatalogEntry other) {
        return Objects.equals(sha, other.sha) && Objects.equals(lastModified, other.lastModified);
    }

    public CatalogEntry withFiles(List<GgufFile> newFiles) {
        return new CatalogEntry(id, author, sha, lastModified, createdAt, downloads, likes, pipelineTag, tags, gated,
                architecture, contextLength, parameters, baseModel, license, capabilities, newFiles);
    }
}
