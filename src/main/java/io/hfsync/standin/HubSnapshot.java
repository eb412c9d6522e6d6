package io.hfsync.standin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The stand-in Hub's current state. Thread-safe: tests change it while the server answers requests, and
 * every request reads whatever is there at that moment, as the real Hub does between pages.
 */
public final class HubSnapshot {

    // sorted by id so that all() is deterministic without an extra sort
    private final ConcurrentSkipListMap<String, HubRepo> repos = new ConcurrentSkipListMap<>();

    public HubSnapshot() {
    }

    /** Adds the repo, or replaces the one with the same id. */
    public void put(HubRepo r) {
        Objects.requireNonNull(r, "repo");
        repos.put(r.id(), r);
    }

    /** Removes and returns the repo, or null when there is none with that id. */
    public HubRepo remove(String id) {
        return repos.remove(id);
    }

    public HubRepo get(String id) {
        return repos.get(id);
    }

    /** Every repo, private ones included, sorted by id. */
    public List<HubRepo> all() {
        return new ArrayList<>(repos.values());
    }

    public int size() {
        return repos.size();
    }
}
