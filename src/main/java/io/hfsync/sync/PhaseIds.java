package io.hfsync.sync;

import java.util.Iterator;
import java.util.function.BooleanSupplier;

/**
 * The ids a phase's split takes, in order, while the phase says it goes on. A yes stands until {@link #next()}:
 * Camel's parallel split asks again before it takes the id, and a no then ends the split at once, with calls still
 * in flight (a publish after it would race their answers).
 */
final class PhaseIds implements Iterator<String> {

    private final Iterator<String> all;
    private final Runnable exhausted;
    private final BooleanSupplier goesOn;
    private boolean decided;

    /** {@code exhausted} runs when the ids run out; {@code goesOn} is asked before each id is taken. */
    PhaseIds(Iterator<String> all, Runnable exhausted, BooleanSupplier goesOn) {
        this.all = all;
        this.exhausted = exhausted;
        this.goesOn = goesOn;
    }

    @Override
    public boolean hasNext() {
        if (decided) {
            return true;
        }
        if (!all.hasNext()) {
            exhausted.run();
            return false;
        }
        decided = goesOn.getAsBoolean();
        return decided;
    }

    @Override
    public String next() {
        decided = false;
        return all.next();
    }
}
