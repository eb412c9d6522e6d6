package io.hfsync.database;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes by key (answers by question, entries by rowid), least recently used first out once they hold more than
 * {@code budget} bytes; a value larger than an eighth of it is not kept.
 */
final class BytesCache<K> {

    private final long budget;
    private final LinkedHashMap<K, byte[]> values = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    BytesCache(long budget) {
        this.budget = budget;
    }

    synchronized byte[] get(K key) {
        return values.get(key);
    }

    /** The values of {@code keys} that are kept, into {@code found}; the others into {@code missing}. */
    synchronized void get(List<K> keys, Map<K, byte[]> found, List<K> missing) {
        for (K key : keys) {
            byte[] value = values.get(key);
            if (value != null) {
                found.put(key, value);
            } else {
                missing.add(key);
            }
        }
    }

    synchronized void put(K key, byte[] value) {
        if (value.length > budget / 8) {
            return;
        }
        byte[] old = values.put(key, value);
        bytes += value.length - (old == null ? 0 : old.length);
        var eldest = values.entrySet().iterator();
        while (bytes > budget && eldest.hasNext()) {
            bytes -= eldest.next().getValue().length;
            eldest.remove();
        }
    }
}
