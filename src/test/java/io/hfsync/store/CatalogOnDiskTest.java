package io.hfsync.store;

import static io.hfsync.store.CatalogMergeTest.withDownloads;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.catalog.CatalogDocument;
import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.CatalogMetadata;
import io.hfsync.catalog.FileRole;
import io.hfsync.catalog.GgufFile;
import io.hfsync.catalog.GgufFiles;
import io.hfsync.catalog.TestEntries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog kept on disk during a run: read from the old file by byte range, written back as a stream. */
class CatalogOnDiskTest {

    private static final CatalogMetadata METADATA = new CatalogMetadata(1, "2026-11-25T02:00:00Z", "full",
            "2026-11-25T02:00:00Z", true, 3, 3, 0, 0);

    @TempDir
    Path dir;

    @Test
    void should_stream_exactly_the_bytes_jackson_pretty_prints_for_the_whole_document() throws IOException {
        List<CatalogEntry> models = models(2_000);

        byte[] streamed = readAll(CatalogJsonStream.ofEntries(METADATA, models.iterator()), 8192);
        byte[] whole = new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new CatalogDocument(METADATA, models));

        assertArrayEquals(whole, streamed);
        assertArrayEquals(whole, readAll(CatalogJsonStream.ofEntries(METADATA, models.iterator()), 1), "byte by byte");
    }

    @Test
    void should_stream_an_empty_catalog() throws IOException {
        byte[] streamed = readAll(CatalogJsonStream.ofEntries(METADATA, List.<CatalogEntry>of().iterator()), 100);

        assertArrayEquals(new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new CatalogDocument(METADATA, List.of())), streamed);
    }

    @Test
    void should_read_back_every_model_of_a_catalog_file_by_its_byte_range() throws IOException {
        List<CatalogEntry> models = models(500);
        Path catalog = write(models);

        try (CatalogMerge merge = CatalogMerge.open(catalog, dir.resolve(".spool"))) {
            assertEquals(500, merge.sizeBefore());
            assertEquals(models, merge.entries());
        }
    }

    @Test
    void should_merge_a_listing_against_the_file_and_keep_the_sizes_it_already_had() throws IOException {
        List<CatalogEntry> models = models(3);
        Path catalog = write(models);

        try (CatalogMerge merge = CatalogMerge.open(catalog, dir.resolve(".spool"))) {
            CatalogEntry unchanged = models.get(0);
            merge.acceptListed(withDownloads(unchanged.withFiles(null), 12_345L));
            merge.acceptListed(models.get(1).withFiles(null));
            merge.completeFullListing();

            List<CatalogEntry> after = merge.entries();
            assertEquals(List.of(models.get(0).id(), models.get(1).id()), after.stream().map(CatalogEntry::id).toList());
            assertEquals(12_345L, after.get(0).downloads());
            assertEquals(unchanged.files(), after.get(0).files());
            assertEquals(List.of(models.get(2).id()), merge.removed());
        }
    }

    @Test
    void should_write_exactly_what_jackson_prints_for_the_merged_catalog() throws IOException {
        List<CatalogEntry> models = models(300);
        Path catalog = write(models);

        try (CatalogMerge merge = CatalogMerge.open(catalog, dir.resolve(".spool"))) {
            List<CatalogEntry> expected = new ArrayList<>();
            for (int i = 0; i < models.size(); i++) {
                CatalogEntry model = models.get(i);
                switch (i % 4) {
                    case 0 -> { // unchanged, new download count: listing head + old files
                        merge.acceptListed(withDownloads(model.withFiles(null), 7L));
                        expected.add(withDownloads(model, 7L));
                    }
                    case 1 -> { // updated, detailed
                        CatalogEntry detail = new CatalogEntry(model.id(), model.author(), "new-sha", model.lastModified(),
                                model.createdAt(), 1L, 2L, null, List.of("gguf"), null, "qwen2", null, 5L, null, null,
                                List.of(), List.of(GgufFile.single("x.Q2_K.gguf", 9L)));
                        merge.acceptListed(detail.withFiles(null));
                        merge.acceptDetail(detail);
                        expected.add(detail);
                    }
                    case 2 -> expected.add(model); // not listed (an incremental run): copied as it was
                    default -> { } // not listed in a full run below: removed
                }
            }
            merge.acceptListed(models.get(2).withFiles(null)); // listed, unchanged, its files kept
            for (int i = 2; i < models.size(); i += 4) {
                merge.acceptListed(models.get(i));
            }
            merge.completeFullListing();

            byte[] written = readAll(new CatalogJsonStream(METADATA, merge.sortedModels()), 4096);
            assertArrayEquals(new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new CatalogDocument(METADATA, expected)), written);
        }
    }

    @Test
    void should_reprint_a_catalog_formatted_some_other_way() throws IOException {
        List<CatalogEntry> models = models(40);
        Path catalog = dir.resolve("gguf_models.json");
        // compact, metadata last: not what this product writes (think of a hand-edited or foreign file)
        Files.writeString(catalog, "{\"models\":" + new ObjectMapper().writeValueAsString(models)
                + ",\"metadata\":" + new ObjectMapper().writeValueAsString(METADATA) + "}");

        try (CatalogMerge merge = CatalogMerge.open(catalog, dir.resolve(".spool"))) {
            merge.acceptListed(withDownloads(models.get(0).withFiles(null), 3L));
            List<CatalogEntry> expected = new ArrayList<>(models);
            expected.set(0, withDownloads(models.get(0), 3L));

            assertEquals(expected, merge.entries());
            assertArrayEquals(new ObjectMapper().writerWithDefaultPrettyPrinter()
                            .writeValueAsBytes(new CatalogDocument(METADATA, expected)),
                    readAll(new CatalogJsonStream(METADATA, merge.sortedModels()), 4096));
        }
    }

    @Test
    void should_still_read_the_old_catalog_after_the_new_one_was_renamed_over_it() throws IOException {
        List<CatalogEntry> models = models(50);
        Path catalog = write(models);
        try (CatalogMerge merge = CatalogMerge.open(catalog, dir.resolve(".spool"))) {
            Path replacement = dir.resolve("new.json");
            Files.writeString(replacement, "{}");
            Files.move(replacement, catalog, StandardCopyOption.ATOMIC_MOVE);

            assertEquals(models, merge.entries());
        }
    }

    @Test
    void should_delete_the_scratch_file_on_close_and_empty_a_leftover_one_on_open() throws IOException {
        Path scratch = dir.resolve(".spool");
        Files.writeString(scratch, "left by a killed run");

        CatalogMerge merge = CatalogMerge.open(null, scratch);
        assertEquals(0, Files.size(scratch));
        merge.acceptListed(models(1).get(0));
        assertTrue(merge.entries().size() == 1 && Files.size(scratch) > 0);
        merge.close();

        assertFalse(Files.exists(scratch));
    }

    @Test
    void should_not_copy_a_model_into_the_scratch_file_again_when_a_second_pass_lists_the_same_revision() throws IOException {
        List<CatalogEntry> models = models(4);
        try (CatalogMerge merge = CatalogMerge.open(write(models.subList(0, 2)), dir.resolve(".spool"))) {
            for (CatalogEntry model : models) {
                merge.acceptListed(withDownloads(model.withFiles(null), 1L));
            }
            long afterFirstPass = merge.scratchBytes();

            for (CatalogEntry model : models) {
                merge.acceptListed(withDownloads(model.withFiles(null), 2L));
            }

            assertEquals(afterFirstPass, merge.scratchBytes());
            assertEquals(List.of(models.get(2).id(), models.get(3).id()), merge.added());
            assertEquals(models.get(0).files(), merge.entries().get(0).files(), "sizes kept");
        }
    }

    @Test
    void should_keep_the_header_and_the_memory_of_a_model_whose_revision_did_not_move() throws IOException {
        List<GgufFile> files = List.of(GgufFile.single("m.Q4_K_M.gguf", 4_920_000_000L),
                GgufFile.single("mmproj-m-f16.gguf", 880_000_000L));
        CatalogEntry known = CatalogMergeTest.entry("a/m", "sha1", "2024-01-01T00:00:00Z", files)
                .withGgufHeader(TestEntries.llama31("sha1"));
        CatalogEntry pending = CatalogMergeTest.entry("a/p", "sha1", "2024-01-01T00:00:00Z", files)
                .withGgufHeader(TestEntries.llama31("sha1")).withDetailsPending(true);
        Path catalog = write(List.of(known, pending));

        try (CatalogMerge merge = CatalogMerge.open(catalog, dir.resolve(".spool"))) {
            // the listing carries neither sizes nor header; the detail answer no header
            merge.acceptListed(withDownloads(known.withFiles(GgufFiles.logicalFiles(List.of(
                    new GgufFiles.RepoFile("m.Q4_K_M.gguf", null), new GgufFiles.RepoFile("mmproj-m-f16.gguf", null)))),
                    99L).withGgufHeader(null));
            merge.acceptListed(withDownloads(pending, 5L).withGgufHeader(null).withDetailsPending(false));
            merge.acceptDetail(withDownloads(pending, 5L).withGgufHeader(null).withDetailsPending(false));

            List<CatalogEntry> after = merge.entries();
            assertEquals(99L, after.get(0).downloads());
            assertEquals(known.ggufHeader(), after.get(0).ggufHeader());
            assertEquals(known.files(), after.get(0).files(), "sizes and memory kept");
            assertEquals(4, after.get(0).files().get(0).memory().size());
            assertEquals(880_000_000L, after.get(0).mmprojBytes());
            assertEquals(pending.ggufHeader(), after.get(1).ggufHeader(), "a detail answer of the same revision");
            assertEquals(pending.files(), after.get(1).files());
        }
    }

    @Test
    void should_refuse_a_file_that_is_not_a_catalog_and_leave_no_scratch_file() throws IOException {
        Path scratch = dir.resolve(".spool");
        for (String content : List.of("[]", "{\"metadata\":{}}", "{\"models\":[{\"sha\":\"x\"}]}", "{\"models\":[null]}",
                "{\"models\":[{\"id\":\"a/b\",\"downloads\":\"many\"}]}", "{\"models\":[{\"id\":\"a/b\"}")) {
            Path catalog = dir.resolve("bad.json");
            Files.writeString(catalog, content);

            assertThrows(IOException.class, () -> CatalogMerge.open(catalog, scratch), content);
            assertFalse(Files.exists(scratch), content);
        }
    }

    private Path write(List<CatalogEntry> models) throws IOException {
        Path catalog = dir.resolve("gguf_models.json");
        try (InputStream in = CatalogJsonStream.ofEntries(METADATA, models.iterator())) {
            Files.copy(in, catalog, StandardCopyOption.REPLACE_EXISTING);
        }
        return catalog;
    }

    private static byte[] readAll(InputStream in, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[chunk];
        try (in) {
            for (int n; (n = chunk == 1 ? single(in, buffer) : in.read(buffer, 0, chunk)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static int single(InputStream in, byte[] buffer) throws IOException {
        int b = in.read();
        if (b < 0) {
            return -1;
        }
        buffer[0] = (byte) b;
        return 1;
    }

    /** Catalog-shaped models, sorted by id, with what trips byte offsets and printers: non-ASCII text, nulls, empty lists. */
    private static List<CatalogEntry> models(int count) {
        List<CatalogEntry> models = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format("owner%02d/Modèl-日本語-%05d-GGUF", i % 7, i);
            List<GgufFile> files = i % 5 == 0 ? List.of() : List.of(
                    GgufFile.single("Modèl-" + i + ".Q4_K_M.gguf", 4_000_000_000L + i),
                    new GgufFile("Q8_0/Modèl-" + i + ".Q8_0-00001-of-00002.gguf", "Q8_0", i % 3 == 0 ? null : 8_000_000_000L,
                            FileRole.WEIGHTS, 2, true));
            models.add(new CatalogEntry(id, "owner" + (i % 7), "%040x".formatted(i), "2026-09-08T21:47:30Z",
                    i % 4 == 0 ? null : "2026-08-22T14:35:08Z", (long) i, i % 2 == 0 ? null : (long) i,
                    "text-generation", i % 6 == 0 ? null : List.of("gguf", "ünïcode 🙂", "base_model:org/B-" + i),
                    i % 3 == 0 ? "auto" : Boolean.FALSE, i % 9 == 0 ? null : "llama", 32768L, null,
                    i % 6 == 0 ? null : "org/B-" + i, i % 4 == 0 ? null : "apache-2.0",
                    i % 3 == 0 ? List.of() : List.of("thinking", "tools"), i % 11 == 0 ? null : files));
        }
        models.sort(java.util.Comparator.comparing(CatalogEntry::id)); // as a catalog file holds them
        return models;
    }
}
