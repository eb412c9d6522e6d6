package io.hfsync.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hfsync.gguf.GgufHeader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One model in {@code gguf_models.json}. Unknown values are {@code null}, never invented.
 *
 * @param ggufHeader  what the GGUF header of one of its weights files says (docs/gguf-headers.md), or null
 * @param ggufHeaderError why the header of this {@code sha} could not be read (docs/gguf-headers.md), or null
 * @param mmprojBytes its largest vision projector (docs/memory.md): derived from {@code files} when the entry has
 *                    them, kept as given when it has none (the head of an entry printed apart from its files)
 * @param files       each with its {@code memory}, derived from its size and {@code ggufHeader} ({@link FileMemory})
 */
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
        @JsonProperty("details_pending") boolean detailsPending,
        @JsonProperty("gguf_header") GgufHeader ggufHeader,
        @JsonProperty("gguf_header_error") String ggufHeaderError,
        @JsonProperty("mmproj_bytes") Long mmprojBytes,
        List<GgufFile> files) {

    /** Entries live only while a model is merged or written (the catalog stays on disk, see CatalogMerge). */
    public CatalogEntry {
        // false, true or the gate's kind: any other value (a list, an object) is no gate this product can print
        // or read back (the Hub's fields are checked where they arrive, docs/faults.md)
        gated = gated instanceof Boolean || gated instanceof String ? gated : null;
        tags = tags == null ? null : Collections.unmodifiableList(new ArrayList<>(tags));
        capabilities = capabilities == null ? null : Collections.unmodifiableList(new ArrayList<>(capabilities));
        if (files != null) {
            files = Collections.unmodifiableList(FileMemory.withMemory(files, FileMemory.usableHeader(ggufHeader, sha)));
            mmprojBytes = FileMemory.mmprojBytes(files);
        }
    }

    /** An entry as the Hub lists it or a detail call answers: no header read yet. */
    public CatalogEntry(String id, String author, String sha, String lastModified, String createdAt, Long downloads,
            Long likes, String pipelineTag, List<String> tags, Object gated, String architecture, Long contextLength,
            Long parameters, String baseModel, String license, List<String> capabilities, boolean detailsPending,
            List<GgufFile> files) {
        this(id, author, sha, lastModified, createdAt, downloads, likes, pipelineTag, tags, gated, architecture,
                contextLength, parameters, baseModel, license, capabilities, detailsPending, null, null, null, files);
    }

    /** An entry whose sizes are known or will not be read ({@code details_pending: false}). */
    public CatalogEntry(String id, String author, String sha, String lastModified, String createdAt, Long downloads,
            Long likes, String pipelineTag, List<String> tags, Object gated, String architecture, Long contextLength,
            Long parameters, String baseModel, String license, List<String> capabilities, List<GgufFile> files) {
        this(id, author, sha, lastModified, createdAt, downloads, likes, pipelineTag, tags, gated, architecture,
                contextLength, parameters, baseModel, license, capabilities, false, files);
    }

    /** Same content on the Hub: neither the commit nor the modification time moved. */
    public boolean sameRevisionAs(CatalogEntry other) {
        return Objects.equals(sha, other.sha) && Objects.equals(lastModified, other.lastModified);
    }

    public CatalogEntry withFiles(List<GgufFile> newFiles) {
        return new CatalogEntry(id, author, sha, lastModified, createdAt, downloads, likes, pipelineTag, tags, gated,
                architecture, contextLength, parameters, baseModel, license, capabilities, detailsPending, ggufHeader,
                ggufHeaderError, mmprojBytes, newFiles);
    }

    /** The entry with the model's GGUF header: its files' memory is derived again. */
    public CatalogEntry withGgufHeader(GgufHeader header) {
        return new CatalogEntry(id, author, sha, lastModified, createdAt, downloads, likes, pipelineTag, tags, gated,
                architecture, contextLength, parameters, baseModel, license, capabilities, detailsPending, header,
                header == null ? ggufHeaderError : null, mmprojBytes, files);
    }

    /**
     * The head of the entry (no files) with the {@code mmproj_bytes} of files kept elsewhere: an unchanged model
     * printed with the files the catalog already holds.
     */
    CatalogEntry headWithMmprojBytes(Long bytes) {
        return new CatalogEntry(id, author, sha, lastModified, createdAt, downloads, likes, pipelineTag, tags, gated,
                architecture, contextLength, parameters, baseModel, license, capabilities, detailsPending, ggufHeader,
                ggufHeaderError, bytes, null);
    }

    /** docs/sync-modes.md: true while the file sizes of this {@code sha} have not been read (its files are the listing's). */
    public CatalogEntry withDetailsPending(boolean pending) {
        return new CatalogEntry(id, author, sha, lastModified, createdAt, downloads, likes, pipelineTag, tags, gated,
                architecture, contextLength, parameters, baseModel, license, capabilities, pending, ggufHeader,
                ggufHeaderError, mmprojBytes, files);
    }

    /** The header read of this {@code sha}: the header, or (header null) the reason it could not be read. */
    public CatalogEntry withHeaderRead(GgufHeader header, String error) {
        return new CatalogEntry(id, author, sha, lastModified, createdAt, downloads, likes, pipelineTag, tags, gated,
                architecture, contextLength, parameters, baseModel, license, capabilities, detailsPending, header,
                header == null ? error : null, mmprojBytes, files);
    }

    /**
     * A header read of this {@code sha} is done (a header or its reason): never read again (docs/gguf-headers.md). The
     * reason {@link #NO_WEIGHTS_FILE} stands only while the entry has no complete weights file: versions before
     * 2026-12-06 gave it to every repo whose sizes were not fetched (FETCH_FILE_SIZES=false), whose files are complete.
     */
    public boolean headerRead() {
        return ggufHeader != null || ggufHeaderError != null && !healable(ggufHeaderError, hasCompleteWeightsFile());
    }

    /** The reason a model without a complete weights file gets instead of a header (docs/gguf-headers.md). */
    public static final String NO_WEIGHTS_FILE = "no complete weights file";

    /** A header reason that does not stand: "no complete weights file" given to an entry that has one. */
    public static boolean healable(String headerError, boolean completeWeightsFile) {
        return completeWeightsFile && NO_WEIGHTS_FILE.equals(headerError);
    }

    private boolean hasCompleteWeightsFile() {
        return files != null && files.stream().anyMatch(f -> f != null && f.completeWeights());
    }
}
