package io.hfsync.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.mode.SyncMode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SyncSettingsTest {

    private static final String TOKEN = "hf_SecretTokenValue123";
    private static final Pattern ENV_DEFAULT = Pattern.compile("\\{\\{env:[A-Z_]+:(.*)}}");

    @TempDir
    Path dataDir;

    @Test
    void should_read_a_valid_full_set_of_properties() {
        SyncSettings s = read(validProperties());

        assertEquals("https://huggingface.co", s.hubUrl());
        assertEquals("", s.hubToken());
        assertEquals(500, s.pageSize());
        assertEquals(150, s.maxRequestsPerMinute());
        assertEquals(4, s.maxConcurrency());
        assertEquals(5, s.maxRetries());
        assertEquals(300, s.maxRetryWaitSeconds());
        assertTrue(s.fetchFileSizes());
        assertEquals(SyncMode.AUTO, s.mode());
        assertFalse(s.forceFull());
        assertEquals(Duration.ofHours(48), s.incrementalWindow());
        assertEquals(Duration.ofHours(168), s.fullSyncThreshold());
        assertEquals(0.1, s.significantChangeThreshold());
        assertEquals(0.2, s.maxRemovedFraction());
        assertEquals(Duration.ofHours(6), s.timeout());
        assertEquals(dataDir.toAbsolutePath().normalize(), s.dataDir());
        assertEquals("0 0 2 * * ?", s.cron());
        assertFalse(s.once());
        assertFalse(s.demo());
        assertEquals(Duration.ofMinutes(3), s.publishInterval());
    }

    @Test
    void should_read_a_publish_interval_of_zero_as_off() {
        Map<String, String> properties = validProperties();
        properties.put("sync.publish-interval-seconds", "0");
        assertEquals(Duration.ZERO, read(properties).publishInterval());
    }

    @Test
    void should_accept_the_defaults_written_in_application_properties() throws IOException {
        Path file = Path.of("application.properties");
        Assumptions.assumeTrue(Files.isRegularFile(file), "run from the project root");
        Map<String, String> defaults = defaultsOf(file);
        defaults.put("sync.data-dir", dataDir.toString());

        SyncSettings s = read(defaults);

        assertEquals(read(validProperties()), s);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "sync.mode | sometimes",
            "sync.incremental-window-hours | -1",
            "sync.full-sync-threshold-hours | -24",
            "sync.timeout-hours | -6",
            "sync.significant-change-threshold | 0",
            "sync.significant-change-threshold | 1.5",
            "sync.significant-change-threshold | NaN",
            "sync.max-removed-fraction | 0",
            "hub.page-size | 501",
            "hub.page-size | 0",
            "hub.page-size | many",
            "hub.max-concurrency | 0",
            "hub.max-retries | -1",
            "sync.cron | every night",
            "sync.cron | 0 0 2 * *",
            "hub.url | ftp://x",
            "hub.url | huggingface.co",
            "sync.force-full | maybe",
            "sync.once | 2",
            "sync.publish-interval-seconds | -1",
            "sync.publish-interval-seconds | 86401",
            "sync.publish-interval-seconds | 5m",
    })
    void should_refuse_a_bad_value_naming_key_and_value(String key, String value) {
        assertRefused(key, value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%20b", "data%2Fother", "what?", "dir#1", "x{{y}}"})
    void should_refuse_a_data_dir_that_camels_file_endpoints_would_read_as_uri_syntax(String name) {
        assertRefused("sync.data-dir", dataDir.resolve(name).toString());
        assertFalse(Files.exists(dataDir.resolve(name)), "nothing created");
    }

    @Test
    void should_refuse_a_data_dir_that_is_a_regular_file() throws IOException {
        Path file = Files.writeString(dataDir.resolve("not-a-dir"), "x");

        assertRefused("sync.data-dir", file.toString());
    }

    @Test
    void should_refuse_a_missing_key_naming_it() {
        Map<String, String> props = validProperties();
        props.remove("sync.mode");

        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(props));
        assertTrue(e.getMessage().contains("sync.mode"), e.getMessage());
    }

    @Test
    void should_accept_a_threshold_of_exactly_one() {
        assertEquals(1.0, read(with("sync.significant-change-threshold", "1")).significantChangeThreshold());
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "1", "yes", "TRUE", "Yes", " yes "})
    void should_read_seed_style_true_values(String value) {
        assertTrue(read(with("sync.force-full", value)).forceFull());
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "0", "no", ""})
    void should_read_seed_style_false_values(String value) {
        assertFalse(read(with("sync.force-full", value)).forceFull());
    }

    @ParameterizedTest
    @CsvSource({"full, FULL", "incremental, INCREMENTAL", "AUTO, AUTO", "' Full ', FULL"})
    void should_read_the_mode_in_any_case(String value, SyncMode expected) {
        assertEquals(expected, read(with("sync.mode", value)).mode());
    }

    @Test
    void should_drop_a_trailing_slash_from_the_hub_url() {
        assertEquals("http://localhost:8080", read(with("hub.url", "http://localhost:8080/")).hubUrl());
    }

    @Test
    void should_accept_demo_as_hub_url() {
        assertTrue(read(with("hub.url", "demo")).demo());
    }

    @Test
    void should_create_a_missing_data_dir() {
        Path missing = dataDir.resolve("a").resolve("b");

        assertEquals(missing.toAbsolutePath().normalize(), read(with("sync.data-dir", missing.toString())).dataDir());
        assertTrue(Files.isDirectory(missing));
    }

    @Test
    void should_read_the_token_from_hub_token() {
        Map<String, String> props = with("hub.token", TOKEN);
        props.put("hub.legacy-token", "hf_legacy");

        assertEquals(TOKEN, read(props).hubToken());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void should_fall_back_to_the_legacy_token_when_hub_token_is_empty(String hubToken) {
        Map<String, String> props = with("hub.token", hubToken);
        props.put("hub.legacy-token", " " + TOKEN + " ");

        assertEquals(TOKEN, read(props).hubToken());
    }

    @Test
    void should_have_no_token_when_neither_key_is_set() {
        Map<String, String> props = validProperties();
        props.remove("hub.token");
        props.remove("hub.legacy-token");

        assertEquals("", read(props).hubToken());
    }

    @Test
    void should_never_show_the_token_in_to_string() {
        SyncSettings s = read(with("hub.token", TOKEN));

        assertFalse(s.toString().contains(TOKEN), s.toString());
        assertFalse(s.toString().contains("SecretToken"), s.toString());
        assertTrue(s.toString().contains("token=set"), s.toString());
        assertTrue(read(validProperties()).toString().contains("token=none"));
    }

    private void assertRefused(String key, String value) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(with(key, value)));

        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains("'" + value.trim() + "'"), e.getMessage());
    }

    private static SyncSettings read(Map<String, String> props) {
        return SyncSettings.read(key -> Optional.ofNullable(props.get(key)));
    }

    private Map<String, String> with(String key, String value) {
        Map<String, String> props = validProperties();
        props.put(key, value);
        return props;
    }

    /** Every key of application.properties with the documented default, the data dir in a temp folder. */
    private Map<String, String> validProperties() {
        Map<String, String> p = new HashMap<>();
        p.put("hub.url", "https://huggingface.co");
        p.put("hub.token", "");
        p.put("hub.legacy-token", "");
        p.put("hub.page-size", "500");
        p.put("hub.max-requests-per-minute", "150");
        p.put("hub.max-concurrency", "4");
        p.put("hub.max-retries", "5");
        p.put("hub.max-retry-wait-seconds", "300");
        p.put("sync.fetch-file-sizes", "true");
        p.put("sync.mode", "auto");
        p.put("sync.force-full", "false");
        p.put("sync.incremental-window-hours", "48");
        p.put("sync.full-sync-threshold-hours", "168");
        p.put("sync.significant-change-threshold", "0.1");
        p.put("sync.max-removed-fraction", "0.2");
        p.put("sync.allow-mass-removal", "false");
        p.put("sync.timeout-hours", "6");
        p.put("sync.data-dir", dataDir.toString());
        p.put("sync.cron", "0 0 2 * * ?");
        p.put("sync.once", "false");
        return p;
    }

    /** The project's application.properties with each {@code {{env:NAME:default}}} replaced by its default. */
    private static Map<String, String> defaultsOf(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        }
        Map<String, String> defaults = new HashMap<>();
        for (String key : props.stringPropertyNames()) {
            Matcher m = ENV_DEFAULT.matcher(props.getProperty(key).trim());
            defaults.put(key, m.matches() ? m.group(1) : props.getProperty(key).trim());
        }
        return defaults;
    }
}
