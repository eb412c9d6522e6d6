package io.hfsync.store;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The two hashes the catalog databases keep per model (docs/database.md, {@code entry_hash} and {@code files_hash}), defined on
 * the model's bytes exactly as {@code gguf_models.json} holds them, from its opening to its closing brace: the entry is
 * every byte but the top-level {@code files} array, the files are that array's bytes ({@code []} when the model has
 * no array). One definition for both the catalog writer ({@link CatalogIndex}, hashing as it prints) and the
 * database's reading of a catalog file (token by token), so PostgreSQL and SQLite compare equal hashes whichever way
 * they were made.
 */
public final class ModelHashes {

    private static final byte[] NO_FILES = "[]".getBytes(StandardCharsets.UTF_8);

    private ModelHashes() {
    }

    /**
     * @param filesStart offset of the files array's {@code [} in {@code model}, or -1 when it has none
     * @param filesEnd offset just past its {@code ]}
     */
    public static long entryHash(byte[] model, int from, int length, int filesStart, int filesEnd) {
        return filesStart < 0 ? hash(model, from, length, null, 0, 0)
                : hash(model, from, filesStart, model, from + filesEnd, length - filesEnd);
    }

    public static long filesHash(byte[] model, int from, int filesStart, int filesEnd) {
        return filesStart < 0 ? hash(NO_FILES, 0, NO_FILES.length, null, 0, 0)
                : hash(model, from + filesStart, filesEnd - filesStart, null, 0, 0);
    }

    /**
     * 64 bits that change with any change of the bytes: CRC-32C and CRC-32 side by side (two different polynomials,
     * both computed by the processor's own instructions: a tenth of SHA-256's cost on a 200 MB catalog). Not a defence
     * against crafted input, and the catalog is our own file; never 0, which stands for "no hash".
     */
    private static long hash(byte[] a, int aFrom, int aLength, byte[] b, int bFrom, int bLength) {
        CRC32C castagnoli = new CRC32C();
        CRC32 ieee = new CRC32();
        castagnoli.update(a, aFrom, aLength);
        ieee.update(a, aFrom, aLength);
        if (b != null) {
            castagnoli.update(b, bFrom, bLength);
            ieee.update(b, bFrom, bLength);
        }
        long hash = castagnoli.getValue() << 32 | ieee.getValue();
        return hash == 0L ? 1L : hash;
    }
}
