package io.hfsync.standin;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One model repository as the stand-in Hub knows it: everything the listing and the model-info endpoints
 * can show. Nullable components mirror the real Hub, where any of them may be missing.
 *
 * @param id           {@code owner/name}
 * @param author       owner shown in {@code author}; usually the id's owner
 * @param sha          head commit, 40 hex
 * @param lastModified time of the last commit
 * @param createdAt    creation time ({@code 2022-03-02T23:29:04Z} for repos older than the Hub's records)
 * @param gated        {@code Boolean.FALSE}, {@code "auto"}, {@code "manual"}, or null when unknown
 * @param downloads    downloads over the last 30 days, or null
 * @param likes        likes, or null
 * @param tags         Hub tags; {@code gguf} marks the GGUF library
 * @param pipelineTag  task such as {@code text-generation}; often null
 * @param libraryName  {@code gguf}, {@code transformers}, ... or null
 * @param architecture GGUF architecture ({@code gguf.architecture}), or null
 * @param contextLength GGUF context length ({@code gguf.context_length}), or null
 * @param parameters   parameter count ({@code gguf.total}), or null
 * @param files        every file of the head revision
 * @param isPrivate    private repos are never listed and answer 401 to a detail read
 * @param chatTemplate the chat template of the parsed GGUF file ({@code gguf.chat_template}), or null
 */
public record HubRepo(String id, String author, String sha, Instant lastModified, Instant createdAt,
        Object gated, Long downloads, Long likes,
        List<String> tags, String pipelineTag, String libraryName,
        String architecture, Long contextLength, Long parameters, List<RepoFile> files,
        boolean isPrivate, String chatTemplate) {

    public HubRepo {
        Objects.requireNonNull(id, "id");
        int slash = id.indexOf('/');
        if (slash <= 0 || slash != id.lastIndexOf('/') || slash == id.length() - 1) {
            throw new IllegalArgumentException("id must be owner/name: '" + id + "'");
        }
        if (gated != null && !Boolean.FALSE.equals(gated) && !"auto".equals(gated) && !"manual".equals(gated)) {
            throw new IllegalArgumentException("gated must be false, \"auto\", \"manual\" or null: " + gated);
        }
        tags = tags == null ? List.of() : List.copyOf(tags);
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** A repo whose GGUF carries no chat template. */
    public HubRepo(String id, String author, String sha, Instant lastModified, Instant createdAt,
            Object gated, Long downloads, Long likes,
            List<String> tags, String pipelineTag, String libraryName,
            String architecture, Long contextLength, Long parameters, List<RepoFile> files,
            boolean isPrivate) {
        this(id, author, sha, lastModified, createdAt, gated, downloads, likes, tags, pipelineTag, libraryName,
                architecture, contextLength, parameters, files, isPrivate, null);
    }

    public String owner() {
        return id.substring(0, id.indexOf('/'));
    }

    public String name() {
        return id.substring(id.indexOf('/') + 1);
    }

    public boolean hasTag(String tag) {
        return tags.contains(tag);
    }

    public boolean hasGgufFile() {
        return files.stream().anyMatch(RepoFile::isGguf);
    }

    public long usedStorage() {
        return files.stream().mapToLong(RepoFile::size).sum();
    }

    /** The repo after a new commit: new head, new time, new file list; everything else kept. */
    public HubRepo withUpdate(String newSha, Instant newLastModified, List<RepoFile> newFiles) {
        return new HubRepo(id, author, newSha, newLastModified, createdAt, gated, downloads, likes, tags,
                pipelineTag, libraryName, architecture, contextLength, parameters, newFiles, isPrivate, chatTemplate);
    }

    /** The repo with new listing counters, which change without a commit. */
    public HubRepo withPopularity(Long newDownloads, Long newLikes) {
        return new HubRepo(id, author, sha, lastModified, createdAt, gated, newDownloads, newLikes, tags,
                pipelineTag, libraryName, architecture, contextLength, parameters, files, isPrivate, chatTemplate);
    }

    public HubRepo withChatTemplate(String newChatTemplate) {
        return new HubRepo(id, author, sha, lastModified, createdAt, gated, downloads, likes, tags,
                pipelineTag, libraryName, architecture, contextLength, parameters, files, isPrivate, newChatTemplate);
    }

    public HubRepo withPrivate(boolean newIsPrivate) {
        return new HubRepo(id, author, sha, lastModified, createdAt, gated, downloads, likes, tags,
                pipelineTag, libraryName, architecture, contextLength, parameters, files, newIsPrivate, chatTemplate);
    }
}
