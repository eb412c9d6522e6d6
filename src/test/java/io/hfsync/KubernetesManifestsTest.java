package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 part 3, offline: the manifests in {@code deploy/kubernetes/} parse into the Kubernetes API types of the
 * fabric8 model (a field the API does not know fails the test, as the API server would refuse it) and say what the
 * README promises. No cluster runs here, so {@code kubectl apply} itself was not tried.
 */
class KubernetesManifestsTest {

    static final Path DIR = Path.of("deploy", "kubernetes");

    @Test
    void should_parse_every_manifest_into_api_types_without_unknown_fields() throws Exception {
        List<HasMetadata> all = new ArrayList<>();
        try (var files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (HasMetadata resource : load(file)) {
                    List<String> unknown = new ArrayList<>();
                    unknownFields(resource, resource.getKind(), unknown);
                    assertTrue(unknown.isEmpty(), () -> file + ": fields the API does not know: " + unknown);
                    assertNotNull(resource.getMetadata().getName(), file::toString);
                    all.add(resource);
                }
            }
        }
        assertEquals(List.of("ServiceAccount", "Role", "RoleBinding", "PersistentVolumeClaim", "Deployment", "CronJob"),
                all.stream().map(HasMetadata::getKind).sorted((x, y) -> order(x) - order(y)).toList());
    }

    @Test
    void should_run_two_non_root_replicas_with_probes_a_volume_and_the_lease_election() throws Exception {
        Deployment deployment = one(load(DIR.resolve("deployment.yaml")), Deployment.class);
        PersistentVolumeClaim claim = one(load(DIR.resolve("deployment.yaml")), PersistentVolumeClaim.class);
        assertEquals(2, deployment.getSpec().getReplicas());
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertNonRoot(pod);
        Container container = pod.getContainers().get(0);
        assertEquals("/observe/health/live", container.getLivenessProbe().getHttpGet().getPath());
        // readiness is its own check (context, routes, consumers), not the liveness path: issue 29
        assertEquals("/observe/health/ready", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals(9876, container.getPorts().get(0).getContainerPort());
        assertEquals("9876", env(container, "MANAGEMENT_PORT"));
        assertFalse(container.getResources().getRequests().isEmpty());
        assertFalse(container.getResources().getLimits().isEmpty());
        assertEquals("kubernetes", env(container, "SYNC_CLUSTER"));
        assertDataOnClaim(pod, container, claim.getMetadata().getName());
        assertTrue(claim.getSpec().getAccessModes().contains("ReadWriteMany"), "two pods mount DATA_DIR");

        // the election's members are the pods with the labels application.properties expects
        Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        String expected = defaultOf("sync.cluster.kubernetes.pod-labels");
        for (String pair : expected.split(",")) {
            String[] kv = pair.split("=");
            assertEquals(kv[1], labels.get(kv[0]), "pod label " + kv[0]);
        }

        // and the service account may do what the Lease election does
        List<HasMetadata> rbac = load(DIR.resolve("rbac.yaml"));
        ServiceAccount account = one(rbac, ServiceAccount.class);
        Role role = one(rbac, Role.class);
        RoleBinding binding = one(rbac, RoleBinding.class);
        assertEquals(account.getMetadata().getName(), pod.getServiceAccountName());
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals(account.getMetadata().getName(), binding.getSubjects().get(0).getName());
        assertTrue(allows(role, "coordination.k8s.io", "leases", List.of("get", "create", "update")), role.toString());
        assertTrue(allows(role, "", "pods", List.of("list")), role.toString());
    }

    @Test
    void should_run_one_shot_syncs_from_a_cron_job() throws Exception {
        CronJob cronJob = one(load(DIR.resolve("cronjob.yaml")), CronJob.class);
        assertEquals("Forbid", cronJob.getSpec().getConcurrencyPolicy());
        PodSpec pod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertNonRoot(pod);
        Container container = pod.getContainers().get(0);
        assertEquals(List.of("--once"), container.getArgs());
        assertEquals("Never", pod.getRestartPolicy());
        assertDataOnClaim(pod, container, "hf-gguf-sync-data");
    }

    static List<HasMetadata> load(Path file) throws IOException {
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : Files.readString(file).split("(?m)^---$")) {
            if (!document.strip().replaceAll("(?m)^#.*$", "").isBlank()) {
                resources.add(Serialization.unmarshal(document, HasMetadata.class));
            }
        }
        return resources;
    }

    static <T> T one(List<HasMetadata> resources, Class<T> type) {
        List<T> found = resources.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), type.getSimpleName());
        return found.get(0);
    }

    static void assertNonRoot(PodSpec pod) {
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(10001L, pod.getSecurityContext().getRunAsUser(), "the image's uid (Dockerfile)");
    }

    static void assertDataOnClaim(PodSpec pod, Container container, String claim) {
        String dataDir = env(container, "DATA_DIR");
        var mount = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(dataDir)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at DATA_DIR " + dataDir));
        var volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertEquals(claim, volume.getPersistentVolumeClaim().getClaimName());
    }

    static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + container.getName()));
    }

    static boolean allows(Role role, String group, String resource, List<String> verbs) {
        for (PolicyRule rule : role.getRules()) {
            if (rule.getApiGroups().contains(group) && rule.getResources().contains(resource)
                    && rule.getVerbs().containsAll(verbs)) {
                return true;
            }
        }
        return false;
    }

    /** The default of {@code key} in application.properties ({@code {{env:NAME:default}}}). */
    static String defaultOf(String key) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(Path.of("application.properties"))) {
            properties.load(in);
        }
        Matcher m = Pattern.compile("\\{\\{env:[A-Z_]+:(.*)}}").matcher(properties.getProperty(key));
        assertTrue(m.matches(), key);
        return m.group(1);
    }

    private static int order(String kind) {
        return List.of("ServiceAccount", "Role", "RoleBinding", "PersistentVolumeClaim", "Deployment", "CronJob")
                .indexOf(kind);
    }

    /** Fields the fabric8 model kept as "additional properties": names the Kubernetes API does not have. */
    private static void unknownFields(Object node, String path, List<String> unknown) throws Exception {
        if (node == null || !node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            if (node instanceof Collection<?> items) {
                int i = 0;
                for (Object item : items) {
                    unknownFields(item, path + "[" + i++ + "]", unknown);
                }
            }
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                Map<?, ?> extra = (Map<?, ?>) getter.invoke(node);
                extra.keySet().forEach(k -> unknown.add(path + "." + k));
            } else if (getter.getName().startsWith("get") && !getter.getName().equals("getClass")) {
                unknownFields(getter.invoke(node), path + "." + getter.getName().substring(3), unknown);
            }
        }
    }
}
