package io.hfsync.app;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x instance Camel's two HTTP servers run on (the catalog page on {@code web.port}, health and metrics on
 * {@code camel.management.port}), bounding what a client can hold: a connection that sends or receives nothing for
 * {@code web.idle-timeout-seconds} is closed, and each server keeps at most {@code web.max-connections} connections,
 * closing any beyond at once. Without the bounds, 560 half-sent requests used up the process's file descriptors and
 * the next sync could not open its lock (docs/operations.md).
 *
 * <p>Camel 4.18's platform-http-main builds its Vert.x {@code HttpServerOptions} with the defaults (no idle timeout,
 * no limit) and offers no option for either; what it does offer is to run its servers on the {@code Vertx} bound in
 * the registry ({@code VertxPlatformHttpServer} looks one up by type before it creates its own). This is that
 * instance: Vert.x's own delegating wrapper, which sets the bounds on every HTTP server created on it. Cleartext
 * HTTP/2 is off: a connection then becomes an HTTP/1.1 connection, counted, as soon as it is accepted, instead of
 * after its first bytes.
 */
final class BoundedHttpVertx extends VertxWrapper {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedHttpVertx.class);
    /** At most one warning a minute while connections are being refused. */
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int idleTimeoutSeconds;
    private final int maxConnections;

    BoundedHttpVertx(int idleTimeoutSeconds, int maxConnections) {
        super((VertxInternal) Vertx.vertx());
        this.idleTimeoutSeconds = idleTimeoutSeconds;
        this.maxConnections = maxConnections;
    }

    @Override
    public HttpServer createHttpServer(HttpServerOptions options) {
        options.setIdleTimeout(idleTimeoutSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS).setHttp2ClearTextEnabled(false);
        return delegate.createHttpServer(options).connectionHandler(new ConnectionCap(maxConnections));
    }

    @Override
    public HttpServer createHttpServer() {
        return createHttpServer(new HttpServerOptions());
    }

    /** Counts one server's open connections and closes any beyond the cap as soon as it is accepted. */
    static final class ConnectionCap implements Handler<HttpConnection> {

        private final int max;
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicLong refused = new AtomicLong();
        private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

        ConnectionCap(int max) {
            this.max = max;
        }

        @Override
        public void handle(HttpConnection connection) {
            if (open.incrementAndGet() > max) {
                open.decrementAndGet();
                connection.close();
                long count = refused.incrementAndGet();
                long now = System.nanoTime();
                long last = lastWarning.get();
                if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
                    LOG.warn("HTTP server on port {}: {} connections open (web.max-connections), closing new ones at once"
                            + " ({} so far); idle ones close after web.idle-timeout-seconds", connection.localAddress()
                            .port(), max, count);
                }
                return;
            }
            connection.closeHandler(closed -> open.decrementAndGet());
        }
    }
}
