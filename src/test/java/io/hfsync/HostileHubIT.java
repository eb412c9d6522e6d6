package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.standin.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 29's findings (what a hostile Hub can still do), each reproduced against the real application. */
class HostileHubIT extends SyncTestSupport {

    @BeforeEach
    void setUp() {
        for (int i = 0; i < 5; i++) {
            app.snapshot().put(repo("public/Model-" + i + "-GGUF", T0.minus(Duration.ofDays(10 + i))));
        }
    }

    @Test
    void should_drop_a_deeply_nested_field_of_a_listing_item_so_the_next_run_reads_the_catalog() throws Exception {
        // inside a listing page (an array) the item's field may nest 998 deep: the Hub reader's limit is 1000, the
        // catalog's (root, models, model) would reach 1001
        String deep = "[".repeat(998) + "]".repeat(998);
        String page = "[{\"id\":\"odd/Deep-GGUF\",\"private\":false,\"gated\":" + deep + ",\"downloads\":7,"
                + "\"lastModified\":\"2026-11-19T00:00:00.000Z\",\"siblings\":[{\"rfilename\":\"d.Q4_K_M.gguf\"}]}]";
        app.hub.enqueueFault(Fault.body("/api/models?filter=gguf", 200, page));

        int first;
        List<String> log;
        try (LogCapture capture = new LogCapture()) {
            first = app.sync("sync.fetch-file-sizes=false");
            log = capture.lines();
        }

        assertEquals(0, first, app.metadata().toString());
        var deepModel = app.model("odd/Deep-GGUF");
        assertTrue(deepModel.path("gated").isNull(), deepModel.toString());
        assertEquals(7, deepModel.get("downloads").asInt(), "the rest of the item is kept");
        assertTrue(log.stream().anyMatch(l -> l.startsWith("WARN Listing item odd/Deep-GGUF read without the bad fields")
                && l.contains("gated is not false, \"auto\" or \"manual\"")), String.join("\n", log));
        app.clock.advance(Duration.ofHours(1));

        assertEquals(0, app.sync("sync.fetch-file-sizes=false"), app.metadata().toString());

        assertEquals("incremental", app.metadata().get("sync_mode").asText(), app.metadata().toString());
        assertEquals(6, app.catalogIds().size());
        assertEquals(List.of(), movedAside(), "the catalog was readable");
        assertEquals(0, app.metadata().get("models_added").asInt(), "nothing added again");
    }

    @Test
    void should_drop_a_deeply_nested_field_of_a_detail_answer() throws Exception {
        assertEquals(0, app.sync());
        String id = "public/Model-2-GGUF";
        app.snapshot().put(SyncHarness.touched(app.snapshot().get(id), T0.plus(Duration.ofMinutes(30))));
        String deep = "{\"a\":".repeat(999) + "1" + "}".repeat(999);
        app.hub.enqueueFault(Fault.body("/api/models/" + id, 200, "{\"id\":\"" + id + "\",\"gated\":" + deep
                + ",\"likes\":3,\"siblings\":[{\"rfilename\":\"x.Q4_K_M.gguf\",\"size\":1234}]}"));
        app.clock.advance(Duration.ofHours(1));

        assertEquals(0, app.sync(), app.metadata().toString());

        var model = app.model(id);
        assertTrue(model.path("gated").isNull(), model.toString());
        assertEquals(1234, model.get("files").get(0).get("size").asLong(), "the answer is used without its bad field");
        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync(), app.metadata().toString());
        assertEquals(List.of(), movedAside());
        assertEquals(5, app.catalogIds().size());
    }

    @Test
    void should_fail_and_keep_a_catalog_beyond_the_products_own_reading_limit() throws Exception {
        assertEquals(0, app.sync());
        Path catalog = dataDir.resolve("gguf_models.json");
        // as a version before this check could publish it: a gated value nested deeper than the reader's 1000
        String deep = "[".repeat(1000) + "]".repeat(1000);
        String poisoned = Files.readString(catalog).replaceFirst("\"gated\" : false", "\"gated\" : " + deep);
        Files.writeString(catalog, poisoned);
        app.clock.advance(Duration.ofHours(1));

        assertEquals(1, app.sync());

        assertEquals(poisoned, Files.readString(catalog), "left as it was");
        assertEquals(List.of(), movedAside(), "a limit of the product is no corrupt file");
        String error = app.metadata().get("error_message").asText();
        assertTrue(error.contains("beyond a limit") && error.contains("nesting depth"), error);
    }

    private List<String> movedAside() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".corrupt-")).sorted().toList();
        }
    }
}
