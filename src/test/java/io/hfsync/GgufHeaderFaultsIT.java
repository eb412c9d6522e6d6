package io.hfsync;

import static io.hfsync.SyncHarness.T0;
import static io.hfsync.SyncHarness.repo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hfsync.gguf.GgufWriter;
import io.hfsync.gguf.GgufWriter.ValueType;
import io.hfsync.standin.Fault;
import io.hfsync.standin.FileFault;
import io.hfsync.standin.HubRepo;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GGUF headers that cannot be read (docs/gguf-headers.md), end to end: the real application syncs one stand-in Hub
 * holding every kind of bad file, bad answer and refusal at once, beside good repos. What a user sees: the run
 * succeeds, each bad repo carries a short reason in {@code gguf_header_error} (catalog file and SQLite alike), the good
 * ones get their headers, a cut answer is taken up where it broke, a host that stalls or trickles holds nobody past the
 * response timeout and leaves its repo pending for the next run, and no repo with a reason is ever read again.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GgufHeaderFaultsIT extends SyncTestSupport {

    /** The run's HTTP response timeout: a trickling answer must be given up after it, whole. */
    static final int RESPONSE_TIMEOUT_MS = 5000;
    static final String TOKEN = "hf_faults_test_token";

    /** A bad repo: how the stand-in spoils it, and the reason its model must carry (null: read after all). */
    private record Case(String name, Consumer<HubRepo> spoil, String reason) {
    }

    private final List<Case> cases = new ArrayList<>();
    private final Map<String, HubRepo> repos = new LinkedHashMap<>();
    private long downloads = 1_000_000;

    private HubRepo add(String name, Object gated) {
        HubRepo base = repo("bad/" + name + "-GGUF", T0.minus(Duration.ofDays(1)));
        HubRepo repo = new HubRepo(base.id(), base.author(), base.sha(), base.lastModified(), base.createdAt(), gated,
                downloads--, 1L, base.tags(), base.pipelineTag(), base.libraryName(), base.architecture(),
                base.contextLength(), base.parameters(), base.files(), false);
        app.snapshot().put(repo);
        repos.put(name, repo);
        return repo;
    }

    private void bad(String name, String reason, Consumer<HubRepo> spoil) {
        cases.add(new Case(name, spoil, reason));
        add(name, Boolean.FALSE);
        // a good repo after each bad one: the reads go on, and "not now" answers never come five in a row
        add("good-after-" + name, Boolean.FALSE);
    }

    private String resolvePrefix(HubRepo repo) {
        return "/" + repo.id() + "/resolve/";
    }

    private String filePrefix(HubRepo repo) {
        return repo.id() + "/";
    }

    @Test
    void should_give_each_unreadable_header_a_reason_and_read_every_other_without_failing_or_hanging() throws Exception {
        byte[] good = llama().toBytes(false);
        bad("wrong-magic", "not a GGUF file (magic 58475546)", r -> app.hub.replaceHeader(r.id(), null, magic(good)));
        bad("version-1", "GGUF version 1 (2 or 3 are read)", r -> app.hub.replaceHeader(r.id(), null, version(good, 1)));
        bad("version-4", "GGUF version 4 (2 or 3 are read)", r -> app.hub.replaceHeader(r.id(), null, version(good, 4)));
        bad("big-endian", "big-endian GGUF (only little-endian is read)",
                r -> app.hub.replaceHeader(r.id(), null, bigEndian(good)));
        bad("file-cut-short", "truncated: the file ends after 200 bytes",
                r -> app.hub.replaceFile(r.id(), null, Arrays.copyOf(good, 200)));
        bad("string-3-gb", "string of 3000000000 bytes at key general.architecture (at most 1048576)",
                r -> app.hub.replaceHeader(r.id(), null, new Raw(1).key("general.architecture").u32(8).u64(3_000_000_000L).bytes()));
        bad("array-2-40", "array of 1099511627776 items at key tokenizer.ggml.tokens (at most 10000000)",
                r -> app.hub.replaceHeader(r.id(), null,
                        new Raw(1).key("tokenizer.ggml.tokens").u32(9).u32(8).u64(1L << 40).bytes()));
        bad("repeated-key", "key llama.block_count repeated", r -> app.hub.replaceHeader(r.id(), null,
                new GgufWriter(3).string("general.architecture", "llama").uint32("llama.block_count", 2)
                        .uint32("llama.block_count", 3).toBytes(false)));
        bad("value-type-13", "unknown value type 13 at key llama.block_count", r -> app.hub.replaceHeader(r.id(), null,
                new Raw(2).key("general.architecture").u32(8).key("llama").key("llama.block_count").u32(13).u32(2).bytes()));
        bad("gated-401", "HTTP 401 (gated or private: no access)",
                r -> app.hub.enqueueFault(Fault.status(resolvePrefix(r), 401)));
        bad("missing-404", "HTTP 404 (file or revision not found)",
                r -> app.hub.enqueueFault(Fault.status(resolvePrefix(r), 404)));
        bad("cdn-404", "HTTP 404 (file or revision not found)",
                r -> app.hub.enqueueFileFault(FileFault.status(filePrefix(r), 404)));
        bad("redirect-loop", "redirect loop at 127.0.0.1:",
                r -> app.hub.enqueueFileFault(FileFault.redirectLoop(filePrefix(r))));
        bad("redirect-ftp", "a redirect to a non-HTTP(S) URL (ftp)",
                r -> app.hub.enqueueFileFault(FileFault.redirect(filePrefix(r), "ftp://127.0.0.1/weights.gguf")));
        bad("hub-redirect-file", "a redirect to a non-HTTP(S) URL (file)",
                r -> app.hub.enqueueFault(Fault.redirect(resolvePrefix(r), "file:///etc/passwd")));
        bad("cut-every-time", "truncated: the answers of 127.0.0.1:", r -> {
            app.hub.replaceHeader(r.id(), null, afterTokenizer());
            for (int i = 0; i < 3; i++) {
                app.hub.enqueueFileFault(FileFault.truncated(filePrefix(r)));
            }
        });
        // read after all: a 200 that ignores Range (the first bytes of a 4 GB answer, then dropped) and an answer cut
        // once (taken up where it broke, on the same signed URL)
        bad("ignores-range", null, r -> app.hub.enqueueFileFault(FileFault.ignoringRange(filePrefix(r))));
        bad("cut-once", null, r -> {
            app.hub.replaceHeader(r.id(), null, afterTokenizer());
            app.hub.enqueueFileFault(FileFault.truncated(filePrefix(r)));
        });
        HubRepo gated = add("gated-403", "manual");
        HubRepo trickles = add("trickles", Boolean.FALSE);
        add("good-after-trickles", Boolean.FALSE);
        HubRepo stalls = add("stalls", Boolean.FALSE);
        add("good-after-stalls", Boolean.FALSE);
        for (Case c : cases) {
            c.spoil().accept(repos.get(c.name()));
        }
        // one byte every 100 ms never trips the read timeout; a byte then 15 s of silence does (the timeout leaves
        // room for a cold stand-in writing its first tokenizers on two shared cores)
        app.hub.enqueueFileFault(FileFault.trickling(filePrefix(trickles), Duration.ofMillis(100)));
        app.hub.enqueueFileFault(FileFault.trickling(filePrefix(stalls), Duration.ofSeconds(15)));
        app.hub.grantToken(TOKEN, "someone");

        long started = System.nanoTime();
        assertEquals(0, app.sync("hub.token=" + TOKEN, "hub.max-resolver-requests-per-minute=60000",
                "hub.max-retries=0", "camel.component.http.response-timeout=" + RESPONSE_TIMEOUT_MS));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        Map<String, String> sqliteErrors = sqliteHeaderErrors();
        Map<String, String> expected = new HashMap<>();
        cases.forEach(c -> expected.put(c.name(), c.reason()));
        expected.put("gated-403", "HTTP 403 (gated or private: no access)");
        for (Map.Entry<String, HubRepo> named : repos.entrySet()) {
            String name = named.getKey();
            HubRepo repo = named.getValue();
            JsonNode model = app.model(repo.id());
            assertNotNull(model, repo.id());
            String reason = expected.get(name);
            if (name.equals("trickles") || name.equals("stalls")) {
                assertTrue(model.get("gguf_header").isNull() && model.get("gguf_header_error").isNull(),
                        name + " stays pending, neither read nor given up: " + model);
            } else if (reason == null) {
                JsonNode header = model.get("gguf_header");
                assertTrue(header.isObject(), name + ": " + model);
                assertEquals("llama", header.get("architecture").asText(), name);
                assertTrue(header.get("block_count").asInt() > 0, name + ": " + header);
                assertTrue(model.get("gguf_header_error").isNull(), name + ": " + model);
                assertEquals(null, sqliteErrors.get(repo.id()), name);
            } else {
                assertTrue(model.get("gguf_header").isNull(), name + ": " + model);
                String error = model.get("gguf_header_error").asText();
                assertTrue(error.startsWith(reason), name + ": expected '" + reason + "...', was '" + error + "'");
                assertTrue(error.length() < 200, name + ": " + error);
                assertEquals(error, sqliteErrors.get(repo.id()), name + " in SQLite");
            }
        }
        JsonNode metadata = app.metadata();
        assertEquals(repos.size() - 2, metadata.get("headers_read").asInt(), metadata.toString());
        assertEquals(2, metadata.get("headers_pending").asInt(), metadata.toString());
        // the cut-once answer was taken up on its signed URL: one /resolve/ call per repo, none repeated
        assertEquals(repos.size(), metadata.get("resolver_calls").asInt(), metadata.toString());
        assertTrue(app.hub.fileHostRequests().stream().allMatch(r -> r.header("Authorization") == null),
                "the token never goes to the file host");
        // the 4 GB answer that ignored Range was dropped once its header was read, not drained
        assertTrue(app.hub.fileHostBytesSent() < 256L << 20, app.hub.fileHostBytesSent() + " bytes sent");
        // the two slow hosts cost a response timeout each (plus the rest of the run), never their whole transfer
        assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "the run took " + took);
        try (Connection db = CatalogTablesAssert.sqlite(dataDir.resolve("gguf_models.sqlite"))) {
            CatalogTablesAssert.assertSameAsCatalog(dataDir.resolve("gguf_models.json"), db);
        }

        // the next full run (as the daemon's backfill would) reads the two pending repos, and no repo with a reason
        app.hub.resetCounters();
        app.clock.advance(Duration.ofHours(1));
        assertEquals(0, app.sync("hub.token=" + TOKEN, "hub.max-resolver-requests-per-minute=60000",
                "hub.max-retries=0", "camel.component.http.response-timeout=" + RESPONSE_TIMEOUT_MS, "sync.mode=full"));
        assertEquals(2, app.hub.resolveRequests());
        assertEquals(2, app.metadata().get("headers_read").asInt());
        assertEquals(0, app.metadata().get("headers_pending").asInt());
        assertEquals("llama", app.model(trickles.id()).get("gguf_header").get("architecture").asText());
        assertEquals("llama", app.model(stalls.id()).get("gguf_header").get("architecture").asText());
        assertTrue(app.model(gated.id()).get("gguf_header_error").asText().startsWith("HTTP 403"));
    }

    private Map<String, String> sqliteHeaderErrors() throws Exception {
        Map<String, String> errors = new HashMap<>();
        try (Connection db = CatalogTablesAssert.sqlite(dataDir.resolve("gguf_models.sqlite"));
                Statement query = db.createStatement();
                ResultSet rows = query.executeQuery("SELECT id, gguf_header_error FROM models")) {
            while (rows.next()) {
                errors.put(rows.getString(1), rows.getString(2));
            }
        }
        return errors;
    }

    /** A llama.cpp-style llama header: hyper-parameters, then a small tokenizer. */
    private static GgufWriter llama() {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            tokens.add("t" + i);
        }
        return hyperParameters(new GgufWriter(3).string("general.architecture", "llama"))
                .array("tokenizer.ggml.tokens", ValueType.STRING, tokens);
    }

    private static GgufWriter hyperParameters(GgufWriter writer) {
        return writer.uint32("llama.context_length", 8192).uint32("llama.embedding_length", 4096)
                .uint32("llama.block_count", 32).uint32("llama.attention.head_count", 32)
                .uint32("llama.attention.head_count_kv", 8);
    }

    /** Another writer's order: a tokenizer of about 5 MB first, so the read needs several answers. */
    private static byte[] afterTokenizer() {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 250_000; i++) {
            tokens.add(String.format("token-%06d", i));
        }
        return hyperParameters(new GgufWriter(3).string("general.architecture", "llama")
                .array("tokenizer.ggml.tokens", ValueType.STRING, tokens)).toBytes(false);
    }

    private static byte[] magic(byte[] header) {
        byte[] bytes = header.clone();
        bytes[0] = 'X';
        return bytes;
    }

    private static byte[] version(byte[] header, int version) {
        byte[] bytes = header.clone();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, version);
        return bytes;
    }

    private static byte[] bigEndian(byte[] header) {
        byte[] bytes = header.clone();
        ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).putInt(4, 3);
        return bytes;
    }

    /** GGUF bytes by hand, for what no writer writes: version 3, no tensors, {@code keys} key-values. */
    private static final class Raw {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Raw(long keys) {
            out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
            u32(3).u64(0).u64(keys);
        }

        Raw u32(long value) {
            return little(value, 4);
        }

        Raw u64(long value) {
            return little(value, 8);
        }

        /** A string: its length, then its UTF-8 bytes. */
        Raw key(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            u64(utf8.length);
            out.writeBytes(utf8);
            return this;
        }

        private Raw little(long value, int size) {
            for (int i = 0; i < size; i++) {
                out.write((int) (value >>> (8 * i)));
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
