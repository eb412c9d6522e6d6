package io.hfsync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The clock the tests hand to the application: time moves only when a test moves it. */
public final class MutableClock extends Clock {

    private volatile Instant now;
    private volatile Duration stepPerRead = Duration.ZERO;

    public MutableClock(Instant start) {
        this.now = start;
    }

    public void set(Instant instant) {
        now = instant;
    }

    /** Every read moves time on by {@code step}: a run that reads the clock often looks long. */
    public void stepPerRead(Duration step) {
        stepPerRead = step;
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public synchronized Instant instant() {
        Instant read = now;
        now = now.plus(stepPerRead);
        return read;
    }
}
