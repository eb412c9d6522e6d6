package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.standin.HubSnapshot;
import io.hfsync.standin.StandInHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 10: secrets in the packaged jar's output. The seed's token key given as {@code -D} or through Camel's
 * environment mapping is masked in Camel's property summary, a Hub URL with user-info is refused with exit 2 and
 * without echoing the password, and a token bound for plain {@code http://} off this machine earns one warning.
 */
class SecretsIT {

    static StandInHub hub;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startHub() {
        hub = SyncHarness.startHub("secret", 3);
    }

    @AfterAll
    static void stopHub() {
        hub.close();
    }

    private JarProcess.Ended run(List<String> jvmOptions, Map<String, String> env) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("DATA_DIR", dataDir.toString());
        return JarProcess.run(dataDir.getParent(), null, jvmOptions, all, "--once");
    }

    @Test
    void should_mask_the_seed_token_given_as_a_system_property_in_camels_summary() throws Exception {
        hub.resetCounters();
        JarProcess.Ended run = run(List.of("-Dhub.legacy-token=hf_legacySysProp42"), Map.of("HF_ENDPOINT", hub.baseUrl()));

        assertEquals(0, run.exitCode(), run.stdout());
        assertTrue(hub.authorizationHeaders().contains("Bearer hf_legacySysProp42"), "the token is used");
        assertFalse(run.stdout().contains("hf_legacySysProp42"), "never printed");
        assertFalse(run.stderr().contains("hf_legacySysProp42"));
        assertTrue(run.stdout().contains("hub.legacy-token = xxxxxx"), "listed, masked");
        assertFalse(run.stdout().contains("unencrypted"), "loopback http is no reason to warn");
    }

    @Test
    void should_mask_the_seed_token_given_through_camels_environment_mapping() throws Exception {
        JarProcess.Ended run = run(List.of(), Map.of("HF_ENDPOINT", hub.baseUrl(), "HUB_LEGACY_TOKEN", "hf_legacyEnv42",
                "CAMEL_MAIN_ADDITIONALSENSITIVEKEYWORDS", "somethingelse"));

        assertEquals(0, run.exitCode(), run.stdout());
        assertFalse(run.stdout().contains("hf_legacyEnv42"), "never printed, even when the keyword list is overridden");
        assertTrue(run.stdout().contains("hub.legacy-token = xxxxxx"), run.stdout());
    }

    @Test
    void should_refuse_user_info_in_the_hub_url_with_exit_2_and_one_line() throws Exception {
        hub.resetCounters();
        String url = hub.baseUrl().replace("http://", "http://alice:pw_s3cret99@");

        JarProcess.Ended run = run(List.of(), Map.of("HF_ENDPOINT", url));

        assertEquals(2, run.exitCode(), run.stdout());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
        assertTrue(run.stderr().contains("hub.url") && run.stderr().contains("user-info"), run.stderr());
        assertFalse(run.stderr().contains("pw_s3cret99") || run.stdout().contains("pw_s3cret99"), "the password is not echoed");
        assertFalse(run.stderr().contains("alice") || run.stdout().contains("alice"));
        assertEquals(0, hub.requests(), "no Hub call");
        assertFalse(Files.exists(dataDir.resolve("last_sync_metadata.json")));
    }

    @Test
    void should_warn_once_when_the_token_would_go_over_plain_http_to_another_host() throws Exception {
        // .invalid never resolves (RFC 2606): the run fails without a byte leaving this machine
        JarProcess.Ended run = run(List.of(), Map.of("HF_ENDPOINT", "http://hub.invalid", "HF_TOKEN", "hf_plainHttp42",
                "HUB_MAX_RETRIES", "0"));

        assertEquals(1, run.exitCode(), run.stdout());
        long warnings = run.stdout().lines().filter(line -> line.contains("WARN") && line.contains("unencrypted")).count();
        assertEquals(1, warnings, run.stdout());
        assertFalse(run.stdout().contains("hf_plainHttp42"));
    }
}
