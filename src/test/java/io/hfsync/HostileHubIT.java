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

    @Test
    void should_put_the_change_log_in_place_before_the_catalog_so_a_failed_write_loses_no_change() throws Exception {
        assertEquals(0, app.sync());
        byte[] before = Files.readAllBytes(dataDir.resolve("gguf_models.json"));
        app.snapshot().put(repo("public/New-GGUF", T0.plus(Duration.ofMinutes(30))));
        app.clock.advance(Duration.ofHours(1));
        // the change log of the run starting now cannot be renamed into place (as on a full disk)
        Path blocked = Files.createDirectories(dataDir.resolve("changes/20261120T030000Z.json"));
        Files.writeString(blocked.resolve("in-the-way"), "a directory that is not empty is never replaced");

        List<String> log;
        try (LogCapture capture = new LogCapture()) {
            assertEquals(1, app.sync());
            log = capture.lines();
        }

        assertArrayEquals(before, Files.readAllBytes(dataDir.resolve("gguf_models.json")),
                "no catalog without the change log its events come from");
        assertTrue(log.stream().anyMatch(l -> l.startsWith("INFO Result: FAILED") && l.endsWith("catalog left as it was")),
                String.join("\n", log));
        Files.delete(blocked.resolve("in-the-way"));
        Files.delete(blocked);
        app.clock.advance(Duration.ofHours(1));

        assertEquals(0, app.sync(), app.metadata().toString());

        assertTrue(app.lastChangeLog().get("added").toString().contains("public/New-GGUF"),
                "the change is found again: " + app.lastChangeLog());
    }

    @Test
    void should_remove_the_change_log_of_a_run_whose_catalog_did_not_get_in_place() throws Exception {
        // the catalog cannot be renamed into place (a directory holds its name): the change log written first goes
        Files.createDirectory(dataDir.resolve("gguf_models.json"));

        List<String> log;
        try (LogCapture capture = new LogCapture()) {
            assertEquals(1, app.sync());
            log = capture.lines();
        }

        assertEquals(List.of(), app.changeLogs(), "no change log without its catalog");
        // it was there, in place before the catalog's rename was tried (the outbox first), and then it went: with the
        // catalog renamed first there would be no change log to remove, and this line would be missing
        assertTrue(log.stream().anyMatch(l -> l.contains("Removed the change log 20261120T020000Z.json: its catalog was"
                + " not published")), String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("INFO Result: FAILED") && l.endsWith("catalog left as it was")),
                String.join("\n", log));
    }

    @Test
    void should_remove_a_change_log_a_killed_run_left_ahead_of_its_catalog() throws Exception {
        assertEquals(0, app.sync());
        // a run killed between its change log and its catalog: the log names a run later than the catalog's
        Path orphan = dataDir.resolve("changes/20261120T023000Z.json");
        Files.writeString(orphan, "{\"sync_mode\":\"incremental\",\"added\":[\"public/Model-1-GGUF\"],"
                + "\"updated\":[],\"removed\":[],\"sync_time\":\"2026-11-20T02:30:00Z\"}");
        app.clock.advance(Duration.ofHours(1));

        assertEquals(0, app.sync(), app.metadata().toString());

        assertFalse(Files.exists(orphan), "its catalog was never published");
        assertEquals(1, app.changeLogs().stream().filter(p -> p.getFileName().toString().startsWith("20261120T02")).count(),
                app.changeLogs().toString());
    }

    @Test
    void should_leave_out_a_listed_repo_whose_id_is_not_a_hub_repo_id() throws Exception {
        List<String> hostile = List.of("odd/Sp ace-GGUF", "odd/Pipe|GGUF", "odd/{x}-GGUF", "odd/a;rm -rf ~-GGUF",
                "odd/$(reboot)-GGUF", "odd/\u202Egguf.exe-GGUF", "odd/..", "../etc", "odd/Two--Dashes-GGUF", "no-owner-GGUF",
                "odd/Name.git");
        StringBuilder page = new StringBuilder("[");
        for (String id : hostile) {
            page.append("{\"id\":").append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(id))
                    .append(",\"siblings\":[{\"rfilename\":\"m.Q4_K_M.gguf\"}]},");
        }
        page.append("{\"id\":\"odd/Fine_1.5-GGUF\",\"siblings\":[{\"rfilename\":\"m.Q4_K_M.gguf\"},"
                + "{\"rfilename\":\"../../escape.Q8_0.gguf\"}]}]");
        app.hub.enqueueFault(Fault.body("/api/models?filter=gguf", 200, page.toString()));

        List<String> log;
        int exit;
        try (LogCapture capture = new LogCapture()) {
            // the stand-in has none of these repos: a detail call would call them vanished
            exit = app.sync("sync.fetch-file-sizes=false");
            log = capture.lines();
        }

        assertEquals(0, exit, app.metadata().toString());
        List<String> ids = app.catalogIds();
        assertTrue(ids.contains("odd/Fine_1.5-GGUF"), ids.toString());
        assertEquals(6, ids.size(), "none of the hostile ids: " + ids);
        assertTrue(log.stream().anyMatch(l -> l.contains("odd/Sp ace-GGUF left out: id is not a Hub repo id")),
                String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.contains("odd/Fine_1.5-GGUF read without the bad fields")
                && l.contains("is not a file with a relative rfilename")), String.join("\n", log));
    }

    @Test
    void should_percent_encode_an_id_an_older_catalog_holds_in_its_detail_url() throws Exception {
        assertEquals(0, app.sync());
        Path catalog = dataDir.resolve("gguf_models.json");
        // as an earlier version could publish it: an id with a space, its sizes still pending
        String text = Files.readString(catalog);
        int at = text.indexOf("\"id\" : \"public/Model-3-GGUF\"");
        int pending = text.indexOf("\"details_pending\" : false", at);
        Files.writeString(catalog, text.substring(0, at) + "\"id\" : \"public/Model 3|x-GGUF\""
                + text.substring(at + "\"id\" : \"public/Model-3-GGUF\"".length(), pending) + "\"details_pending\" : true"
                + text.substring(pending + "\"details_pending\" : false".length()));
        app.hub.resetCounters();
        app.clock.advance(Duration.ofHours(1));

        assertEquals(0, app.sync(), app.metadata().toString());

        assertTrue(app.hub.requestLog().stream().anyMatch(r -> r.contains("/api/models/public/Model%203%7Cx-GGUF?blobs=true")),
                app.hub.requestLog().toString());
        assertTrue(app.catalogIds().contains("public/Model 3|x-GGUF"), "left as it was (the Hub has no such repo)");
    }

    @Test
    void should_fail_cleanly_on_a_listing_page_larger_than_the_answer_cap() throws Exception {
        assertEquals(0, app.sync());
        byte[] before = Files.readAllBytes(dataDir.resolve("gguf_models.json"));
        long started = System.currentTimeMillis();
        // 3 MB of one string: past hub.max-answer-mb=1, and past the 1 MB spool threshold of the stream cache
        app.hub.enqueueFault(Fault.body("/api/models?", 200, "[\"" + "x".repeat(3 * 1024 * 1024) + "\"]"));
        app.clock.advance(Duration.ofHours(1));

        assertEquals(1, app.sync("hub.max-answer-mb=1"));

        String error = app.metadata().get("error_message").asText();
        assertTrue(error.contains("larger than hub.max-answer-mb=1"), error);
        assertFalse(app.metadata().get("success").asBoolean());
        assertArrayEquals(before, Files.readAllBytes(dataDir.resolve("gguf_models.json")), "catalog untouched");
        assertEquals(List.of(), spooledSince(started), "no spool file of the answer is left");
    }

    @Test
    void should_fail_cleanly_on_a_detail_answer_larger_than_the_answer_cap() throws Exception {
        assertEquals(0, app.sync());
        String id = "public/Model-2-GGUF";
        app.snapshot().put(SyncHarness.touched(app.snapshot().get(id), T0.plus(Duration.ofMinutes(30))));
        app.hub.enqueueFault(Fault.body("/api/models/" + id, 200, "{\"id\":\"" + id + "\",\"pad\":\""
                + "y".repeat(2 * 1024 * 1024) + "\"}"));
        app.clock.advance(Duration.ofHours(1));

        assertEquals(1, app.sync("hub.max-answer-mb=1"));

        String error = app.metadata().get("error_message").asText();
        assertTrue(error.contains("larger than hub.max-answer-mb=1"), error);
    }

    /**
     * Spool files of 1 MB or more written since {@code millis}. /tmp/camel is shared with every other JVM on the machine
     * (the other test fork, other builds), whose contexts delete their own spool directories when they stop: a file or
     * directory that vanishes during the walk is not one of ours and is passed over (Files.walk threw
     * NoSuchFileException then, a flake seen 2026-12-05).
     */
    private static List<Path> spooledSince(long millis) throws IOException {
        Path spool = Path.of(System.getProperty("java.io.tmpdir"), "camel");
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        List<Path> found = new java.util.ArrayList<>();
        Files.walkFileTree(spool, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && attrs.lastModifiedTime().toMillis() >= millis && attrs.size() >= 1024 * 1024) {
                    found.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) {
                    throw e;
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    @Test
    void should_send_events_outside_the_runs_lock_within_their_own_budget_and_report_the_true_duration() throws Exception {
        List<Boolean> lockFree = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean slow = new java.util.concurrent.atomic.AtomicBoolean(true);
        com.sun.net.httpserver.HttpServer hook = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            if (slow.get()) {
                lockFree.add(lockIsFree());
                // a slow webhook: 300 ms of the wall clock, a minute of the run's clock
                app.clock.advance(Duration.ofMinutes(1));
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.start();
        try {
            String uri = "sync.events-uri=http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
            List<String> log;
            try (LogCapture capture = new LogCapture()) {
                assertEquals(0, app.sync(uri, "sync.events-budget-seconds=1"));
                log = capture.lines();
            }

            assertTrue(!lockFree.isEmpty() && lockFree.stream().allMatch(free -> free),
                    "the data directory's lock is free while events go out: " + lockFree);
            assertTrue(received.size() < 6, "stopped at the budget: " + received.size());
            assertTrue(log.stream().anyMatch(l -> l.contains("the budget of sync.events-budget-seconds=1")),
                    String.join("\n", log));
            String duration = log.stream().filter(l -> l.startsWith("INFO Duration: ")).findFirst().orElseThrow();
            double seconds = Double.parseDouble(duration.substring("INFO Duration: ".length(), duration.length() - 1));
            assertTrue(seconds >= 60.0 * received.size(), "the events' time is in the report: " + duration);

            slow.set(false);
            app.clock.advance(Duration.ofHours(1));
            assertEquals(0, app.sync(uri));
            assertTrue(received.stream().anyMatch(b -> b.contains("\"sync.completed\"") && b.contains("2026-11-20T02:00:00Z")),
                    "the first run's events went out in the next run: " + received);
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void should_let_a_second_run_take_the_lock_and_sync_while_the_first_still_sends_its_events() throws Exception {
        List<Integer> secondRun = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicReference<String> uri = new java.util.concurrent.atomic.AtomicReference<>();
        com.sun.net.httpserver.HttpServer hook = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors.newCachedThreadPool();
        hook.setExecutor(handlers);
        hook.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (first.compareAndSet(true, false)) {
                // the slowest webhook: a whole second run (a one-shot process of its own) before the first answer
                app.snapshot().put(repo("late/Second-Run-GGUF", T0.plus(Duration.ofMinutes(30))));
                app.clock.advance(Duration.ofHours(1));
                secondRun.add(app.sync(uri.get()));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.start();
        try {
            uri.set("sync.events-uri=http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
            List<String> log;
            try (LogCapture capture = new LogCapture()) {
                assertEquals(0, app.sync(uri.get()));
                log = capture.lines();
            }

            assertEquals(List.of(0), secondRun, "a second run took DATA_DIR/.lock and synced while the first was"
                    + " still sending its events (exit 3: it found the lock held)");
            assertTrue(app.model("late/Second-Run-GGUF") != null, "the second run published");
            // each run logs its release with how long it held the lock
            List<String> released = log.stream().filter(l -> l.startsWith("INFO Released ")
                    && l.contains(".lock after ") && l.contains(" s: the run's files are written")).toList();
            assertEquals(2, released.size(), String.join("\n", log));
            assertFalse(log.stream().anyMatch(l -> l.contains("Another sync holds")), String.join("\n", log));
        } finally {
            hook.stop(0);
            handlers.shutdownNow();
        }
    }

    private boolean lockIsFree() {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(dataDir.resolve(".lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (java.nio.channels.OverlappingFileLockException heldByTheRun) {
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<String> movedAside() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".corrupt-")).sorted().toList();
        }
    }
}
