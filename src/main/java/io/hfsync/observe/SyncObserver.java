package io.hfsync.observe;

import io.hfsync.store.CatalogJson;
import io.hfsync.store.DataFiles;
import io.hfsync.catalog.SyncMetadata;
import io.hfsync.report.RunOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells the world outside the log how each run ended: the Prometheus meters and the last-sync health check. */
public final class SyncObserver {

    private static final Logger LOG = LoggerFactory.getLogger(SyncObserver.class);

    private final SyncMetrics metrics;
    private final LastSyncHealthCheck lastSync;

    SyncObserver(SyncMetrics metrics, LastSyncHealthCheck lastSync) {
        this.metrics = metrics;
        this.lastSync = lastSync;
    }

    /**
     * Registers the meters and binds the last-sync health check, both starting from what the data directory says about the
     * last run. The meters go to the registry camel-micrometer-prometheus scrapes: the one already bound, or a
     * Prometheus registry bound under Camel's name, which that component then adopts instead of creating its own.
     */
    public static SyncObserver install(CamelContext context, Path dataDir) {
        Registry registry = context.getRegistry();
        MeterRegistry meters = MicrometerUtils.getMeterRegistryFromCamelRegistry(registry,
                MicrometerConstants.METRICS_REGISTRY_NAME);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        SyncMetadata stored = readStored(dataDir.resolve(DataFiles.METADATA));
        LastSyncHealthCheck lastSync = new LastSyncHealthCheck(stored);
        registry.bind("lastSyncHealthCheck", lastSync);
        return new SyncObserver(new SyncMetrics(meters, stored), lastSync);
    }

    /** A daemon backfill slice published: only the pending gauge moves. */
    public void detailsPending(int pending) {
        metrics.detailsPending(pending);
    }

    /** Change events (docs/events.md) that reached the endpoint. */
    public void eventsSent(long events) {
        metrics.eventsSent(events);
    }

    /** A run's change events stopped at an endpoint failure. */
    public void eventsFailed() {
        metrics.eventsFailed();
    }

    public void runFinished(RunOutcome run) {
        metrics.record(run);
        lastSync.record(run);
    }

    /** Unreadable metadata is the mode decision's business (it moves the file aside); here it only means "unknown". */
    private static SyncMetadata readStored(Path file) {
        try {
            return CatalogJson.readMetadata(file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Health and metrics start without the last run's state: cannot read {} ({})", file, e.getMessage());
            return null;
        }
    }
}
