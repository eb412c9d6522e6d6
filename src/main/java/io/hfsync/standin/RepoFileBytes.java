package io.hfsync.standin;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the stand-in serves as a file's bytes: the generated header ({@link DemoHeaders}) and zeros, unless a test
 * gave bytes of its own for that file (or for every GGUF file of the repo).
 */
final class RepoFileBytes {

    /** Bytes a test gave: the start of the file (zeros after, up to the listed size) or the whole file. */
    private record Given(byte[] bytes, boolean wholeFile) {
    }

    private static final String EVERY_GGUF = "\u0000every-gguf";

    private final DemoHeaders headers = new DemoHeaders();
    private final Map<String, Given> given = new ConcurrentHashMap<>();

    /** {@code bytes} instead of the generated header, zeros after them up to the listed size; path null: every GGUF. */
    void replaceHeader(String repoId, String path, byte[] bytes) {
        given.put(key(repoId, path), new Given(bytes.clone(), false));
    }

    /** The file is exactly {@code bytes} (its size too, in the redirect's {@code X-Linked-Size}); path null: every GGUF. */
    void replaceFile(String repoId, String path, byte[] bytes) {
        given.put(key(repoId, path), new Given(bytes.clone(), true));
    }

    void clear() {
        given.clear();
    }

    /** The size the file is served with. */
    long size(HubRepo repo, RepoFile file) {
        Given bytes = givenFor(repo, file);
        return bytes != null && bytes.wholeFile() ? bytes.bytes().length : file.size();
    }

    FileBody body(HubRepo repo, String sha, RepoFile file) {
        Given bytes = givenFor(repo, file);
        if (bytes == null) {
            return headers.body(repo, sha, file);
        }
        return bytes.wholeFile() ? FileBody.of(bytes.bytes())
                : new FileBody(java.util.List.of(bytes.bytes()), file.size());
    }

    private Given givenFor(HubRepo repo, RepoFile file) {
        Given exact = given.get(key(repo.id(), file.path()));
        if (exact != null || !file.isGguf()) {
            return exact;
        }
        return given.get(key(repo.id(), null));
    }

    private static String key(String repoId, String path) {
        return Objects.requireNonNull(repoId, "repoId") + "\n" + (path == null ? EVERY_GGUF : path);
    }
}
