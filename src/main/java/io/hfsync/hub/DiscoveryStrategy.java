package io.hfsync.hub;

/**
 * The seed's "all discovery strategies": the {@code gguf} library tag, and a name search whose hits count only
 * when the repo really has a {@code .gguf} file.
 */
public enum DiscoveryStrategy {
    LIBRARY_TAG("filter=gguf", false, "library tag gguf"),
    NAME_SEARCH("search=gguf", true, "name search gguf");

    /** Fields the product reads from a listing; asking for more costs bandwidth, asking for fewer loses data. */
    static final String EXPAND = String.join("&expand=", "author", "createdAt", "downloads", "gated", "gguf",
            "lastModified", "library_name", "likes", "pipeline_tag", "private", "sha", "siblings", "tags");

    private final String selector;
    private final boolean requiresGgufFile;
    private final String description;

    DiscoveryStrategy(String selector, boolean requiresGgufFile, String description) {
        this.selector = selector;
        this.requiresGgufFile = requiresGgufFile;
        this.description = description;
    }

    public String description() {
        return description;
    }

    public boolean requiresGgufFile() {
        return requiresGgufFile;
    }

    /** First page URL; {@code sort} is lastModified (incremental, newest first) or createdAt (full). */
    public String firstPage(String hubUrl, String sort, int pageSize) {
        return hubUrl + "/api/models?" + selector + "&sort=" + sort + "&limit=" + pageSize + "&expand=" + EXPAND;
    }
}
