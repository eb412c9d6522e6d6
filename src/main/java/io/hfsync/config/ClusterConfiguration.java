package io.hfsync.config;

import io.hfsync.settings.SyncSettings;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicas: with {@code sync.cluster.kind} file (or just {@code sync.cluster.dir}) or kubernetes, daemons elect one
 * leader through a Camel cluster service — camel-file's file lock in a shared directory, or camel-kubernetes' Lease
 * (coordination.k8s.io) — and the trigger routes of routes/replicas/ consume through {@code master:} so only the
 * leader's Quartz trigger and backfill tick fire (io.hfsync.app.ModeRoutes loads that folder instead of
 * routes/daemon/). Without one (or in one-shot mode, which cron or a CronJob schedules from outside) nothing is bound.
 * Runs after {@link SyncConfiguration}, whose checked {@link SyncSettings} it reads.
 */
public final class ClusterConfiguration implements CamelConfiguration {

    public static final String CLUSTER_SERVICE_BEAN = "hfSyncClusterService";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        SyncSettings settings = context.getRegistry().lookupByNameAndType(SyncConfiguration.SETTINGS_BEAN, SyncSettings.class);
        SyncSettings.Cluster cluster = settings == null ? SyncSettings.Cluster.NONE : settings.cluster();
        if (!cluster.enabled() || settings.once()) {
            return;
        }
        CamelClusterService service = switch (cluster.kind()) {
            case FILE -> fileLock(cluster);
            case KUBERNETES -> kubernetesLease(cluster);
            case NONE -> throw new IllegalStateException("no cluster service for " + cluster);
        };
        service.setId("hf-gguf-sync-cluster");
        // Main only adds registry cluster services before configuration classes run, so add it to the context here
        context.getRegistry().bind(CLUSTER_SERVICE_BEAN, service);
        context.addService(service);
    }

    private static FileLockClusterService fileLock(SyncSettings.Cluster cluster) {
        int interval = cluster.heartbeatSeconds();
        FileLockClusterService service = new FileLockClusterService();
        service.setRoot(cluster.dir());
        // the leader rewrites its heartbeat every interval; followers take over after `missedHeartbeats` silent ones
        service.setAcquireLockInterval(interval, TimeUnit.SECONDS);
        service.setHeartbeatTimeoutMultiplier(cluster.missedHeartbeats());
        service.setAcquireLockDelay(interval, TimeUnit.SECONDS);
        LOG.info("Replicas: leader election in {} (namespace {}); only the leader's schedule fires, a dead leader is "
                + "replaced after about {}s", cluster.dir(), cluster.namespace(), interval * (cluster.missedHeartbeats() + 2));
        return service;
    }

    /**
     * Camel's Kubernetes leadership controller: the leader holds the Lease {@code <leaseName>-<namespace>} and renews
     * it every heartbeat; the members are the Ready pods with the configured labels, and a follower takes the Lease
     * once its holder is no longer among them (its pod gone or not Ready). A leader that cannot renew within
     * heartbeat x missed-heartbeats stops its schedule by itself. The API server and credentials come from the pod's
     * service account (or KUBERNETES_MASTER / kubeconfig outside a cluster), the pod name from HOSTNAME.
     */
    private static KubernetesClusterService kubernetesLease(SyncSettings.Cluster cluster) {
        long retry = TimeUnit.SECONDS.toMillis(cluster.heartbeatSeconds());
        KubernetesClusterService service = new KubernetesClusterService();
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(cluster.leaseName());
        if (!cluster.kubernetesNamespace().isEmpty()) {
            service.setKubernetesResourcesNamespace(cluster.kubernetesNamespace());
        }
        service.setClusterLabels(cluster.podLabels());
        service.setRetryPeriodMillis(retry);
        service.setRenewDeadlineMillis(retry * cluster.missedHeartbeats());
        service.setLeaseDurationMillis(retry * (cluster.missedHeartbeats() + 1));
        LOG.info("Replicas: leader election through the Kubernetes Lease {}-{} in namespace {} among pods labelled {}; "
                + "only the leader's schedule fires", cluster.leaseName(), cluster.namespace(),
                cluster.kubernetesNamespace().isEmpty() ? "(the pod's own)" : cluster.kubernetesNamespace(),
                cluster.podLabels());
        return service;
    }
}
