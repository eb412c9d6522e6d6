package io.hfsync.config;

import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicas: with {@code sync.cluster.dir} set, daemons sharing that directory elect one leader through Camel's
 * file-lock cluster service, and the schedule route consumes through {@code master:} so only the leader's Quartz
 * trigger fires. Without it (or in one-shot mode, which cron or a CronJob schedules from outside) nothing is bound:
 * the {@code master} component refuses to start without a cluster service, so the route's scheme is chosen here.
 * Runs after {@link SyncConfiguration}, whose checked {@link SyncSettings} it reads.
 */
public final class ClusterConfiguration implements CamelConfiguration {

    public static final String CLUSTER_SERVICE_BEAN = "hfSyncClusterService";
    /** Prefix of the schedule route's endpoint: empty (every process fires) or {@code master:<namespace>:}. */
    static final String SCHEDULE_SCOPE = "sync.internal.schedule-scope";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        SyncSettings settings = context.getRegistry().lookupByNameAndType(SyncConfiguration.SETTINGS_BEAN, SyncSettings.class);
        SyncSettings.Cluster cluster = settings == null ? SyncSettings.Cluster.NONE : settings.cluster();
        if (!cluster.enabled() || settings.once()) {
            properties.addOverrideProperty(SCHEDULE_SCOPE, "");
            return;
        }
        int interval = cluster.heartbeatSeconds();
        FileLockClusterService service = new FileLockClusterService();
        service.setId("hf-gguf-sync-cluster");
        service.setRoot(cluster.dir());
        // the leader rewrites its heartbeat every interval; followers take over after `missedHeartbeats` silent ones
        service.setAcquireLockInterval(interval, TimeUnit.SECONDS);
        service.setHeartbeatTimeoutMultiplier(cluster.missedHeartbeats());
        service.setAcquireLockDelay(interval, TimeUnit.SECONDS);
        // Main only adds registry cluster services before configuration classes run, so add it to the context here
        context.getRegistry().bind(CLUSTER_SERVICE_BEAN, service);
        context.addService(service);
        properties.addOverrideProperty(SCHEDULE_SCOPE, "master:" + cluster.namespace() + ":");
        LOG.info("Replicas: leader election in {} (namespace {}); only the leader's schedule fires, a dead leader is "
                + "replaced after about {}s", cluster.dir(), cluster.namespace(), interval * (cluster.missedHeartbeats() + 2));
    }
}
