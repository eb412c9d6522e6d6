package io.hfsync.observe;

import io.hfsync.catalog.SyncMetadata;
import io.hfsync.report.RunOutcome;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The last sync: DOWN, with the stored {@code error_message}, while it has failed; UP otherwise, including before the
 * first run. Shown on {@code /observe/health} (every check) and nowhere else (docs/operations.md): not a liveness check,
 * since restarting the process does not fix the Hub or the disk, and not a readiness check, since replicas share the
 * failed metadata and a Kubernetes leader election takes only Ready pods as members, so one failed sync would leave
 * none to run the next. Registered by being bound in the Camel registry ({@code camel.health.registry-enabled}, on by
 * default).
 */
public final class LastSyncHealthCheck extends AbstractHealthCheck {

    public static final String ID = "last-sync";

    /** The last run's error_message, or null when it succeeded (or there was none yet). */
    private volatile String lastFailure;

    public LastSyncHealthCheck(SyncMetadata stored) {
        super("hf-gguf-sync", ID);
        lastFailure = stored != null && Boolean.FALSE.equals(stored.success())
                ? describe(stored.errorMessage()) : null;
    }

    public void record(RunOutcome run) {
        lastFailure = run.failed() ? describe(run.failure()) : null;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        String failure = lastFailure;
        if (failure == null) {
            builder.up();
        } else {
            builder.message("last sync failed: " + failure).down();
        }
    }

    private static String describe(String errorMessage) {
        return errorMessage == null || errorMessage.isBlank() ? "no reason recorded" : errorMessage;
    }
}
