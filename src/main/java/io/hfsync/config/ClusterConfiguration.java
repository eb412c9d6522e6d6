package io.hfsync.config;

import java.util.Optional;
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
 * Runs after {@link SyncConfiguration}, whose derived {@code sync.internal.once} it reads.
 */
public final class ClusterConfiguration implements CamelConfiguration {

    public static final String CLUSTER_SERVICE_BEAN = "hfSyncClusterService";
    /** Prefix of the schedule route's endpoint: empty (every process fires) or {@code master:<namespace>:}. */
    static final String SCHEDULE_SCOPE = "sync.internal.schedule-scope";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        String dir = text(properties, "sync.cluster.dir", "");
        boolean once = Boolean.parseBoolean(text(properties, SyncConfiguration.ONCE_RESOLVED, "false"));
        if (dir.isEmpty() || once) {
            properties.addOverrideProperty(SCHEDULE_SCOPE, "");
            return;
        }
        String namespace = text(properties, "sync.cluster.namespace", "hf-gguf-sync");
        if (namespace.isEmpty() || namespace.contains(":") || namespace.contains("/")) {
            throw new InvalidSettingException("sync.cluster.namespace", namespace, "expected a name without ':' or '/'");
        }
        int interval = positive(properties, "sync.cluster.heartbeat-seconds");
        int missedHeartbeats = positive(properties, "sync.cluster.missed-heartbeats");

        FileLockClusterService service = new FileLockClusterService();
        service.setId("hf-gguf-sync-cluster");
        service.setRoot(dir);
        // the leader rewrites its heartbeat every interval; followers take over after `missedHeartbeats` silent ones
        service.setAcquireLockInterval(interval, TimeUnit.SECONDS);
        service.setHeartbeatTimeoutMultiplier(missedHeartbeats);
        service.setAcquireLockDelay(interval, TimeUnit.SECONDS);
        // Main only adds registry cluster services before configuration classes run, so add it to the context here
        context.getRegistry().bind(CLUSTER_SERVICE_BEAN, service);
        context.addService(service);
        properties.addOverrideProperty(SCHEDULE_SCOPE, "master:" + namespace + ":");
        LOG.info("Replicas: leader election in {} (namespace {}); only the leader's schedule fires, a dead leader is "
                + "replaced after about {}s", dir, namespace, interval * (missedHeartbeats + 2));
    }

    private static String text(PropertiesComponent properties, String key, String fallback) {
        Optional<String> value = properties.resolveProperty(key);
        return value.map(String::trim).orElse(fallback);
    }

    private static int positive(PropertiesComponent properties, String key) {
        String value = text(properties, key, "");
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below, with the key
        }
        throw new InvalidSettingException(key, value, "expected a whole number, at least 1");
    }
}
