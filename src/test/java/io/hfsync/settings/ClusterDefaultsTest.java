package io.hfsync.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The replicas' defaults are one fact kept in one reference, {@code application.properties} (what the jar and
 * {@code camel run} read, with its comments); {@link SyncSettings.Cluster#NONE} must repeat them for a Camel host
 * that embeds the routes and defines no {@code sync.cluster.*} key. This test keeps the two equal, so a default
 * changed in one place and not the other fails the build instead of giving hosts and the jar different replicas.
 */
class ClusterDefaultsTest {

    private static final Pattern ENV_DEFAULT = Pattern.compile("\\{\\{env:[A-Z0-9_]+:(.*)}}");

    @Test
    void should_give_a_host_without_cluster_keys_the_defaults_application_properties_gives_the_jar() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        SyncSettings.Cluster none = SyncSettings.Cluster.NONE;
        assertEquals(defaultOf(properties, "sync.cluster.kind"), "", "empty kind: none without a directory");
        assertEquals(defaultOf(properties, "sync.cluster.dir"), none.dir());
        assertEquals(defaultOf(properties, "sync.cluster.namespace"), none.namespace());
        assertEquals(defaultOf(properties, "sync.cluster.heartbeat-seconds"), Integer.toString(none.heartbeatSeconds()));
        assertEquals(defaultOf(properties, "sync.cluster.missed-heartbeats"), Integer.toString(none.missedHeartbeats()));
        assertEquals(defaultOf(properties, "sync.cluster.kubernetes.lease-name"), none.leaseName());
        assertEquals(defaultOf(properties, "sync.cluster.kubernetes.namespace"), none.kubernetesNamespace());
        Map<String, String> labels = none.podLabels();
        assertEquals(1, labels.size(), "one pod label by default");
        Map.Entry<String, String> label = labels.entrySet().iterator().next();
        assertEquals(defaultOf(properties, "sync.cluster.kubernetes.pod-labels"), label.getKey() + "=" + label.getValue());
    }

    private static String defaultOf(Properties properties, String key) {
        String value = properties.getProperty(key);
        Matcher m = ENV_DEFAULT.matcher(value == null ? "" : value.trim());
        if (!m.matches()) {
            throw new AssertionError(key + " in application.properties is not {{env:NAME:default}}: " + value);
        }
        return m.group(1);
    }
}
