package io.hfsync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.standin.HubSnapshot;
import io.hfsync.standin.StandInHub;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 part 3: two daemons of the packaged jar share a data directory and {@code SYNC_CLUSTER_DIR}. They elect
 * one leader through Camel's file-lock cluster service; only the leader's schedule fires; after {@code kill -9} of
 * the leader the other takes over and syncs within 60 s.
 */
class ReplicaFailoverIT {

    static final int MODELS = 5;

    @TempDir
    Path work;

    @Test
    void should_sync_on_one_replica_only_and_fail_over_within_60_seconds_after_kill_9() throws Exception {
        HubSnapshot snapshot = new HubSnapshot();
        Instant now = Instant.now();
        for (int i = 0; i < MODELS; i++) {
            snapshot.put(SyncHarness.repo("replica/Model-" + i + "-GGUF", now.minus(Duration.ofDays(i + 1))));
        }
        try (StandInHub hub = StandInHub.start(snapshot)) {
            Map<String, String> env = Map.of(
                    "HF_ENDPOINT", hub.baseUrl(),
                    "DATA_DIR", work.resolve("data").toString(),
                    "SYNC_CLUSTER_DIR", work.resolve("cluster").toString(),
                    "SYNC_CRON", "0/2 * * * * ?");
            try (JarProcess a = JarProcess.start("replica-a", work, env);
                    JarProcess b = JarProcess.start("replica-b", work, env)) {
                List<JarProcess> replicas = List.of(a, b);
                await("both replicas joined the election").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> replicas.stream().allMatch(r -> r.output().contains("Started hf-sync-schedule")
                                || !r.process.isAlive()));
                replicas.forEach(r -> assertTrue(r.process.isAlive(), () -> r + " died:\n" + r.output()));

                // with both in the election, the leader syncs every 2 s; the follower does not sync at all
                await("the leader syncs three times").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> a.reports() + b.reports() >= 3);
                JarProcess leader = a.reports() > 0 ? a : b;
                JarProcess follower = leader == a ? b : a;
                // by now the follower has made its first leadership attempt (after one heartbeat interval) and lost
                await("the leader syncs once more").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> leader.reports() >= 4);
                assertEquals(0, follower.reports(), () -> "only the leader syncs; follower log:\n" + follower.output());

                leader.process.destroyForcibly();
                assertTrue(leader.process.waitFor(10, TimeUnit.SECONDS));
                long killedAt = System.nanoTime();
                await("the follower takes over and syncs").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> follower.reports() >= 1);
                Duration failover = Duration.ofNanos(System.nanoTime() - killedAt);
                System.out.printf("fail-over: %s took over and synced %.1f s after kill -9 of %s%n", follower,
                        failover.toMillis() / 1000.0, leader);
                assertTrue(follower.output().contains("Leadership taken"), follower.output());

                JsonNode catalog = SyncHarness.read(work.resolve("data").resolve("gguf_models.json"));
                assertEquals(MODELS, catalog.get("models").size());
            }
        }
    }
}
