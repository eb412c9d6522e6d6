package io.hfsync.store;

import io.hfsync.catalog.CatalogEntry;

/**
 * A model's revision as a {@link Slot} keeps it: a 64-bit FNV-1a hash of sha and last modified, standing in for
 * {@link CatalogEntry#sameRevisionAs} (a false match needs a 64-bit collision between two revisions of the same repo).
 */
final class RevisionHash {

    private RevisionHash() {
    }

    static long of(CatalogEntry entry) {
        return of(entry.sha(), entry.lastModified());
    }

    static long of(String sha, String lastModified) {
        return mix(mix(0xcbf29ce484222325L, sha), lastModified);
    }

    private static long mix(long hash, String value) {
        long h = hash;
        if (value == null) {
            return (h ^ 0x1_0000L) * 0x100000001b3L;
        }
        for (int i = 0; i < value.length(); i++) {
            h = (h ^ value.charAt(i)) * 0x100000001b3L;
        }
        return (h ^ 0x2_0000L) * 0x100000001b3L;
    }
}
