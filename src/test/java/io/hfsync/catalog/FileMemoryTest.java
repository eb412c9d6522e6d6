package io.hfsync.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hfsync.gguf.GgufHeader;
import io.hfsync.memory.MemoryEstimate;
import io.hfsync.memory.MemoryEstimator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A model's files and header in, each file's memory and the model's vision projector out (docs/memory.md). */
class FileMemoryTest {

    private static final long GIB = 1L << 30;

    @Test
    void should_estimate_every_context_the_header_reaches_for_a_complete_weights_file() {
        List<GgufFile> files = FileMemory.withMemory(List.of(GgufFile.single("m.Q4_K_M.gguf", 4_920_000_000L)),
                TestEntries.llama31("s"));

        List<MemoryEstimate> memory = files.get(0).memory();
        assertEquals(List.of(4096L, 8192L, 32768L, 131072L), memory.stream().map(MemoryEstimate::context).toList());
        assertEquals(MemoryEstimator.estimates(4_920_000_000L, TestEntries.llama31("s")), memory);
        // 32 layers x 8 heads x 256 values x 2 bytes a cell: 1 GiB at 8192
        assertEquals(GIB, memory.get(1).kvCache());
        assertEquals(4_920_000_000L + GIB + memory.get(1).compute(), memory.get(1).total());
    }

    @Test
    void should_give_a_split_set_the_sum_of_its_parts() {
        List<GgufFile> files = GgufFiles.logicalFiles(List.of(
                new GgufFiles.RepoFile("Q8_0/m-Q8_0-00001-of-00002.gguf", 5_000_000_000L),
                new GgufFiles.RepoFile("Q8_0/m-Q8_0-00002-of-00002.gguf", 3_500_000_000L)));

        GgufFile set = FileMemory.withMemory(files, TestEntries.llama31("s")).get(0);

        assertEquals(8_500_000_000L, set.memory().get(0).weights());
    }

    @Test
    void should_hold_the_weights_alone_without_a_header() {
        GgufFile file = FileMemory.withMemory(List.of(GgufFile.single("m.Q4_K_M.gguf", 4_000L)), null).get(0);

        assertEquals(List.of(new MemoryEstimate(null, 4_000L, null, null, null)), file.memory());
    }

    @Test
    void should_give_no_memory_to_files_that_are_not_runnable_weights() {
        List<GgufFile> files = FileMemory.withMemory(List.of(
                GgufFile.single("mmproj-m-f16.gguf", 600L),
                GgufFile.single("m.imatrix.gguf", 10L),
                GgufFile.single("m.Q4_K_M.gguf", null),
                new GgufFile("m-Q8_0-00001-of-00002.gguf", "Q8_0", null, FileRole.WEIGHTS, 2, false)), TestEntries.llama31("s"));

        files.forEach(file -> assertNull(file.memory(), file.name()));
    }

    @Test
    void should_take_the_largest_vision_projector_of_the_model() {
        List<GgufFile> files = List.of(GgufFile.single("m.Q4_K_M.gguf", 4_000L), GgufFile.single("mmproj-m-f16.gguf", 600L),
                GgufFile.single("mmproj-m-f32.gguf", 1_200L), GgufFile.single("mmproj-m-q8_0.gguf", null));

        assertEquals(1_200L, FileMemory.mmprojBytes(files));
        assertNull(FileMemory.mmprojBytes(List.of(GgufFile.single("m.Q4_K_M.gguf", 4_000L))));
    }

    @Test
    void should_derive_memory_whenever_an_entry_is_made_and_only_from_a_header_of_its_revision() {
        CatalogEntry entry = TestEntries.entry("a/m", "sha1", "2024-01-01T00:00:00Z",
                List.of(GgufFile.single("m.Q4_K_M.gguf", 4_920_000_000L), GgufFile.single("mmproj-m-f16.gguf", 600L)));

        CatalogEntry withHeader = entry.withGgufHeader(TestEntries.llama31("sha1"));
        assertEquals(4, withHeader.files().get(0).memory().size());
        assertEquals(600L, withHeader.mmprojBytes());

        // a header read at another revision may not describe these files: weights alone, no guess
        CatalogEntry stale = entry.withGgufHeader(TestEntries.llama31("sha0"));
        assertEquals(List.of(new MemoryEstimate(null, 4_920_000_000L, null, null, null)), stale.files().get(0).memory());
    }
}
