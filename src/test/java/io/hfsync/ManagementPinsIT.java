package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 11: the management server serves health and metrics only. Asking for Camel's send, upload,
 * download, developer console, info (issue 29) or Jolokia endpoints — here through property overrides, which reach Camel the same
 * way as CAMEL_MANAGEMENT_* environment variables (both are applied over application.properties) — changes nothing.
 */
class ManagementPinsIT {

    @TempDir
    Path dataDir;

    @Test
    void should_serve_health_and_metrics_only_whatever_the_configuration_asks() throws Exception {
        SyncHarness app = new SyncHarness(dataDir, Instant.parse("2026-11-20T02:00:00Z"));
        try (RunningDaemon daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER,
                "camel.management.send-enabled=true", "camel.management.upload-enabled=true",
                "camel.management.download-enabled=true", "camel.management.dev-console-enabled=true",
                "camel.management.jolokia-enabled=true", "camel.management.info-enabled=true")) {
            assertEquals(200, daemon.get("/observe/health").statusCode());
            assertEquals(200, daemon.get("/observe/metrics").statusCode());
            for (String path : List.of("/q/send", "/q/send/direct:sync", "/q/dev", "/q/dev/context", "/q/download",
                    "/q/upload/x.yaml", "/observe/jolokia", "/observe/jolokia/read", "/observe/info")) {
                assertEquals(404, daemon.get(path).statusCode(), path);
            }
        }
    }
}
