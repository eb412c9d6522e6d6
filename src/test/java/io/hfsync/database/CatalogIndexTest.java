package io.hfsync.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.catalog.CatalogEntry;
import io.hfsync.store.CatalogIndex;
import io.hfsync.store.CatalogJsonStream;
import io.hfsync.catalog.CatalogMetadata;
import io.hfsync.catalog.GgufFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hashes the catalog writer computes as it prints each model are the hashes the databases computed by reading
 * the catalog file back (one definition: PostgreSQL and SQLite keep agreeing whichever way a run got them), and a
 * SQLite file brought level through them, and through the packed copy of its own hashes, equals one brought level
 * the old way.
 */
class CatalogIndexTest {

    @TempDir
    Path dir;

    private static CatalogEntry entry(String id, String author, List<String> tags, List<GgufFile> files) {
        return new CatalogEntry(id, author, "0123456789abcdef0123456789abcdef01234567", "2026-11-19T10:00:00Z",
                "2026-10-01T10:00:00Z", 12L, 3L, "text-generation", tags, Boolean.FALSE, "llama", 4096L, 7_000_000_000L,
                null, "apache-2.0", List.of(), files);
    }

    private static List<CatalogEntry> entries(long downloadsOfB) {
        List<CatalogEntry> entries = new ArrayList<>();
        entries.add(entry("a/plain-GGUF", "a", List.of("gguf"), List.of(GgufFile.single("x.Q4_K_M.gguf", 10L))));
        // strings that look like the files field, a newline and quotes inside values, non-ASCII text
        entries.add(new CatalogEntry("b/tricky-GGUF", "b\u00e9\u4e2d", "sha", "2026-11-19T10:00:00Z", null, downloadsOfB,
                null, null, List.of("\n    \"files\" : [", "\"files\" : null", "]"), null, null, null, null, null,
                null, null, List.of(GgufFile.single("a \"files\" : [ b.gguf", 1L), GgufFile.single("c].gguf", null))));
        entries.add(entry("c/no-files-GGUF", "c", null, null));
        entries.add(entry("d/empty-files-GGUF", "d", List.of(), List.of()));
        return entries;
    }

    private CatalogIndex write(Path catalog, List<CatalogEntry> entries, String generatedAt) throws Exception {
        CatalogMetadata metadata = new CatalogMetadata(1, generatedAt, "full", generatedAt, true, entries.size(), 0, 0, 0);
        Path temp = catalog.resolveSibling(".tmp");
        CatalogJsonStream stream = CatalogJsonStream.ofEntries(metadata, entries.iterator());
        try (InputStream in = stream) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(temp, catalog, StandardCopyOption.REPLACE_EXISTING);
        return stream.index();
    }

    @Test
    void should_compute_as_it_prints_the_hashes_the_catalog_file_gives_when_read_back() throws Exception {
        Path catalog = dir.resolve(CatalogFile.NAME);
        CatalogIndex index = write(catalog, entries(5), "2026-11-20T02:00:00Z");
        assertTrue(index.complete());
        assertTrue(index.describes(catalog));

        List<CatalogFile.Model> read = new ArrayList<>();
        assertFalse(CatalogFile.forEachModel(catalog, null, read::add), "no index: the file is read");
        assertEquals(read.size(), index.size());
        List<com.fasterxml.jackson.databind.JsonNode> indexed = new ArrayList<>();
        assertTrue(CatalogFile.forEachModel(catalog, index, model -> indexed.add(model.tree())));
        for (int i = 0; i < read.size(); i++) {
            CatalogFile.Model model = read.get(i);
            assertEquals(model.id(), index.id(i));
            assertEquals(model.entryHash(), index.entryHash(i), model.id());
            assertEquals(model.filesHash(), index.filesHash(i), model.id());
            assertEquals(model.tree(), indexed.get(i), "the model read back from its offset");
        }
    }

