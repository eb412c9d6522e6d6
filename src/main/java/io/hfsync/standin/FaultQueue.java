package io.hfsync.standin;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Queued faults, each served once, first in first out among those whose prefix matches the request. */
final class FaultQueue {

    private final List<Fault> queue = new ArrayList<>();

    synchronized void add(Fault fault) {
        queue.add(fault);
    }

    /** Removes and returns the oldest fault for this path, or null. */
    synchronized Fault takeFor(String path) {
        for (Iterator<Fault> it = queue.iterator(); it.hasNext(); ) {
            Fault fault = it.next();
            if (fault.matches(path)) {
                it.remove();
                return fault;
            }
        }
        return null;
    }

    synchronized void clear() {
        queue.clear();
    }
}
