package io.hfsync.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.CatalogMetadata;
import io.hfsync.catalog.FileMemory;
import io.hfsync.catalog.FileRole;
import io.hfsync.catalog.GgufFile;
import io.hfsync.catalog.GgufFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catalog written before docs/files.md gains file roles, parts and completeness on the next run, with no detail call. */
class EarlierCatalogTest {

    private static final CatalogMetadata METADATA = new CatalogMetadata(1, "2026-11-25T02:00:00Z", "full",
            "2026-11-25T02:00:00Z", true, 3, 3, 0, 0);
    private static final String SHA = "b4e04e128f421c93a5f1e34ac4d7ca9b0af47b80";
    private static final String T = "2026-09-08T21:47:30Z";

    @TempDir
    Path dir;

    @Test
    void should_derive_the_new_file_fields_of_a_model_the_run_does_not_list() throws IOException {
        Path catalog = earlierCatalog(model("a/vision-GGUF", file("m.Q4_K_M.gguf", "Q4_K_M", 4_000L),
                file("Q8_0/m-Q8_0-00001-of-00002.gguf", "Q8_0", 9_000L), file("m-F16-00001-of-00002.gguf", "F16", null),
                file("m-BF16-00002-of-00002.gguf", "BF16", null), file("mmproj-m-f16.gguf", "F16", 600L)));

        try (CatalogMerge merge = CatalogMerge.open(catalog, dir.resolve(".spool"))) {
            // with the memory of each complete weights file (weights only: no GGUF header)
            assertEquals(FileMemory.withMemory(List.of(
                    new GgufFile("m.Q4_K_M.gguf", "Q4_K_M", 4_000L, FileRole.WEIGHTS, 1, true),
                    new GgufFile("Q8_0/m-Q8_0-00001-of-00002.gguf", "Q8_0", 9_000L, FileRole.WEIGHTS, 2, true),
                    // unsized part 1: the earlier version did not say whether part 2 was there
                    new GgufFile("m-F16-00001-of-00002.gguf", "F16", null, FileRole.WEIGHTS, 2, null),
                    new GgufFile("m-BF16-00002-of-00002.gguf", "BF16", null, FileRole.WEIGHTS, 2, false),
                    new GgufFile("mmproj-m-f16.gguf", "F16", 600L, FileRole.MMPROJ, 1, true)), null),
                    merge.entries().get(0).files());
            assertEquals(600L, merge.entries().get(0).mmprojBytes());
        }
    }

    @Test
    void should_take_roles_and_completeness_from_the_listing_and_keep_the_sizes_already_paid_for() throws IOException {
        Path catalog = earlierCatalog(model("a/m-GGUF", file("m.Q4_K_M.gguf", "Q4_K_M", 4_000L),
                file("m-F16-00001-of-00002.gguf", "F16", null), file("m-Q8_0-00001-of-00002.gguf", "Q8_0", 9_000L)));
        CatalogEntry listed = entry("a/m-GGUF", GgufFiles.logicalFiles(List.of(new GgufFiles.RepoFile("m.Q4_K_M.gguf", null),
                new GgufFiles.RepoFile("m-F16-00001-of-00002.gguf", null),
                new GgufFiles.RepoFile("m-Q8_0-00001-of-00002.gguf", null),
                new GgufFiles.RepoFile("m-Q8_0-00002-of-00002.gguf", null))));

        try (CatalogMerge merge = CatalogMerge.open(catalog, dir.resolve(".spool"))) {
            merge.acceptListed(listed);

            assertEquals(List.of(), merge.updated(), "same revision: not updated");
            assertEquals(List.of(), merge.needingDetails(), "no detail call");
            assertEquals(FileMemory.withMemory(List.of(
                    new GgufFile("m.Q4_K_M.gguf", "Q4_K_M", 4_000L, FileRole.WEIGHTS, 1, true),
                    new GgufFile("m-F16-00001-of-00002.gguf", "F16", null, FileRole.WEIGHTS, 2, false),
                    new GgufFile("m-Q8_0-00001-of-00002.gguf", "Q8_0", 9_000L, FileRole.WEIGHTS, 2, true)), null),
                    merge.entries().get(0).files());
        }
    }

