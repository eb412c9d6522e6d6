package io.hfsync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.hfsync.standin.HubSnapshot;
import io.hfsync.standin.StandInHub;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 part 3: two daemons of the packaged jar with {@code SYNC_CLUSTER=kubernetes} against a Kubernetes API
 * server (fabric8's mock server in CRUD mode, on loopback) in which their two pods are Running and Ready, as a
 * Deployment of two replicas would be. They elect one leader through the Lease {@code leaders-hf-gguf-sync}; only
 * the leader syncs. When the leader dies (kill -9, and its pod leaves the API as Kubernetes removes a dead pod), the
 * other takes the Lease and syncs.
 */
class KubernetesLeaseIT {

    static final String NAMESPACE = "hf-test";
    static final String LEASE = "leaders-hf-gguf-sync";
    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "hf-gguf-sync");

    @TempDir
    Path work;

    KubernetesMockServer apiServer;
    KubernetesClient kubernetes;

    @BeforeEach
    void startApiServer() throws Exception {
        apiServer = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        apiServer.init(InetAddress.getByName("127.0.0.1"), 0);
        kubernetes = apiServer.createClient();
    }

    @AfterEach
    void stopApiServer() {
        kubernetes.close();
        apiServer.destroy();
    }

    @Test
    void should_sync_on_the_lease_holder_only_and_fail_over_when_its_pod_dies() throws Exception {
        HubSnapshot snapshot = new HubSnapshot();
        Instant now = Instant.now();
        for (int i = 0; i < 3; i++) {
            snapshot.put(SyncHarness.repo("lease/Model-" + i + "-GGUF", now.minus(Duration.ofDays(i + 1))));
        }
        readyPod("replica-a");
        readyPod("replica-b");
        try (StandInHub hub = StandInHub.start(snapshot)) {
            Map<String, String> env = new HashMap<>(Map.of(
                    "HF_ENDPOINT", hub.baseUrl(),
                    "DATA_DIR", work.resolve("data").toString(),
                    "SYNC_CRON", "0/2 * * * * ?",
                    "SYNC_CLUSTER", "kubernetes",
                    "SYNC_CLUSTER_KUBERNETES_NAMESPACE", NAMESPACE,
                    "SYNC_CLUSTER_HEARTBEAT_SECONDS", "1"));
            // the fabric8 client's own configuration, as outside a cluster: this API server, no kubeconfig
            env.put("KUBERNETES_MASTER", "http://127.0.0.1:" + apiServer.getPort());
            env.put("KUBERNETES_NAMESPACE", NAMESPACE);
            env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
            env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
            env.put("KUBECONFIG", work.resolve("no-kubeconfig").toString());
            Map<String, String> envA = new HashMap<>(env);
            envA.put("HOSTNAME", "replica-a");
            Map<String, String> envB = new HashMap<>(env);
            envB.put("HOSTNAME", "replica-b");
            try (JarProcess a = JarProcess.start("replica-a", work, envA);
                    JarProcess b = JarProcess.start("replica-b", work, envB)) {
                List<JarProcess> replicas = List.of(a, b);
                await("the leader syncs three times").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .failFast(() -> replicas.stream().anyMatch(r -> !r.process.isAlive()))
                        .until(() -> a.reports() + b.reports() >= 3);
                JarProcess leader = a.reports() > 0 ? a : b;
                JarProcess follower = leader == a ? b : a;
                assertEquals(leader.name, holder(), "the Lease names the replica that syncs");
                await("the leader syncs once more").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> leader.reports() >= 4);
                assertEquals(0, follower.reports(), () -> "only the leader syncs; follower log:\n" + follower.output());
                assertTrue(follower.process.isAlive(), follower::output);

                // the leader dies: no more renewals, and Kubernetes takes its pod out of the Ready pods
                leader.process.destroyForcibly();
                assertTrue(leader.process.waitFor(10, TimeUnit.SECONDS));
                kubernetes.pods().inNamespace(NAMESPACE).withName(leader.name).delete();
                long killedAt = System.nanoTime();
                await("the follower takes the Lease and syncs").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> follower.reports() >= 1);
                System.out.printf("Lease fail-over: %s synced %.1f s after kill -9 of %s%n", follower,
                        (System.nanoTime() - killedAt) / 1e9, leader);
                assertEquals(follower.name, holder(), follower.output());

                JsonNode catalog = SyncHarness.read(work.resolve("data").resolve("gguf_models.json"));
                assertEquals(3, catalog.get("models").size());
            }
        }
    }

    private String holder() {
        Lease lease = kubernetes.leases().inNamespace(NAMESPACE).withName(LEASE).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** A pod as the kubelet reports it once its container runs and passes its readiness probe. */
    private void readyPod(String name) {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(LABELS).endMetadata()
                .withNewSpec().addNewContainer().withName("hf-gguf-sync").withImage("hf-gguf-sync").endContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("hf-gguf-sync").withReady(true).endContainerStatus()
                .endStatus()
                .build();
        kubernetes.pods().inNamespace(NAMESPACE).resource(pod).create();
    }
}
