package io.hfsync.app;

import io.hfsync.settings.SyncSettings;
import io.hfsync.settings.WebSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which route files a mode runs, as Camel Main's {@code routes-include-pattern}: the sync's own routes
 * ({@code routes/*.camel.yaml}, every mode and every Camel host) plus the trigger of the mode — {@code routes/once/}
 * (one-shot), {@code routes/daemon/} or, with replicas, {@code routes/replicas/} (the same trigger behind leader
 * election), {@code routes/demo/} for a demo daemon's sync at start — and nothing of it with {@code --serve}, which
 * runs no sync. The backfill tick is left out with {@code sync.backfill-minutes=0}, and the page's routes
 * ({@code web.camel.yaml}) in one-shot mode and with {@code web.enabled=false}. So a reader of a folder sees what
 * runs in that mode, and no route starts or stops by a derived switch.
 */
record ModeRoutes(boolean once, boolean serveOnly, boolean demo, boolean replicas, boolean backfill, boolean web) {

    /** The mode as the checked settings say ({@code serveOnly}: the {@code --serve} flag). */
    static ModeRoutes of(Function<String, Optional<String>> lookup, boolean serveOnly) {
        SyncSettings settings = SyncSettings.read(lookup);
        return new ModeRoutes(settings.once(), serveOnly, settings.demo(), settings.cluster().enabled(),
                settings.backfill().enabled(), WebSettings.read(lookup).enabled() && !settings.once());
    }

    /** {@code location}: the folder holding the route files, such as {@code file:routes/}, ending in a slash. */
    String includePattern(String location) {
        List<String> files = new ArrayList<>();
        files.add(location + "*.camel.yaml");
        if (once && !serveOnly) {
            files.add(location + "once/*.camel.yaml");
        } else if (!serveOnly) {
            String daemon = location + (replicas ? "replicas/" : "daemon/");
            files.add(daemon + "schedule.camel.yaml");
            if (backfill) {
                files.add(daemon + "backfill.camel.yaml");
            }
            if (demo) {
                files.add(location + "demo/*.camel.yaml");
            }
        }
        return String.join(",", files);
    }

    /** Camel Main's {@code routes-exclude-pattern}: the page's routes when no page is served, else none. */
    String excludePattern() {
        return web ? null : "**/web.camel.yaml";
    }
}
