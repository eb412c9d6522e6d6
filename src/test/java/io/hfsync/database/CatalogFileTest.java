package io.hfsync.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog read model by model as bytes: the hashes the databases' day-by-day update compares. */
class CatalogFileTest {

    @TempDir
    Path dir;

    private List<CatalogFile.Model> read(String models) throws Exception {
        Path catalog = dir.resolve("gguf_models.json");
        Files.writeString(catalog, "{\"metadata\": {\"last_sync_time\": \"2026-11-20T02:00:00Z\"},\n \"models\": [" + models
                + "]}", StandardCharsets.UTF_8);
        List<CatalogFile.Model> read = new ArrayList<>();
        CatalogFile.forEachModel(catalog, read::add);
        return read;
    }

    @Test
    void should_hash_the_entry_without_its_files_and_the_files_on_their_own() throws Exception {
        List<CatalogFile.Model> models = read("""
                {"id": "a/x", "downloads": 5, "files": [{"name": "x-Q4_K_M.gguf", "size": 10}], "likes": 1},
                {"id": "a/x", "downloads": 6, "files": [{"name": "x-Q4_K_M.gguf", "size": 10}], "likes": 1},
                {"id": "a/x", "downloads": 5, "files": [{"name": "x-Q4_K_M.gguf", "size": 11}], "likes": 1},
                {"id": "a/x", "downloads": 5, "files": [{"name": "x-Q4_K_M.gguf", "size": 10}], "likes": 1},
                {"id": "b/y", "nested": {"files": [1]}},
                {"downloads": 1}
                """);
        assertEquals(5, models.size(), "a model without an id is not handed on");
        CatalogFile.Model first = models.get(0);
        assertEquals("a/x", first.id());
        assertNotEquals(first.entryHash(), models.get(1).entryHash(), "downloads moved: the entry changed");
        assertEquals(first.filesHash(), models.get(1).filesHash(), "the files did not");
        assertEquals(first.entryHash(), models.get(2).entryHash(), "a size moved: the entry without files did not");
        assertNotEquals(first.filesHash(), models.get(2).filesHash(), "the files did");
        assertEquals(first.entryHash(), models.get(3).entryHash(), "equal bytes, equal hashes");
        assertEquals(first.filesHash(), models.get(3).filesHash());
        assertEquals(10, first.tree().path("files").get(0).path("size").asLong(), "the tree is the model's");
        assertEquals(1, models.get(4).tree().path("nested").path("files").get(0).asInt(), "only a top-level files array");
    }
}
