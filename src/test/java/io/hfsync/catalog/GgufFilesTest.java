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
                file("Llama-3-8B.imatrix", 5_000L), file("config.json", 30L),
                file("model-00001-of-00002.safetensors", 5L)));

        assertEquals(List.of(single("model.Q4_K_M.gguf", "Q4_K_M", 4_000L)), files);
    }

    @Test
    void should_accept_the_gguf_extension_in_any_case() {
        assertTrue(GgufFiles.isGguf("MODEL.Q8_0.GGUF"));
        assertFalse(GgufFiles.isGguf("model.gguf.md"));
        assertFalse(GgufFiles.isGguf(null));
    }

    @Test
    void should_keep_a_single_file_with_its_size_quantization_role_and_one_part() {
        assertEquals(List.of(new GgufFile("llama-2-7b.Q4_K_M.gguf", "Q4_K_M", 4_081_004_224L, FileRole.WEIGHTS, 1, true)),
                GgufFiles.logicalFiles(List.of(file("llama-2-7b.Q4_K_M.gguf", 4_081_004_224L))));
    }

    @Test
    void should_sum_split_parts_into_one_complete_file_named_after_part_one() {
        List<GgufFile> files = GgufFiles.logicalFiles(split("Model-Q8_0", 3, 10L, 20L, 5L));

        assertEquals(List.of(splitSet("Model-Q8_0-00001-of-00003.gguf", "Q8_0", 35L, 3, true)), files);
    }

    @Test
    void should_merge_split_parts_listed_out_of_order() {
        List<GgufFile> files = GgufFiles.logicalFiles(List.of(
                file("big-Q4_K_M-00002-of-00002.gguf", 7L), file("big-Q4_K_M-00001-of-00002.gguf", 3L)));

        assertEquals(List.of(splitSet("big-Q4_K_M-00001-of-00002.gguf", "Q4_K_M", 10L, 2, true)), files);
    }

    @Test
    void should_mark_a_split_set_with_a_missing_part_incomplete_and_unsized() {
        List<GgufFile> files = GgufFiles.logicalFiles(List.of(
                file("Model-Q8_0-00001-of-00003.gguf", 10L), file("Model-Q8_0-00003-of-00003.gguf", 10L)));

        assertEquals(List.of(splitSet("Model-Q8_0-00001-of-00003.gguf", "Q8_0", null, 3, false)), files);
    }

    @Test
    void should_name_a_set_that_lost_its_first_part_after_the_first_part_it_has() {
        List<GgufFile> files = GgufFiles.logicalFiles(List.of(file("UD-Q2_K_XL/M-UD-Q2_K_XL-00002-of-00002.gguf", 9L)));

        assertEquals(List.of(splitSet("UD-Q2_K_XL/M-UD-Q2_K_XL-00002-of-00002.gguf", "Q2_K_XL", null, 2, false)), files);
    }

    @Test
    void should_leave_the_size_unknown_when_a_split_part_has_no_size() {
        List<GgufFile> files = GgufFiles.logicalFiles(split("Model-Q8_0", 3, 10L, null, 5L));

        assertEquals(List.of(splitSet("Model-Q8_0-00001-of-00003.gguf", "Q8_0", null, 3, true)), files);
    }

    @Test
    void should_leave_the_size_unknown_when_the_parts_overflow_a_long() {
        List<GgufFile> files = GgufFiles.logicalFiles(split("Model-Q8_0", 2, Long.MAX_VALUE - 1, 5L));

        assertEquals(List.of(splitSet("Model-Q8_0-00001-of-00002.gguf", "Q8_0", null, 2, true)), files);
    }

    @Test
    void should_leave_a_negative_size_unknown() {
        assertEquals(List.of(splitSet("M-Q8_0-00001-of-00002.gguf", "Q8_0", null, 2, true)),
                GgufFiles.logicalFiles(split("M-Q8_0", 2, 10L, -1L)));
        assertEquals(List.of(single("model.F16.gguf", "F16", null)),
                GgufFiles.logicalFiles(List.of(file("model.F16.gguf", -5L))));
    }

    @Test
    void should_leave_the_size_unknown_when_a_single_file_has_no_size() {
        assertEquals(List.of(single("model.F16.gguf", "F16", null)),
                GgufFiles.logicalFiles(List.of(file("model.F16.gguf", null))));
    }

    @Test
    void should_read_split_names_in_upper_case() {
        assertEquals(List.of(splitSet("MODEL-Q8_0-00001-OF-00002.GGUF", "Q8_0", 3L, 2, true)),
                GgufFiles.logicalFiles(List.of(file("MODEL-Q8_0-00001-OF-00002.GGUF", 1L),
                        file("MODEL-Q8_0-00002-OF-00002.GGUF", 2L))));
    }

    @Test
    void should_treat_byte_pieces_of_a_file_over_the_hub_limit_as_a_split_set() {
        // mradermacher's scheme for quants over 50 GB: the pieces are joined with cat before use
        List<GgufFile> files = GgufFiles.logicalFiles(List.of(
                file("Meta-Llama-3.1-70B-Instruct.Q8_0.gguf.part1of2", 40L),
                file("Meta-Llama-3.1-70B-Instruct.Q8_0.gguf.part2of2", 35L),
                file("Qwen3-235B-A22B.i1-IQ2_M.gguf.part1of2", 40L)));

        assertEquals(List.of(splitSet("Meta-Llama-3.1-70B-Instruct.Q8_0.gguf.part1of2", "Q8_0", 75L, 2, true),
                splitSet("Qwen3-235B-A22B.i1-IQ2_M.gguf.part1of2", "IQ2_M", null, 2, false)), files);
    }

    @Test
    void should_read_a_name_that_announces_an_impossible_part_as_a_file_of_its_own() {
        assertEquals(List.of(single("m-Q4_0-00000-of-00000.gguf", "Q4_0", 5L), single("m-Q4_0-00003-of-00002.gguf", "Q4_0", 6L)),
                GgufFiles.logicalFiles(List.of(file("m-Q4_0-00000-of-00000.gguf", 5L), file("m-Q4_0-00003-of-00002.gguf", 6L))));
    }

    @Test
    void should_give_every_file_its_role() {
        List<GgufFile> files = GgufFiles.logicalFiles(List.of(
                file("gemma-3-4b-it-Q4_K_M.gguf", 1L), file("mmproj-gemma-3-4b-it-f16.gguf", 2L),
                file("gemma-3-4b-it.imatrix.gguf", 3L), file("ggml-vocab-llama-bpe.gguf", 4L)));

        assertEquals(List.of(FileRole.WEIGHTS, FileRole.MMPROJ, FileRole.IMATRIX, FileRole.OTHER),
                files.stream().map(GgufFile::role).toList());
    }

    @Test
    void should_keep_split_groups_in_different_sub_folders_apart() {
        List<RepoFile> repo = new ArrayList<>();
        repo.addAll(split("Q8_0/Model-Q8_0", 2, 1L, 2L));
        repo.addAll(split("Q4_K_M/Model-Q4_K_M", 2, 10L, 20L));

        assertEquals(List.of(
                splitSet("Q8_0/Model-Q8_0-00001-of-00002.gguf", "Q8_0", 3L, 2, true),
                splitSet("Q4_K_M/Model-Q4_K_M-00001-of-00002.gguf", "Q4_K_M", 30L, 2, true)),
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

    @Test
    void should_read_the_parts_a_name_announces() {
        assertEquals(3, GgufFiles.announcedParts("Q8_0/M-Q8_0-00001-of-00003.gguf"));
        assertEquals(2, GgufFiles.announcedParts("M.Q8_0.gguf.part1of2"));
        assertEquals(1, GgufFiles.announcedParts("M.Q8_0.gguf"));
        assertEquals(2, GgufFiles.partIndex("M-Q8_0-00002-of-00003.gguf"));
        assertEquals(1, GgufFiles.partIndex("M.Q8_0.gguf"));
    }

    private static GgufFile single(String name, String quantization, Long size) {
        return new GgufFile(name, quantization, size, FileRole.WEIGHTS, 1, true);
    }

    private static GgufFile splitSet(String name, String quantization, Long size, int parts, boolean complete) {
        return new GgufFile(name, quantization, size, FileRole.WEIGHTS, parts, complete);
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
