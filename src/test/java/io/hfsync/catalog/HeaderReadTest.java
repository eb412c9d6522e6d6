package io.hfsync.catalog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When a model's GGUF header read of its sha is done (docs/gguf-headers.md). */
class HeaderReadTest {

    private static CatalogEntry entry(String error, List<GgufFile> files) {
        return new CatalogEntry("o/m-GGUF", null, "abc", null, null, null, null, null, null, null, null, null, null, null,
                null, null, false, null, error, null, files);
    }

    @Test
    void should_take_a_reason_as_done() {
        assertTrue(entry("HTTP 404", List.of(GgufFile.single("m-Q4_K_M.gguf", 4_000L))).headerRead());
        assertTrue(entry(CatalogEntry.NO_WEIGHTS_FILE, List.of(GgufFile.single("mmproj-m-f16.gguf", 600L))).headerRead());
        assertTrue(entry(CatalogEntry.NO_WEIGHTS_FILE, List.of()).headerRead());
        assertFalse(entry(null, List.of(GgufFile.single("m-Q4_K_M.gguf", 4_000L))).headerRead());
    }

    @Test
    void should_not_take_no_complete_weights_file_as_done_for_a_model_that_has_one() {
        // what versions before 2026-12-06 wrote for every repo whose sizes were not fetched
        assertFalse(entry(CatalogEntry.NO_WEIGHTS_FILE, List.of(GgufFile.single("m-Q4_K_M.gguf", null))).headerRead());
        assertTrue(entry(CatalogEntry.NO_WEIGHTS_FILE,
                List.of(new GgufFile("m-Q8_0-00001-of-00002.gguf", "Q8_0", null, FileRole.WEIGHTS, 2, false))).headerRead());
    }
}
