package io.hfsync.hub;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A model as the Hub sends it (listing item or {@code ?blobs=true} detail); wire names, any field may be null. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HubModel(
        String id,
        String author,
        String sha,
        String lastModified,
        String createdAt,
        @JsonProperty("private") Boolean isPrivate,
        Object gated,
        Long downloads,
        Long likes,
        List<String> tags,
        @JsonProperty("pipeline_tag") String pipelineTag,
        @JsonProperty("library_name") String libraryName,
        List<Sibling> siblings,
        Gguf gguf) {

    /** Reads one model (a detail answer); unknown fields are ignored, as the annotations say. */
    public static final com.fasterxml.jackson.databind.ObjectReader READER =
            new com.fasterxml.jackson.databind.ObjectMapper().readerFor(HubModel.class);

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Sibling(String rfilename, Long size, Lfs lfs) {

        /** The size of the file's content: LFS size for LFS files, else the blob size. */
        public Long contentSize() {
            return lfs != null && lfs.size() != null ? lfs.size() : size;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Lfs(Long size) {
    }

    /**
     * The GGUF header the Hub parsed; {@code totalFileSize} is the byte size of that one parsed file (HUB_API.md),
     * undocumented by the Hub. {@code chat_template} is kept as whatever JSON it is (a string on the Hub),
     * so an odd value cannot fail a page.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Gguf(Long total, String architecture, @JsonProperty("context_length") Long contextLength,
            @JsonProperty("chat_template") JsonNode chatTemplate, Long totalFileSize) {

        /** The template's text, or null when the Hub did not send one. */
        public String chatTemplateText() {
            if (chatTemplate == null || chatTemplate.isNull() || chatTemplate.isMissingNode()) {
                return null;
            }
            return chatTemplate.isTextual() ? chatTemplate.textValue() : chatTemplate.toString();
        }
    }

    public boolean hasGgufFile() {
        if (siblings == null) {
            return false;
        }
        for (Sibling s : siblings) {
            if (io.hfsync.catalog.GgufFiles.isGguf(s.rfilename())) {
                return true;
            }
        }
        return false;
    }
}
