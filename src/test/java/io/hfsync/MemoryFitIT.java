package io.hfsync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hfsync.catalog.CatalogEntry;
import io.hfsync.gguf.GgufHeader;
import io.hfsync.memory.MemoryEstimate;
import io.hfsync.memory.MemoryEstimator;
import io.hfsync.standin.HubRepo;
import io.hfsync.standin.RepoFile;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Will it fit (docs/memory.md), as a user asks it: a catalog whose models carry GGUF headers (given here, with the
 * exact shapes of real models, as a header read would store them; GgufHeadersIT reads the stand-in's), synced again
 * (the header and memory of an unchanged model kept), served by the daemon: {@code fits_gb} and {@code context} through the API
 * (the page index's answers are those of the estimate itself), and the page in Chromium with its memory inputs, each
 * file's total and fit, and the whole search in the address bar, reload included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemoryFitIT {

    private static final Instant T0 = Instant.parse("2026-11-20T02:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final long GB = 1_000_000_000L;
    private static final String LLAMA = "acme/Llama-3.1-8B-GGUF";
    private static final String GEMMA = "acme/Gemma-3-12B-GGUF";
    private static final String QWEN = "bob/Qwen3-30B-A3B-GGUF";
    private static final String TINY = "carol/Tiny-GGUF";
    private static final String NO_HEADER = "dave/NoHeader-GGUF";
    private static final int FILLERS = 55;

    @TempDir
    static Path dataDir;
    @TempDir
    static Path work;
    SyncHarness app;
    RunningDaemon daemon;
    /** The headers the catalog carries, by model (as a header read would give them). */
    final Map<String, GgufHeader> headers = new LinkedHashMap<>();

    @BeforeAll
    void sync_a_catalog_with_headers_and_serve_it() throws Exception {
        // the headers are the test's own (exact shapes of real models); the stand-in's would be read otherwise
        app = new SyncHarness(dataDir, T0).withDefaults("sync.gguf-headers=false");
        app.snapshot().put(repo(LLAMA, "llama", 20_000, new RepoFile("Llama-3.1-8B-Q4_K_M.gguf", 4_920_000_000L),
                new RepoFile("Llama-3.1-8B-Q8_0.gguf", 8_540_000_000L), new RepoFile("Llama-3.1-8B-F16.gguf", 16_070_000_000L)));
        app.snapshot().put(repo(GEMMA, "gemma3", 9_000, new RepoFile("gemma-3-12b-Q4_K_M.gguf", 7_300_000_000L),
                new RepoFile("mmproj-gemma-3-12b-F16.gguf", 850_000_000L)));
        app.snapshot().put(repo(QWEN, "qwen3moe", 5_000, new RepoFile("Qwen3-30B-A3B-Q4_K_M.gguf", 18_600_000_000L),
                new RepoFile("Q8_0/Qwen3-30B-A3B-Q8_0-00001-of-00002.gguf", 20_000_000_000L),
                new RepoFile("Q8_0/Qwen3-30B-A3B-Q8_0-00002-of-00002.gguf", 12_500_000_000L)));
        app.snapshot().put(repo(TINY, "llama", 100, new RepoFile("tiny.Q8_0.gguf", 1_200_000_000L)));
        app.snapshot().put(repo(NO_HEADER, "llama", 700, new RepoFile("noheader.Q4_K_M.gguf", 3 * GB)));
        for (int i = 0; i < FILLERS; i++) {
            app.snapshot().put(repo(String.format("filler/Filler-%02d-GGUF", i), "llama", i,
                    new RepoFile("filler.Q2_K.gguf", 2 * GB)));
        }
        assertEquals(0, app.sync());
        // Llama 3.1 8B, Gemma 3 12B (sliding window), Qwen3 30B-A3B (MoE, 40k context), a 2k-context model
        headers.put(LLAMA, header(LLAMA, "llama", 32, 131072, 4096, 32, 8, null, null, null, null, null, 128256, 14336));
        headers.put(GEMMA, header(GEMMA, "gemma3", 48, 131072, 3840, 16, 8, 256, 1024, null, null, null, 262144, 15360));
        headers.put(QWEN, header(QWEN, "qwen3moe", 48, 40960, 2048, 32, 4, 128, null, 128, 8, 768, 151936, 6144));
        headers.put(TINY, header(TINY, "llama", 22, 2048, 2048, 32, 4, null, null, null, null, null, 32000, 5632));
        withHeaders(dataDir.resolve("gguf_models.json"));
        // the next run lists the same revisions: every header, size and memory is kept as the catalog had it
        assertEquals(0, app.sync());
        for (var header : headers.entrySet()) {
            assertEquals(tree(header.getValue()), app.model(header.getKey()).get("gguf_header"));
        }
        daemon = new RunningDaemon(app, "sync.cron=" + RunningDaemon.NEVER, "sync.gguf-headers=false");
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (daemon != null) {
            daemon.close();
        }
    }

    private static HubRepo repo(String id, String architecture, long downloads, RepoFile... files) {
        Instant modified = T0.minus(Duration.ofDays(3));
        return new HubRepo(id, id.substring(0, id.indexOf('/')), SyncHarness.sha(id + modified), modified,
                modified.minus(Duration.ofDays(30)), false, downloads, 1L,
                List.of("gguf", architecture, "text-generation"), "text-generation", "gguf", architecture, 32_768L,
                8_000_000_000L, List.of(files), false);
    }

    private GgufHeader header(String id, String arch, int layers, long context, int embd, int heads, int kvHeads,
            Integer headLength, Integer window, Integer experts, Integer used, Integer expertFfn, long vocab, int ffn) {
        String sha = app.snapshot().get(id).sha();
        return new GgufHeader(sha, "first.gguf", 9_000L, arch, layers, context, embd, heads, List.of(kvHeads), headLength,
                headLength, window, null, null, null, null, null, experts, used, null, null, null, null, vocab, null,
                null, ffn, expertFfn);
    }

    /** The catalog as a run that read these headers would leave it: each entry made again with its header. */
    private void withHeaders(Path catalog) throws Exception {
        ObjectNode document = (ObjectNode) JSON.readTree(catalog.toFile());
        ArrayNode models = JSON.createArrayNode();
        for (JsonNode model : document.get("models")) {
            CatalogEntry entry = JSON.treeToValue(model, CatalogEntry.class);
            GgufHeader header = headers.get(entry.id());
            models.add(JSON.valueToTree(header == null ? entry : entry.withGgufHeader(header)));
        }
        document.set("models", models);
        Files.write(catalog, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document));
    }

    // --- the catalog ---------------------------------------------------------------------------------

    @Test
    void should_hold_each_weights_files_memory_and_the_vision_projector_in_the_catalog_and_the_api() throws Exception {
        JsonNode llama = ok("/api/models/" + LLAMA);
        assertEquals(app.model(LLAMA), llama, "the API's entry is the catalog's");
        JsonNode q4 = llama.get("files").get(0);
        assertEquals(tree(MemoryEstimator.estimates(4_920_000_000L, headers.get(LLAMA))), q4.get("memory"));
        assertEquals(List.of(4096L, 8192L, 32768L, 131072L), contexts(q4));
        // 32 layers x 8 KV heads x 256 values x 2 bytes a cell: exactly 1 GiB at 8192
        assertEquals(1L << 30, q4.get("memory").get(1).get("kv_cache").asLong());

        JsonNode qwen = ok("/api/models/" + QWEN);
        JsonNode split = qwen.get("files").get(1);
        assertEquals(32_500_000_000L, split.get("memory").get(0).get("weights").asLong(), "split parts summed");
        assertEquals(List.of(4096L, 8192L, 32768L, 40960L), contexts(split), "its own 40k context, nothing beyond");
        assertEquals(List.of(2048L), contexts(ok("/api/models/" + TINY).get("files").get(0)));

        JsonNode gemma = ok("/api/models/" + GEMMA);
        assertEquals(850_000_000L, gemma.get("mmproj_bytes").asLong());
        assertTrue(gemma.get("files").get(1).get("memory").isNull(), "a projector has no memory of its own");
        assertTrue(llama.get("mmproj_bytes").isNull());

        JsonNode unknown = ok("/api/models/" + NO_HEADER).get("files").get(0).get("memory");
        assertEquals(tree(List.of(new MemoryEstimate(null, 3 * GB, null, null, null))), unknown,
                "no header: the weights, never a guess");
    }

    // --- GET /api/models?fits_gb=&context= -----------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // Llama's Q4_K_M needs 6.3 GB at 8k (4.92 weights + 1.07 KV + 0.28 compute); Gemma 3's 8.9 GB
        "fits_gb=8 | acme/Llama-3.1-8B-GGUF",
        "fits_gb=9 | acme/Llama-3.1-8B-GGUF, acme/Gemma-3-12B-GGUF",
        "fits_gb=9&context=8192 | acme/Llama-3.1-8B-GGUF, acme/Gemma-3-12B-GGUF",
        "fits_gb=10&context=32768 | acme/Llama-3.1-8B-GGUF",
        // at 128k Gemma 3's sliding window keeps its cache at 9.1 GB, Llama's grows to 17.2 GB; Qwen3 stops at 40k
        "fits_gb=20&context=131072 | acme/Gemma-3-12B-GGUF",
        "fits_gb=24&context=32768 | acme/Llama-3.1-8B-GGUF, acme/Gemma-3-12B-GGUF, bob/Qwen3-30B-A3B-GGUF",
        // a 2k model fits no asked context; a model without a header is never said to fit
        "fits_gb=1000&context=4096 | acme/Llama-3.1-8B-GGUF, acme/Gemma-3-12B-GGUF, bob/Qwen3-30B-A3B-GGUF",
        // by the largest file that fits: Qwen3's Q4_K_M 18.6 GB, Llama's F16 16.1 GB (20.6 GB at 32k), Gemma's 7.3 GB
        "fits_gb=24&context=32768&sort=size | bob/Qwen3-30B-A3B-GGUF, acme/Llama-3.1-8B-GGUF, acme/Gemma-3-12B-GGUF",
        "fits_gb=10&sort=size&page_size=3 | acme/Llama-3.1-8B-GGUF, acme/Gemma-3-12B-GGUF",
        // one file passes every file filter: Llama's Q8_0 (9.9 GB at 8k), Gemma's Q4_K_M (7.3 GB file)
        "fits_gb=10&quantization=Q8_0 | acme/Llama-3.1-8B-GGUF",
        "fits_gb=10&max_size_gb=8 | acme/Llama-3.1-8B-GGUF, acme/Gemma-3-12B-GGUF",
        "fits_gb=9&max_size_gb=5 | acme/Llama-3.1-8B-GGUF",
        "fits_gb=30&q=acme&context=131072 | acme/Llama-3.1-8B-GGUF, acme/Gemma-3-12B-GGUF",
        // context alone filters nothing
        "context=131072&page_size=3 | acme/Llama-3.1-8B-GGUF, acme/Gemma-3-12B-GGUF, bob/Qwen3-30B-A3B-GGUF",
    })
    void should_keep_the_models_with_a_file_that_fits(String query, String expected) throws Exception {
        JsonNode page = ok("/api/models?" + query);
        List<String> want = List.of(expected.split(",\\s*"));
        assertEquals(want, ids(page));
        if (!query.contains("page_size")) {
            assertEquals(want.size(), page.get("total").asInt());
        }
        if (query.contains("fits_gb") && !query.contains("sort=size") && !query.contains("q=")
                && !query.contains("max_size_gb") && !query.contains("quantization")) {
            assertEquals(oracle(query), ids(page), "the estimate itself, file by file");
        }
    }

    @Test
    void should_order_by_the_largest_file_without_a_budget() throws Exception {
        assertEquals(List.of(QWEN, LLAMA, GEMMA), ids(ok("/api/models?sort=size&page_size=3")));
    }

    /** The models whose weights file's estimate at the context is within the budget, most downloaded first. */
    private List<String> oracle(String query) {
        Map<String, String> parameters = new TreeMap<>();
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            parameters.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        long budget = (long) (Double.parseDouble(parameters.get("fits_gb")) * GB);
        long context = Long.parseLong(parameters.getOrDefault("context", "8192"));
        List<String> fits = new ArrayList<>();
        for (String id : List.of(LLAMA, GEMMA, QWEN, NO_HEADER, TINY)) {
            for (JsonNode file : app.model(id).get("files")) {
                GgufHeader header = headers.get(id);
                if (!file.get("role").asText().equals("weights") || header == null || fits.contains(id)
                        || !MemoryEstimator.contexts(header.contextLength()).contains(context)) {
                    continue;
                }
                MemoryEstimate estimate = MemoryEstimator.estimate(file.get("size").asLong(), header, context);
                if (estimate.total() != null && estimate.total() <= budget) {
                    fits.add(id);
                }
            }
        }
        return fits;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "fits_gb=abc | fits_gb",
        "fits_gb=0 | fits_gb",
        "fits_gb=-8 | fits_gb",
        "fits_gb=1e400 | fits_gb",
        "fits_gb=8&context=5000 | context",
        "fits_gb=8&context=2048 | context",
        "fits_gb=8&context=32k | context",
        "context=abc | context",
        "fits_gb=8&fits_gb=9 | fits_gb",
    })
    void should_answer_400_naming_the_bad_parameter(String query, String parameter) throws Exception {
        var response = daemon.getWeb("/api/models?" + query);
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(JSON.readTree(response.body()).get("error").asText().startsWith(parameter), response.body());
    }

    // --- the page ---------------------------------------------------------------------------------------------

    @Test
    @NeedsHostProgram(HostProgram.CHROMIUM)
    void should_show_each_files_memory_and_fit_and_keep_the_whole_search_in_the_address_bar() throws Exception {
        String base = "http://127.0.0.1:" + daemon.webPort();
        WebDriver browser = CatalogPageIT.chromium(work);
        try {
            browser.get(base + "/");
            awaitRows(browser, "");

            // a memory budget and a context: only models with a file that fits, each row saying so
            WebElement memory = browser.findElement(By.id("memory"));
            memory.sendKeys("10", Keys.TAB);
            awaitRows(browser, "fits_gb=10");
            new Select(browser.findElement(By.id("context"))).selectByValue("32768");
            awaitRows(browser, "fits_gb=10&context=32768");
            assertEquals("?fits_gb=10&context=32768", search(browser));
            assertEquals(List.of(LLAMA), rowIds(browser));
            String cell = browser.findElement(By.cssSelector("#results tbody tr td.memory")).getText();
            assertTrue(cell.contains("Q4_K_M") && cell.contains("9.5 GB") && cell.contains("fits"), cell);
            assertEquals("Memory at 32k", browser.findElement(By.id("memory-head")).getText());

            // one model: each file's total at that context, its parts on hover, fits or does not
            browser.findElement(By.cssSelector("#results tbody tr a.model-link")).click();
            await("the model dialog").atMost(CatalogPageIT.WAIT).until(() -> browser.findElement(By.id("model"))
                    .isDisplayed() && browser.findElements(By.cssSelector("#files tbody tr td.memory")).size() == 3);
            List<WebElement> totals = browser.findElements(By.cssSelector("#files tbody tr td.memory"));
            assertEquals("9.5 GB ✓ fits", totals.get(0).getText());
            assertEquals("13.1 GB ✗ does not fit", totals.get(1).getText());
            assertEquals("20.6 GB ✗ does not fit", totals.get(2).getText());
            assertEquals("weights 4.9 GB + KV cache 4.3 GB + compute 279 MB = 9.5 GB at 32,768 tokens",
                    totals.get(0).getAttribute("title"));
            browser.findElement(By.cssSelector("#model .close")).click();
            await("the dialog closes").atMost(CatalogPageIT.WAIT)
                    .until(() -> !browser.findElement(By.id("model")).isDisplayed());
            assertEquals("?fits_gb=10&context=32768", search(browser), "closing the dialog keeps the search");

            // every part of a search in the address bar, and a reload asks it again
            memory.clear();
            memory.sendKeys("24", Keys.TAB);
            awaitRows(browser, "fits_gb=24&context=32768");
            new Select(browser.findElement(By.id("sort"))).selectByValue("size");
            awaitRows(browser, "fits_gb=24&context=32768&sort=size");
            assertEquals(List.of(QWEN, LLAMA, GEMMA), rowIds(browser));
            browser.findElement(By.id("q")).sendKeys("acme");
            new Select(browser.findElement(By.id("quantization"))).selectByValue("Q4_K_M");
            browser.findElement(By.id("max-size")).sendKeys("8", Keys.TAB);
            new Select(browser.findElement(By.id("gated"))).selectByValue("false");
            new Select(browser.findElement(By.id("architecture"))).selectByValue("gemma3");
            String full = "q=acme&quantization=Q4_K_M&architecture=gemma3&max_size_gb=8&gated=false&fits_gb=24"
                    + "&context=32768&sort=size";
            awaitRows(browser, full);
            assertEquals("?" + full, search(browser));
            assertEquals(List.of(GEMMA), rowIds(browser));
            browser.navigate().refresh();
            awaitRows(browser, full);
            assertEquals(Map.of("q", "acme", "quantization", "Q4_K_M", "architecture", "gemma3", "max-size", "8",
                    "gated", "false", "memory", "24", "context", "32768", "sort", "size"), form(browser));

            // back: the search before it, as it was
            browser.navigate().back();
            await("back to the previous search").atMost(CatalogPageIT.WAIT)
                    .until(() -> !search(browser).contains("architecture=gemma3"));
            awaitRows(browser, search(browser).substring(1));

            // a bookmark of a later page: the page, the memory and the context come back with it
            browser.get(base + "/?fits_gb=1000&context=4096&page=1");
            awaitRows(browser, "fits_gb=1000&context=4096");
            browser.get(base + "/?page=2&context=131072");
            awaitRows(browser, "context=131072&page=2");
            assertEquals("Page 2 of 2", browser.findElement(By.id("page-info")).getText());
            assertEquals("131072", form(browser).get("context"));
            browser.findElement(By.id("prev")).click();
            awaitRows(browser, "context=131072");
            assertEquals("?context=131072", search(browser));
            browser.navigate().refresh();
            awaitRows(browser, "context=131072");
            assertEquals("Memory at 128k", browser.findElement(By.id("memory-head")).getText());
        } finally {
            browser.quit();
        }
    }

    @Test
    @NeedsHostProgram(HostProgram.CHROMIUM)
    void should_show_a_vision_projector_beside_the_total_and_only_the_weights_without_a_header() throws Exception {
        String base = "http://127.0.0.1:" + daemon.webPort();
        WebDriver browser = CatalogPageIT.chromium(work);
        try {
            // Gemma 3's projector: beside its total in the list, never in it (its Q4_K_M fits 9 GB without it)
            browser.get(base + "/?fits_gb=9");
            awaitRows(browser, "fits_gb=9");
            WebElement gemma = browser.findElement(By.cssSelector("#results tbody tr[data-id='" + GEMMA + "'] td.memory"));
            assertEquals("Q4_K_M 8.9 GB ✓ fits\n+ 850 MB vision", gemma.getText());
            assertEquals("vision projector (mmproj): 850 MB more when loaded with --mmproj, not in the total",
                    gemma.findElement(By.className("mmproj")).getAttribute("title"));
            WebElement llama = browser.findElement(By.cssSelector("#results tbody tr[data-id='" + LLAMA + "'] td.memory"));
            assertTrue(llama.findElements(By.className("mmproj")).isEmpty(), llama.getText());

            // and in its dialog, beside the weights file's total; the projector's own row says how it is loaded
            browser.get(base + "/?fits_gb=9#/model/" + GEMMA);
            await("Gemma's dialog").atMost(CatalogPageIT.WAIT).until(() -> browser.findElement(By.id("model"))
                    .isDisplayed() && browser.findElements(By.cssSelector("#files tbody tr")).size() == 2);
            List<WebElement> rows = browser.findElements(By.cssSelector("#files tbody tr"));
            assertEquals("8.9 GB ✓ fits\n+ 850 MB vision", rows.get(0).findElement(By.cssSelector("td.memory")).getText());
            assertTrue(rows.get(1).getText().contains("with --mmproj"), rows.get(1).getText());

            // a model whose header is unknown: its weights on hover, no total, and never a fit mark
            browser.get(base + "/?fits_gb=1000&q=dave#/model/" + NO_HEADER);
            await("the dialog of the model without a header").atMost(CatalogPageIT.WAIT).until(() -> browser
                    .findElement(By.id("model")).isDisplayed() && !browser.findElements(By.cssSelector("#files td.memory")).isEmpty());
            WebElement unknown = browser.findElement(By.cssSelector("#files td.memory"));
            assertEquals("—", unknown.getText());
            assertEquals("no GGUF header read yet: only the weights are known (3.0 GB)", unknown.getAttribute("title"));
            assertEquals(0, ok("/api/models?fits_gb=1000&q=dave").get("total").asInt(), "never said to fit");
        } finally {
            browser.quit();
        }
    }

    /** Waits until the table shows exactly the API's page for {@code query} (the page's 50 a page). */
    private void awaitRows(WebDriver browser, String query) throws Exception {
        JsonNode page = ok("/api/models?" + query + "&page_size=50");
        List<String> expected = ids(page);
        await("the table shows " + query).atMost(CatalogPageIT.WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> rowIds(browser).equals(expected)
                        && browser.findElements(By.cssSelector("#results[aria-busy]")).isEmpty());
    }

    private static List<String> rowIds(WebDriver browser) {
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('#results tbody tr')].map(r => r.dataset.id)");
        return ids;
    }

    private static String search(WebDriver browser) {
        return URI.create(browser.getCurrentUrl()).getRawQuery() == null ? ""
                : "?" + URI.create(browser.getCurrentUrl()).getRawQuery();
    }

    private static Map<String, String> form(WebDriver browser) {
        Map<String, String> values = new TreeMap<>();
        for (String id : List.of("q", "quantization", "architecture", "max-size", "gated", "memory", "context", "sort")) {
            String value = browser.findElement(By.id(id)).getAttribute("value");
            if (!value.isEmpty() && !(id.equals("sort") && value.equals("downloads"))) {
                values.put(id, value);
            }
        }
        return values;
    }

    private JsonNode ok(String path) throws Exception {
        var response = daemon.getWeb(path);
        assertEquals(200, response.statusCode(), path + " -> " + response.body());
        return JSON.readTree(response.body());
    }

    /** A value as JSON reads back from text (numbers as the smallest node that holds them). */
    private static JsonNode tree(Object value) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(value));
    }

    private static List<Long> contexts(JsonNode file) {
        List<Long> contexts = new ArrayList<>();
        file.get("memory").forEach(m -> contexts.add(m.get("context").asLong()));
        return contexts;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("models").forEach(m -> ids.add(m.get("id").asText()));
        return ids;
    }
}
