package io.hfsync.catalog;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared instance per distinct value, for the strings that repeat across thousands of models (owners, tags,
 * architectures, quantisations). A map lookup, several times cheaper than {@code String.intern} on the merge's
 * hot path.
 */
final class Strings {

    private static final ConcurrentHashMap<String, String> POOL = new ConcurrentHashMap<>();

    private Strings() {
    }

    static String shared(String value) {
        if (value == null) {
            return null;
        }
        String existing = POOL.putIfAbsent(value, value);
        return existing != null ? existing : value;
    }

    /** An unmodifiable copy with every value shared; null stays null. */
    static List<String> sharedAll(List<String> values) {
        if (values == null) {
            return null;
        }
        String[] shared = new String[values.size()];
        for (int i = 0; i < shared.length; i++) {
            shared[i] = shared(values.get(i));
        }
        return Collections.unmodifiableList(Arrays.asList(shared));
    }
}
