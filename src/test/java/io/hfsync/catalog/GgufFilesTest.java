package io.hfsync.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.catalog.GgufFiles.RepoFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GgufFilesTest {

    @Test
    void should_drop_files_that_are_not_gguf() {
        List<GgufFile> files = GgufFiles.logicalFiles(List.of(
                file(".gitattributes", 1_519L), file("README.md", 12_000L), file("model.Q4_K_M.gguf", 4_000L),
                file("Llama-3-8B.imatrix", 5_000L), file("config.json", 30L)));

        assertEquals(List.of(new GgufFile("model.Q4_K_M.gguf", "Q4_K_M", 4_000L)), files);
    }

    @Test
    void should_accept_the_gguf_extension_in_any_case() {
        assertTrue(GgufFiles.isGguf("MODEL.Q8_0.GGUF"));
        assertFalse(GgufFiles.isGguf("model.gguf.md"));
        assertFalse(GgufFiles.isGguf(null));
    }

    @Test
    void should_keep_a_single_file_with_its_size_and_quantization() {
        assertEquals(List.of(new GgufFile("llama-2-7b.Q4_K_M.gguf", "Q4_K_M", 4_081_004_224L)),
                GgufFiles.logicalFiles(List.of(file("llama-2-7b.Q4_K_M.gguf", 4_081_004_224L))));
    }

    @Test
    void should_sum_split_parts_into_one_file_named_after_part_one() {
        List<GgufFile> files = GgufFiles.logicalFiles(split("Model-Q8_0", 3, 10L, 20L, 5L));

        assertEquals(List.of(new GgufFile("Model-Q8_0-00001-of-00003.gguf", "Q8_0", 35L)), files);
    }

    @Test
    void should_merge_split_parts_listed_out_of_order() {
        List<GgufFile> files = GgufFiles.logicalFiles(List.of(
                file("big-Q4_K_M-00002-of-00002.gguf", 7L), file("big-Q4_K_M-00001-of-00002.gguf", 3L)));

        assertEquals(List.of(new GgufFile("big-Q4_K_M-00001-of-00002.gguf", "Q4_K_M", 10L)), files);
    }

    @Test
    void should_leave_the_size_unknown_when_a_split_part_is_missing() {
        List<GgufFile> files = GgufFiles.logicalFiles(List.of(
                file("Model-Q8_0-00001-of-00003.gguf", 10L), file("Model-Q8_0-00003-of-00003.gguf", 10L)));

        assertEquals(List.of(new GgufFile("Model-Q8_0-00001-of-00003.gguf", "Q8_0", null)), files);
    }

    @Test
    void should_leave_the_size_unknown_when_a_split_part_has_no_size() {
        List<GgufFile> files = GgufFiles.logicalFiles(split("Model-Q8_0", 3, 10L, null, 5L));

        assertEquals(List.of(new GgufFile("Model-Q8_0-00001-of-00003.gguf", "Q8_0", null)), files);
    }

    @Test
    void should_leave_the_size_unknown_when_a_single_file_has_no_size() {
        assertEquals(List.of(new GgufFile("model.F16.gguf", "F16", null)),
                GgufFiles.logicalFiles(List.of(file("model.F16.gguf", null))));
    }

    @Test
    void should_keep_split_groups_in_different_sub_folders_apart() {
        List<RepoFile> repo = new ArrayList<>();
        repo.addAll(split("Q8_0/Model-Q8_0", 2, 1L, 2L));
        repo.addAll(split("Q4_K_M/Model-Q4_K_M", 2, 10L, 20L));

        assertEquals(List.of(
                new GgufFile("Q8_0/Model-Q8_0-00001-of-00002.gguf", "Q8_0", 3L),
                new GgufFile("Q4_K_M/Model-Q4_K_M-00001-of-00002.gguf", "Q4_K_M", 30L)),
                GgufFiles.logicalFiles(repo));
    }

    @Test
    void should_keep_split_groups_with_the_same_prefix_in_different_folders_apart() {
        List<RepoFile> repo = new ArrayList<>();
        repo.addAll(split("a/Model", 2, 1L, 2L));
        repo.addAll(split("b/Model", 2, 10L, 20L));

        List<GgufFile> files = GgufFiles.logicalFiles(repo);

        assertEquals(List.of(3L, 30L), files.stream().map(GgufFile::size).toList());
        assertEquals(List.of("a/Model-00001-of-00002.gguf", "b/Model-00001-of-00002.gguf"),
                files.stream().map(GgufFile::name).toList());
    }

    @Test
    void should_preserve_the_repo_order_of_files_and_split_groups() {
        List<RepoFile> repo = new ArrayList<>();
        repo.add(file("model.Q2_K.gguf", 1L));
        repo.addAll(split("model.Q8_0", 2, 5L, 5L));
        repo.add(file("model.IQ3_M.gguf", 2L));
        repo.add(file("mmproj-model-f16.gguf", 3L));

        assertEquals(List.of("model.Q2_K.gguf", "model.Q8_0-00001-of-00002.gguf", "model.IQ3_M.gguf",
                        "mmproj-model-f16.gguf"),
                GgufFiles.logicalFiles(repo).stream().map(GgufFile::name).toList());
    }

    @Test
    void should_return_no_files_for_a_repo_without_gguf() {
        assertTrue(GgufFiles.logicalFiles(List.of(file("README.md", 1L))).isEmpty());
    }

    private static RepoFile file(String path, Long size) {
        return new RepoFile(path, size);
    }

    /** The parts {@code prefix-0000N-of-0000M.gguf} with the given sizes, in part order. */
    private static List<RepoFile> split(String prefix, int of, Long... sizes) {
        List<RepoFile> parts = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            parts.add(file(String.format("%s-%05d-of-%05d.gguf", prefix, i + 1, of), sizes[i]));
        }
        return parts;
    }
}
