package io.hfsync.standin;

import java.util.Random;

/**
 * {@link Random}'s own generator (the same 48-bit linear congruential sequence, so the same seed gives the same
 * values) whose state can be marked and gone back to: the demo generator redraws a repo exactly as it was drawn before
 * a choice it then takes back.
 */
final class MarkableRandom extends Random {

    private static final long serialVersionUID = 1L;
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long MASK = (1L << 48) - 1;

    // no initialiser: Random's constructor sets it through setSeed before this class's fields would be initialised
    private long state;

    MarkableRandom(long seed) {
        super(seed);
    }

    @Override
    public synchronized void setSeed(long seed) {
        super.setSeed(seed);
        state = (seed ^ MULTIPLIER) & MASK;
    }

    @Override
    protected int next(int bits) {
        state = (state * MULTIPLIER + 0xBL) & MASK;
        return (int) (state >>> (48 - bits));
    }

    long mark() {
        return state;
    }

    void reset(long mark) {
        state = mark;
    }
}
