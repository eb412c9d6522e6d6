package io.hfsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hfsync.catalog.FileRole;
import io.hfsync.catalog.GgufFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which file's GGUF header a model's read takes (docs/gguf-headers.md, "Which file"). */
class WeightsFileToReadTest {

    @Test
    void should_take_the_smallest_complete_weights_file() {
        List<GgufFile> files = List.of(GgufFile.single("m-Q8_0.gguf", 8_000L), GgufFile.single("m-Q4_K_M.gguf", 4_000L),
                GgufFile.single("mmproj-m-f16.gguf", 600L),
                new GgufFile("m-Q2_K-00001-of-00002.gguf", "Q2_K", 2_000L, FileRole.WEIGHTS, 2, false));
        assertEquals("m-Q4_K_M.gguf", GgufHeaders.weightsFileToRead(files).name());
    }

    @Test
    void should_take_the_first_complete_weights_file_by_name_when_no_size_is_known() {
        // FETCH_FILE_SIZES=false: every quantisation carries the same header
        List<GgufFile> files = List.of(GgufFile.single("m-Q8_0.gguf", null), GgufFile.single("m-Q4_K_M.gguf", null),
                GgufFile.single("mmproj-m-f16.gguf", null));
        assertEquals("m-Q4_K_M.gguf", GgufHeaders.weightsFileToRead(files).name());
    }

    @Test
    void should_prefer_a_file_of_known_size() {
        List<GgufFile> files = List.of(GgufFile.single("a-Q2_K.gguf", null), GgufFile.single("b-Q8_0.gguf", 8_000L));
        assertEquals("b-Q8_0.gguf", GgufHeaders.weightsFileToRead(files).name());
    }

    @Test
    void should_find_none_without_a_complete_weights_file() {
        assertNull(GgufHeaders.weightsFileToRead(List.of(GgufFile.single("mmproj-m-f16.gguf", 600L),
                new GgufFile("m-Q8_0-00001-of-00002.gguf", "Q8_0", null, FileRole.WEIGHTS, 2, false))));
        assertNull(GgufHeaders.weightsFileToRead(null));
    }
}
