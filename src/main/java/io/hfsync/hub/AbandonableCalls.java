package io.hfsync.hub;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.io.CloseMode;

/**
 * The connections one run's Hub calls go over, so that the run can abandon a call in flight when its time is up: a
 * read timeout does not end a body that trickles one byte a second, closing its connection does. The thread that
 * makes a call names its run with {@link #enter} first; {@link HubHttpClient} reports each connection a call uses.
 */
public final class AbandonableCalls {

    private static final ThreadLocal<AbandonableCalls> CURRENT = new ThreadLocal<>();

    private final Set<HttpClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final CountDownLatch abandoned = new CountDownLatch(1);
    private volatile String reason;

    /** The calls this thread makes from now on belong to {@code calls} (null: to no run). */
    public static void enter(AbandonableCalls calls) {
        if (calls == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(calls);
        }
    }

    static AbandonableCalls current() {
        return CURRENT.get();
    }

    /** A call is about to use {@code connection}; refused at once when the run has already abandoned its calls. */
    void track(HttpClientConnection connection) throws IOException {
        connections.removeIf(c -> !c.isOpen());
        connections.add(connection);
        if (reason != null) {
            connection.close(CloseMode.IMMEDIATE);
            throw new InterruptedIOException("Hub call abandoned: " + reason);
        }
    }

    /** Closes every connection this run's calls use: calls in flight fail at once, later ones are refused. */
    public void abandon(String why) {
        reason = why;
        abandoned.countDown();
        for (HttpClientConnection connection : connections) {
            connection.close(CloseMode.IMMEDIATE);
        }
        connections.clear();
    }

    public boolean isAbandoned() {
        return reason != null;
    }

    /** Sleeps {@code nanos}, or less when the calls are abandoned meanwhile; true if they were. */
    public boolean sleep(long nanos) throws InterruptedException {
        return abandoned.await(nanos, TimeUnit.NANOSECONDS);
    }
}
