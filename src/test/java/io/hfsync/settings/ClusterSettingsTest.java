package io.hfsync.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.settings.SyncSettings.Cluster.Kind;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 17 part 3: how SYNC_CLUSTER and its keys choose the election, and what they refuse (exit 2). */
class ClusterSettingsTest {

    private static final Pattern ENV_DEFAULT = Pattern.compile("\\{\\{env:[A-Z_]+:(.*)}}");

    @TempDir
    Path dataDir;

    @Test
    void should_elect_through_the_kubernetes_lease_with_the_documented_defaults() throws IOException {
        SyncSettings.Cluster cluster = read(Map.of("sync.cluster.kind", "kubernetes")).cluster();
        assertEquals(Kind.KUBERNETES, cluster.kind());
        assertEquals("leaders", cluster.leaseName());
        assertEquals("hf-gguf-sync", cluster.namespace());
        assertEquals("", cluster.kubernetesNamespace());
        assertEquals(Map.of("app.kubernetes.io/name", "hf-gguf-sync"), cluster.podLabels());
    }

    @ParameterizedTest(name = "kind ''{0}'', dir ''{1}'' -> {2}")
    @CsvSource({"'', '', NONE", "'', /shared, FILE", "file, /shared, FILE", "none, /shared, NONE",
            "Kubernetes, '', KUBERNETES"})
    void should_keep_a_directory_alone_meaning_the_file_lock(String kind, String dir, Kind expected) throws IOException {
        assertEquals(expected, read(Map.of("sync.cluster.kind", kind, "sync.cluster.dir", dir)).cluster().kind());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "sync.cluster.kind | zookeeper",
            "sync.cluster.kubernetes.lease-name | Leaders_A",
            "sync.cluster.kubernetes.namespace | Prod_NS",
            "sync.cluster.kubernetes.namespace | ns.with.dots",
            "sync.cluster.kubernetes.namespace | -leading",
            "sync.cluster.kubernetes.namespace | aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "sync.cluster.kubernetes.pod-labels | app",
            "sync.cluster.missed-heartbeats | 1",
    })
    void should_refuse_a_bad_kubernetes_setting_naming_key_and_value(String key, String value) {
        Map<String, String> props = new HashMap<>(Map.of("sync.cluster.kind", "kubernetes"));
        props.put(key, value);
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(props));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(value), e.getMessage());
    }

    @Test
    void should_refuse_the_file_lock_without_a_directory() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> read(Map.of("sync.cluster.kind", "file")));
        assertTrue(e.getMessage().contains("sync.cluster.dir"), e.getMessage());
    }

    /** application.properties with every {{env:NAME:default}} at its default, then {@code overrides}. */
    private SyncSettings read(Map<String, String> overrides) throws IOException {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(in);
        }
        Map<String, String> props = new HashMap<>();
        for (String key : file.stringPropertyNames()) {
            Matcher m = ENV_DEFAULT.matcher(file.getProperty(key));
            props.put(key, m.matches() ? m.group(1) : file.getProperty(key));
        }
        props.put("sync.data-dir", dataDir.toString());
        props.putAll(overrides);
        return SyncSettings.read(key -> Optional.ofNullable(props.get(key)));
    }
}
