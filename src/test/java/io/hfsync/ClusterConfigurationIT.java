package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.config.ClusterConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 5 part 3, in process: what {@code sync.cluster.dir} changes, and what it leaves alone. */
class ClusterConfigurationIT {


    @TempDir
    Path work;

    @Test
    void should_schedule_through_master_with_the_file_lock_cluster_service_when_the_cluster_dir_is_set() throws Exception {
        SyncHarness app = new SyncHarness(work.resolve("data"), T0);
        Path clusterDir = work.resolve("cluster");
        try (RunningDaemon daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER,
                "sync.cluster.dir=" + clusterDir, "sync.cluster.namespace=catalog-a")) {
            String from = daemon.context().getRoute("hf-sync-schedule").getEndpoint().getEndpointUri();
            assertTrue(from.startsWith("master://catalog-a:quartz:") || from.startsWith("master:catalog-a:quartz:"), from);
            FileLockClusterService service = daemon.context().getRegistry()
                    .lookupByNameAndType(ClusterConfiguration.CLUSTER_SERVICE_BEAN, FileLockClusterService.class);
            assertEquals(clusterDir.toString(), service.getRoot());
            assertEquals(5, service.getAcquireLockInterval());
            assertEquals(3, service.getHeartbeatTimeoutMultiplier());
        }
    }

    @Test
    void should_leave_one_shot_runs_and_unclustered_daemons_without_election() throws Exception {
        SyncHarness app = new SyncHarness(work.resolve("data"), T0);
        app.snapshot().put(repo("cluster/Model-GGUF", T0.minus(Duration.ofDays(1))));
        Path clusterDir = work.resolve("cluster");

        assertEquals(0, app.sync("sync.cluster.dir=" + clusterDir));
        assertFalse(Files.exists(clusterDir), "a one-shot run takes part in no election");

        try (RunningDaemon daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER)) {
            String from = daemon.context().getRoute("hf-sync-schedule").getEndpoint().getEndpointUri();
            assertTrue(from.startsWith("quartz:"), from);
        }
    }
}