    @Test
    void should_derive_lineage_licence_and_vision_of_a_model_the_run_does_not_list() throws IOException {
        Map<String, Object> earlier = model("a/vision-GGUF", file("m.Q4_K_M.gguf", "Q4_K_M", 4_000L),
                file("mmproj-m-f16.gguf", "F16", 600L));
        earlier.put("tags", List.of("gguf", "base_model:finetune:x/X", "base_model:quantized:google/gemma-3-4b-it",
                "license:gemma"));

        try (CatalogMerge merge = CatalogMerge.open(earlierCatalog(earlier), dir.resolve(".spool"))) {
            CatalogEntry upgraded = merge.entries().get(0);
            assertEquals("google/gemma-3-4b-it", upgraded.baseModel());
            assertEquals("gemma", upgraded.license());
            assertEquals(List.of("vision"), upgraded.capabilities(), "the template is not in the catalog: vision only");
            assertEquals(4_000L, upgraded.files().get(0).size());
        }
    }

    @Test
    void should_take_every_new_model_field_from_the_listing_when_the_run_lists_it() throws IOException {
        Path catalog = earlierCatalog(model("a/m-GGUF", file("m.Q4_K_M.gguf", "Q4_K_M", 4_000L)));
        CatalogEntry listed = new CatalogEntry("a/m-GGUF", "a", SHA, T, T, 10L, 1L, "text-generation",
                List.of("gguf", "license:mit"), false, "llama", 4096L, 7_000_000_000L, "b/Base", "mit",
                List.of("thinking", "tools"), List.of(GgufFile.single("m.Q4_K_M.gguf", null)));

        try (CatalogMerge merge = CatalogMerge.open(catalog, dir.resolve(".spool"))) {
            merge.acceptListed(listed);

            assertEquals(listed.withFiles(List.of(GgufFile.single("m.Q4_K_M.gguf", 4_000L))), merge.entries().get(0));
        }
    }

    @Test
    void should_copy_an_upgraded_catalog_byte_for_byte_on_the_run_after() throws IOException {
        Path catalog = earlierCatalog(model("a/m-GGUF", file("m.Q4_K_M.gguf", "Q4_K_M", 4_000L)),
                model("b/n-GGUF", file("n-Q8_0-00001-of-00002.gguf", "Q8_0", 9_000L)));
        byte[] upgraded;
        try (CatalogMerge merge = CatalogMerge.open(catalog, dir.resolve(".spool"))) {
            merge.acceptListed(entry("a/m-GGUF", List.of(GgufFile.single("m.Q4_K_M.gguf", null))));
            upgraded = readAll(new CatalogJsonStream(METADATA, merge.sortedModels()));
        }
        Files.write(catalog, upgraded);

        try (CatalogMerge merge = CatalogMerge.open(catalog, dir.resolve(".spool"))) {
            merge.acceptListed(entry("a/m-GGUF", List.of(GgufFile.single("m.Q4_K_M.gguf", null))));
            assertArrayEquals(upgraded, readAll(new CatalogJsonStream(METADATA, merge.sortedModels())));
        }
    }

    /** The catalog document exactly as the version before docs/files.md printed it. */
    private Path earlierCatalog(Map<?, ?>... models) throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("metadata", METADATA);
        document.put("models", List.of(models));
        Path catalog = dir.resolve("gguf_models.json");
        Files.write(catalog, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document));
        return catalog;
    }

    private static Map<String, Object> model(String id, Map<?, ?>... files) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", id);
        model.put("author", id.substring(0, id.indexOf('/')));
        model.put("sha", SHA);
        model.put("last_modified", T);
        model.put("created_at", T);
        model.put("downloads", 10);
        model.put("likes", 1);
        model.put("pipeline_tag", "text-generation");
        model.put("tags", List.of("gguf", "license:mit"));
        model.put("gated", false);
        model.put("architecture", "llama");
        model.put("context_length", 4096);
        model.put("parameters", 7_000_000_000L);
        model.put("files", List.of(files));
        return model;
    }

    private static Map<String, Object> file(String name, String quantization, Long size) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("name", name);
        file.put("quantization", quantization);
        file.put("size", size);
        return file;
    }

    private static CatalogEntry entry(String id, List<GgufFile> files) {
        return new CatalogEntry(id, id.substring(0, id.indexOf('/')), SHA, T, T, 10L, 1L, "text-generation",
                List.of("gguf", "license:mit"), false, "llama", 4096L, 7_000_000_000L, null, "mit", List.of(),
                new ArrayList<>(files));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (in) {
            in.transferTo(out);
        }
        return out.toByteArray();
    }
}
