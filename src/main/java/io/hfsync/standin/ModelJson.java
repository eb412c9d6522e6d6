package io.hfsync.standin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders repos in the Hub's wire shapes. One field switch serves every shape, so a field looks the same
 * wherever it appears; the shapes differ only in which fields they list.
 */
final class ModelJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A listing item without {@code expand} or {@code full}: no lastModified, sha, files or gguf. */
    private static final List<String> DEFAULT_LISTING_FIELDS = List.of(
            "_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag",
            "library_name", "createdAt", "modelId");

    /** A listing item with {@code full=true}. */
    private static final List<String> FULL_LISTING_FIELDS = List.of(
            "_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag",
            "library_name", "createdAt", "modelId", "author", "sha", "lastModified", "gated", "disabled",
            "siblings");

    /** A model-info answer without {@code expand}. */
    private static final List<String> MODEL_INFO_FIELDS = List.of(
            "_id", "id", "private", "pipeline_tag", "library_name", "tags", "downloads", "likes", "modelId",
            "author", "sha", "lastModified", "gated", "disabled", "gguf", "spaces", "siblings", "createdAt",
            "usedStorage");

    private static final Pattern SPLIT_PART = Pattern.compile("-\\d{5}-of-\\d{5}(?=\\.gguf$)", Pattern.CASE_INSENSITIVE);

    /** What an LFS pointer file weighs in git; the Hub reports it for every LFS file. */
    private static final int LFS_POINTER_SIZE = 134;

    /** Files this large live in LFS even without a matching .gitattributes pattern (the Hub enforces it). */
    private static final long LFS_THRESHOLD = 10L * 1024 * 1024;

    private ModelJson() {
    }

    static ObjectNode listingItem(HubRepo repo, ListingQuery query) {
        if (!query.expand().isEmpty()) {
            return expanded(repo, query.expand());
        }
        return withFields(repo, query.full() ? FULL_LISTING_FIELDS : DEFAULT_LISTING_FIELDS, false);
    }

    /** Only the asked-for fields, plus {@code _id} and {@code id}, as the Hub does for {@code expand}. */
    static ObjectNode expanded(HubRepo repo, List<String> fields) {
        List<String> all = new ArrayList<>(List.of("_id", "id"));
        fields.stream().filter(f -> !all.contains(f)).forEach(all::add);
        return withFields(repo, all, false);
    }

    /** The complete model-info object; with {@code blobs} every sibling carries its size and ids. */
    static ObjectNode modelInfo(HubRepo repo, boolean blobs) {
        return withFields(repo, MODEL_INFO_FIELDS, blobs);
    }

    /** One page of {@code /tree/{rev}}: every file with its size, as the tree endpoint shows it. */
    static ArrayNode tree(HubRepo repo) {
        ArrayNode entries = MAPPER.createArrayNode();
        for (RepoFile file : repo.files()) {
            ObjectNode entry = entries.addObject();
            entry.put("type", "file");
            entry.put("oid", RepoIdentifiers.blobId(file));
            entry.put("size", file.size());
            if (isLfs(file)) {
                ObjectNode lfs = entry.putObject("lfs");
                lfs.put("oid", RepoIdentifiers.lfsSha256(file));
                lfs.put("size", file.size());
                lfs.put("pointerSize", LFS_POINTER_SIZE);
            }
            entry.put("path", file.path());
        }
        return entries;
    }

    private static ObjectNode withFields(HubRepo repo, List<String> fields, boolean blobs) {
        ObjectNode node = MAPPER.createObjectNode();
        for (String field : fields) {
            putField(node, field, repo, blobs);
        }
        return node;
    }

    /** Writes one field; a value the repo does not have is left out, as the Hub leaves it out. */
    private static void putField(ObjectNode node, String field, HubRepo repo, boolean blobs) {
        switch (field) {
            case "_id" -> node.put("_id", RepoIdentifiers.objectId(repo));
            case "id", "modelId" -> node.put(field, repo.id());
            case "author" -> putIfPresent(node, field, repo.author());
            case "sha" -> putIfPresent(node, field, repo.sha());
            case "lastModified" -> {
                if (repo.lastModified() != null) {
                    node.put(field, HubDates.format(repo.lastModified()));
                }
            }
            case "createdAt" -> {
                if (repo.createdAt() != null) {
                    node.put(field, HubDates.format(repo.createdAt()));
                }
            }
            case "private" -> node.put(field, repo.isPrivate());
            case "gated" -> {
                if (repo.gated() instanceof Boolean gated) {
                    node.put(field, gated);
                } else if (repo.gated() instanceof String mode) {
                    node.put(field, mode);
                }
            }
            case "disabled", "xetEnabled" -> node.put(field, false);
            case "downloads", "downloadsAllTime" -> putIfPresent(node, field, repo.downloads());
            case "likes" -> putIfPresent(node, field, repo.likes());
            case "trendingScore", "childrenModelCount" -> node.put(field, 0);
            case "tags" -> repo.tags().forEach(node.putArray(field)::add);
            case "pipeline_tag" -> putIfPresent(node, field, repo.pipelineTag());
            case "library_name" -> putIfPresent(node, field, repo.libraryName());
            case "siblings" -> node.set(field, siblings(repo, blobs));
            case "gguf" -> putGguf(node, repo);
            case "usedStorage" -> node.put(field, repo.usedStorage());
            case "spaces" -> node.putArray(field);
            default -> {
                // accepted by the Hub but not modelled here (cardData, config, safetensors, ...):
                // the Hub leaves such fields out for repos that have none
            }
        }
    }

    private static ArrayNode siblings(HubRepo repo, boolean withBlobs) {
        ArrayNode siblings = MAPPER.createArrayNode();
        for (RepoFile file : repo.files()) {
            ObjectNode sibling = siblings.addObject();
            sibling.put("rfilename", file.path());
            if (withBlobs) {
                sibling.put("blobId", RepoIdentifiers.blobId(file));
                sibling.put("size", file.size());
                if (isLfs(file)) {
                    ObjectNode lfs = sibling.putObject("lfs");
                    lfs.put("sha256", RepoIdentifiers.lfsSha256(file));
                    lfs.put("size", file.size());
                    lfs.put("pointerSize", LFS_POINTER_SIZE);
                }
            }
        }
        return siblings;
    }

    /** {@code gguf} is there when the Hub could read the header of a GGUF file: architecture or size known. */
    private static void putGguf(ObjectNode node, HubRepo repo) {
        if (repo.architecture() == null && repo.parameters() == null) {
            return;
        }
        ObjectNode gguf = node.putObject("gguf");
        putIfPresent(gguf, "total", repo.parameters());
        putIfPresent(gguf, "architecture", repo.architecture());
        putIfPresent(gguf, "context_length", repo.contextLength());
        putIfPresent(gguf, "totalFileSize", parsedFileSize(repo));
        putIfPresent(gguf, "chat_template", repo.chatTemplate());
    }

    /**
     * The Hub reads the header of one GGUF file and reports its size (HUB_API.md, observed): the first {@code .gguf}
     * by case-insensitive name at the top of the repo that is neither a projector ({@code mmproj}) nor a part of a
     * split set; single files in sub-folders are not looked at. A repo with only split sets gets the first set, its
     * parts' sizes summed.
     */
    static Long parsedFileSize(HubRepo repo) {
        List<RepoFile> candidates = repo.files().stream()
                .filter(RepoFile::isGguf)
                .filter(f -> !f.path().toLowerCase(Locale.ROOT).contains("mmproj"))
                .sorted(java.util.Comparator.comparing((RepoFile f) -> f.path().toLowerCase(Locale.ROOT))
                        .thenComparing(RepoFile::path))
                .toList();
        for (RepoFile file : candidates) {
            if (file.path().indexOf('/') < 0 && !SPLIT_PART.matcher(file.path()).find()) {
                return file.size();
            }
        }
        Map<String, Long> sizeBySet = new LinkedHashMap<>();
        candidates.stream()
                .filter(f -> SPLIT_PART.matcher(f.path()).find())
                .forEach(f -> sizeBySet.merge(SPLIT_PART.matcher(f.path()).replaceFirst("").toLowerCase(Locale.ROOT),
                        f.size(), Long::sum));
        return sizeBySet.values().stream().findFirst().orElse(null);
    }

    private static boolean isLfs(RepoFile file) {
        return file.isGguf() || file.size() >= LFS_THRESHOLD;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, Long value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
