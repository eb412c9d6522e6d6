package io.hfsync.hub;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HubUrlsTest {

    private static final String HUB = "https://huggingface.co";

    @ParameterizedTest
    @ValueSource(strings = {"https://huggingface.co/api/models?cursor=abc", "https://huggingface.co:443/api/models",
            "HTTPS://HuggingFace.co/api/models"})
    void should_accept_the_same_origin_with_or_without_the_default_port(String url) {
        assertTrue(HubUrls.sameOrigin(HUB, url));
    }

    @Test
    void should_apply_port_80_by_default_for_http() {
        assertTrue(HubUrls.sameOrigin("http://127.0.0.1:80", "http://127.0.0.1/api/models"));
        assertTrue(HubUrls.sameOrigin("http://localhost:8080", "http://localhost:8080/api/models?cursor=x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/api/models", "https://huggingface.co.evil.example/api/models",
            "https://huggingface.co@evil.example/api/models", "http://huggingface.co/api/models",
            "https://huggingface.co:8443/api/models", "/api/models?cursor=x"})
    void should_refuse_another_host_scheme_or_port(String url) {
        assertFalse(HubUrls.sameOrigin(HUB, url));
    }

    @ParameterizedTest
    @CsvSource({"http://localhost:8080, http://localhost:8081/x", "http://localhost, https://localhost:80/x"})
    void should_refuse_a_different_port_even_on_the_same_host(String hub, String url) {
        assertFalse(HubUrls.sameOrigin(hub, url));
    }

    @Test
    void should_fail_naming_the_other_origin_when_required() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> HubUrls.requireSameOrigin(HUB, "http://evil.example/api/models?cursor=x"));

        assertEquals("Hub sent a next-page link to another origin (http://evil.example), refusing to follow it",
                e.getMessage());
        assertDoesNotThrow(() -> HubUrls.requireSameOrigin(HUB, HUB + "/api/models?cursor=x"));
    }
}