    @Test
    void should_not_describe_another_file_nor_a_stream_not_read_to_its_end() throws Exception {
        Path catalog = dir.resolve(CatalogFile.NAME);
        CatalogIndex first = write(catalog, entries(5), "2026-11-20T02:00:00Z");
        // the next run's catalog, same length, another time in its metadata
        CatalogIndex second = write(catalog, entries(6), "2026-11-21T02:00:00Z");
        assertFalse(first.describes(catalog));
        assertTrue(second.describes(catalog));
        Files.writeString(catalog, " ", StandardOpenOption.APPEND);
        assertFalse(second.describes(catalog), "not the length written");

        CatalogMetadata metadata = new CatalogMetadata(1, "t", "full", "t", true, 4, 0, 0, 0);
        CatalogJsonStream stream = CatalogJsonStream.ofEntries(metadata, entries(5).iterator());
        stream.read(new byte[100]);
        stream.close();
        assertFalse(stream.index().complete(), "a catalog not written to its end is never trusted");
    }

    @Test
    void should_pack_the_held_hashes_and_read_them_back() {
        HeldHashes.Builder builder = new HeldHashes.Builder();
        builder.add("b/y", 3, 4);
        builder.add("a/x", 1, 2);
        builder.add("c/\u00e9", 5, 6);
        HeldHashes held = builder.build();
        HeldHashes back = HeldHashes.unpack(held.pack(), 3);
        assertEquals(0, back.find("a/x"));
        assertEquals(2, back.filesHash(back.find("a/x")));
        assertEquals(5, back.entryHash(back.find("c/\u00e9")));
        assertEquals(-1, back.find("z/z"));
        assertEquals(List.of("b/y"), List.of(back.notFound()));
        assertNull(HeldHashes.unpack(held.pack(), 4), "not as many models as the row says");
        assertNull(HeldHashes.unpack(new byte[] {1, 2, 3}, 3));
    }

    @Test
    void should_bring_sqlite_level_through_the_index_and_the_packed_hashes_as_through_the_file() throws Exception {
        Path catalog = dir.resolve(CatalogFile.NAME);
        SqliteCatalog sqlite = new SqliteCatalog(dir);
        CatalogIndex day0 = write(catalog, entries(5), "2026-11-20T02:00:00Z");
        CatalogDiff.Changes built = sqlite.refresh(null);
        assertEquals(4, built.inserted);
        assertEquals(4, packedModels(), "the new file keeps its hashes packed");

        CatalogDiff.Changes same = sqlite.refresh(day0);
        assertTrue(same.fromIndex);
        assertEquals(4, same.unchanged, "the writer's hashes equal those read from the file: " + same);
        assertEquals(0, same.rowsTouched());

        CatalogIndex day1 = write(catalog, entries(6), "2026-11-21T02:00:00Z");
        CatalogDiff.Changes changed = sqlite.refresh(day1);
        assertTrue(changed.fromIndex);
        assertEquals(1, changed.updated);
        assertEquals(0, changed.filesInserted, "downloads moved, the files did not");
        CatalogDiff.Changes again = sqlite.refresh(null);
        assertEquals(4, again.unchanged, "read back from the file, the same hashes: " + again);

        // a hand edit (or an older version's run) changes the rows without packing their hashes: the triggers drop
        // the packing, and the next run compares with the rows and puts the model back
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + sqlite.file()); Statement s = db.createStatement()) {
            s.executeUpdate("DELETE FROM files WHERE model_id = 'a/plain-GGUF'");
            s.executeUpdate("DELETE FROM models WHERE id = 'a/plain-GGUF'");
        }
        assertEquals(0, packedModels());
        CatalogDiff.Changes restored = sqlite.refresh(day1);
        assertEquals(1, restored.inserted, restored.toString());
        assertEquals(1, restored.filesInserted);
        assertEquals(4, packedModels());
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + sqlite.file()); Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM models WHERE id = 'a/plain-GGUF'")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }

        // the index of a catalog that is not the one on disk is not used
        write(catalog, entries(7), "2026-11-22T02:00:00Z");
        CatalogDiff.Changes fallback = sqlite.refresh(day1);
        assertFalse(fallback.fromIndex);
        assertEquals(1, fallback.updated);
    }

    private long packedModels() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteCatalog.FILE_NAME));
                Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT coalesce(sum(models), 0) FROM catalog_hashes")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
