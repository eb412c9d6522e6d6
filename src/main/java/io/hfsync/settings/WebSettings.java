package io.hfsync.settings;

import java.util.Optional;
import java.util.function.Function;

/**
 * The catalog page and JSON API (docs/browser.md): whether it is served, and where. The keys are optional, so a Camel host
 * that embeds the routes need not define them.
 *
 * @param enabled {@code web.enabled} / {@code WEB_ENABLED}; one-shot runs never serve, whatever it says
 * @param host    {@code web.host} / {@code WEB_HOST}
 * @param port    {@code web.port} / {@code WEB_PORT}; 0 = a free port the system picks
 * @param idleTimeoutSeconds {@code web.idle-timeout-seconds} / {@code WEB_IDLE_TIMEOUT_SECONDS}: a connection of the
 *                page's or the management server that sends and receives nothing this long is closed
 * @param maxConnections {@code web.max-connections} / {@code WEB_MAX_CONNECTIONS}: connections each of those servers
 *                keeps open at most; one beyond is closed at once
 */
public record WebSettings(boolean enabled, String host, int port, int idleTimeoutSeconds, int maxConnections) {

    public static final WebSettings DEFAULT = new WebSettings(true, "0.0.0.0", 8080, 30, 200);

    public static WebSettings read(Function<String, Optional<String>> lookup) {
        SyncSettings.Reader r = new SyncSettings.Reader(lookup);
        boolean enabled = lookup.apply("web.enabled").isEmpty() ? DEFAULT.enabled() : r.bool("web.enabled");
        String host = r.text("web.host", DEFAULT.host()).trim();
        if (host.isEmpty()) {
            throw new InvalidSettingException("web.host", host, "expected an address to bind, such as 0.0.0.0 or 127.0.0.1");
        }
        int port = lookup.apply("web.port").isEmpty() ? DEFAULT.port() : r.integer("web.port", 0, 65_535);
        int idle = lookup.apply("web.idle-timeout-seconds").isEmpty() ? DEFAULT.idleTimeoutSeconds()
                : r.integer("web.idle-timeout-seconds", 1, 3_600);
        int maxConnections = lookup.apply("web.max-connections").isEmpty() ? DEFAULT.maxConnections()
                : r.integer("web.max-connections", 1, 100_000);
        return new WebSettings(enabled, host, port, idle, maxConnections);
    }
}
