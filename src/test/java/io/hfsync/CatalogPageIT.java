package io.hfsync;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * docs/browser.md in a real browser: the packaged jar started as the README's first command says ({@code --demo}: sync the
 * embedded stand-in Hub, then serve), the page driven in headless Chromium from Debian's packages through Selenium —
 * search, filters, sort, paging, one model, the status panel — every list checked against the JSON API, and a
 * screenshot in {@code target/}. Then {@code --serve} answers the same catalog from the same {@code DATA_DIR} without
 * a sync.
 */
@NeedsHostProgram(HostProgram.CHROMIUM)
class CatalogPageIT {

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;

    @Test
    void should_search_filter_sort_page_and_open_a_model_in_chromium() throws Exception {
        Path dataDir = work.resolve("data");
        int port = freePort();
        // the README's command; the test keeps the daemon's own schedule (02:00 UTC) from adding a run meanwhile
        try (JarProcess demo = JarProcess.start("demo", work, Map.of("DATA_DIR", dataDir.toString(),
                "WEB_PORT", String.valueOf(port), "SYNC_CRON", RunningDaemon.NEVER), "--demo")) {
            String base = "http://127.0.0.1:" + port;
            await("the demo's first sync is published and served").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .failFast(() -> !demo.process.isAlive())
                    .until(() -> runs(base).size() == 1);
            // the run publishes as soon as its listing completes, again when sizes and headers are read: wait for it
            await("the demo's first sync read every size and header").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(250))
                    .failFast(() -> !demo.process.isAlive())
                    .until(() -> runs(base).get(0).path("headers_read").asInt() > 0
                            && runs(base).get(0).path("headers_pending").asInt() == 0);
            JsonNode run = runs(base).get(0);
            assertTrue(run.get("success").asBoolean(), run.toString());
            long total = api(base, "/api/models?page_size=1").get("total").asLong();
            assertEquals(run.get("total_models").asLong(), total);

            WebDriver browser = chromium();
            try {
                browser.get(base + "/");
                // the first page: the most downloaded models, all of the catalog counted
                awaitRows(browser, base, "");
                awaitText(browser, "#summary", String.format(Locale.ROOT, "%,d models", total));
                awaitText(browser, "#page-info", "Page 1 of " + String.format(Locale.ROOT, "%,d", (total + 49) / 50));

                // the status panel: the last sync as /api/runs has it, and a chart of it
                String status = browser.findElement(By.id("last-sync")).getText();
                assertTrue(status.contains("succeeded"), status);
                assertTrue(status.contains(run.get("sync_mode").asText()), status);
                assertTrue(status.contains(run.get("mode_reason").asText()), status);
                assertTrue(status.contains(String.format(Locale.ROOT, "%,d", total)), status);
                assertTrue(status.contains("+" + run.get("models_added").asInt() + " added"), status);
                // docs/gguf-headers.md: the demo's header reads, the ones left and the /resolve/ calls they took
                assertTrue(run.get("headers_read").asInt() > 1000, run.toString());
                assertTrue(status.contains(String.format(Locale.ROOT, "%,d read, %,d pending, %,d resolver calls",
                        run.get("headers_read").asInt(), run.get("headers_pending").asInt(),
                        run.get("resolver_calls").asInt())), status);
                assertFalse(browser.findElements(By.cssSelector("#chart svg rect.added")).isEmpty(), "a bar per run");

                // search, then the next page of the results
                WebElement search = browser.findElement(By.id("q"));
                search.sendKeys("qwen3");
                String query = "q=qwen3";
                long found = awaitRows(browser, base, query);
                assertTrue(found > 50, "the demo holds enough qwen3 repos to page: " + found);
                browser.findElement(By.id("next")).click();
                awaitRows(browser, base, query + "&page=2");
                awaitText(browser, "#page-info", "Page 2 of ");

                // filters: back to page 1 each time, each list exactly the API's
                new Select(browser.findElement(By.id("quantization"))).selectByValue("Q4_K_M");
                query += "&quantization=Q4_K_M";
                awaitRows(browser, base, query);
                for (WebElement row : browser.findElements(By.cssSelector("#results tbody tr"))) {
                    assertEquals("Q4_K_M", row.findElement(By.cssSelector(".chip.on")).getText(), "the chosen quantization stands out");
                }
                WebElement maxSize = browser.findElement(By.id("max-size"));
                maxSize.sendKeys("8", Keys.TAB);
                query += "&max_size_gb=8";
                awaitRows(browser, base, query);
                new Select(browser.findElement(By.id("gated"))).selectByValue("false");
                query += "&gated=false";
                awaitRows(browser, base, query);
                new Select(browser.findElement(By.id("sort"))).selectByValue("likes");
                awaitRows(browser, base, query + "&sort=likes");
                new Select(browser.findElement(By.id("sort"))).selectByValue("size");
                query += "&sort=size";
                awaitRows(browser, base, query);
                String architecture = api(base, "/api/models?" + query).get("models").get(0).get("architecture").asText();
                new Select(browser.findElement(By.id("architecture"))).selectByValue(architecture);
                query += "&architecture=" + architecture;
                assertTrue(awaitRows(browser, base, query) > 0);

                // one model: its files, sizes, download URLs and how to run each quantization
                WebElement first = browser.findElement(By.cssSelector("#results tbody tr a.model-link"));
                String id = first.getText();
                first.click();
                JsonNode model = api(base, "/api/models/" + id);
                String hub = api(base, "/api/filters").get("hub_url").asText();
                await("the model dialog").atMost(WAIT).until(() -> browser.findElement(By.id("model")).isDisplayed()
                        && browser.findElement(By.id("model-title")).getText().equals(id)
                        && browser.findElements(By.cssSelector("#files tbody tr")).size() == model.get("files").size());
                List<WebElement> rows = browser.findElements(By.cssSelector("#files tbody tr"));
                for (int i = 0; i < rows.size(); i++) {
                    JsonNode file = model.get("files").get(i);
                    WebElement row = rows.get(i);
                    assertEquals(hub + "/" + id + "/resolve/main/" + file.get("name").asText(),
                            row.findElement(By.cssSelector("a.download")).getAttribute("href"));
                    assertEquals(file.get("name").asText(), row.findElement(By.cssSelector("a.download")).getText());
                    String text = row.getText();
                    if (file.get("role").asText().equals("weights") && !file.get("quantization").isNull()) {
                        String quant = file.get("quantization").asText();
                        assertTrue(text.contains("llama-server -hf " + id + ":" + quant), text);
                        assertTrue(text.contains("ollama run hf.co/" + id + ":" + quant), text);
                    }
                    if (!file.get("size").isNull()) {
                        assertTrue(text.matches("(?s).*\\d+(\\.\\d)? [GM]B.*"), text);
                    }
                }
                screenshot(browser, "catalog-page-model.png");
                browser.findElement(By.cssSelector("#model .close")).click();
                await("the dialog closes").atMost(WAIT).until(() -> !browser.findElement(By.id("model")).isDisplayed());

                // back to a broad view for the screenshot a person looks at
                search.clear();
                search.sendKeys("instruct");
                new Select(browser.findElement(By.id("architecture"))).selectByValue("");
                new Select(browser.findElement(By.id("gated"))).selectByValue("");
                new Select(browser.findElement(By.id("sort"))).selectByValue("downloads");
                maxSize.clear();
                maxSize.sendKeys("12", Keys.TAB);
                awaitRows(browser, base, "q=instruct&quantization=Q4_K_M&max_size_gb=12");
                screenshot(browser, "catalog-page.png");
            } finally {
                browser.quit();
            }
        }

        // a first sync that left sizes to the next runs (as a time budget does at the Hub's scale): the status panel
        // says they are arriving
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("gguf_models.sqlite"));
                Statement sql = db.createStatement()) {
            sql.executeUpdate("UPDATE sync_runs SET details_pending = 1234, headers_pending = 5678");
        }

        // --serve: the same catalog from the same DATA_DIR, no sync
        int servePort = freePort();
        try (JarProcess serve = JarProcess.start("serve", work, Map.of("DATA_DIR", dataDir.toString(),
                "WEB_PORT", String.valueOf(servePort)), "--serve")) {
            String base = "http://127.0.0.1:" + servePort;
            await("--serve answers").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .failFast(() -> !serve.process.isAlive())
                    .until(() -> status(base + "/api/runs") == 200);
            assertEquals(1, runs(base).size(), "no run of its own");
            assertTrue(api(base, "/api/models?q=qwen3").get("total").asLong() > 50);
            WebDriver browser = chromium();
            try {
                browser.get(base + "/");
                awaitText(browser, "#last-sync", "Sizes arriving: 1,234 models pending");
                awaitText(browser, "#headers-arriving", "5,678 pending");
                screenshot(browser, "catalog-page-sizes-arriving.png");
            } finally {
                browser.quit();
            }
            assertEquals(0, serve.reports(), serve.output());
        }
    }

    private WebDriver chromium() {
        return chromium(work);
    }

    /** Headless Chromium from Debian's packages through its chromedriver, its profile and log under {@code work}. */
    static WebDriver chromium(Path work) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(HostProgram.find("chromium").orElseThrow().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + work.resolve("chromium-profile"),
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(HostProgram.find("chromedriver").orElseThrow().toFile())
                .usingAnyFreePort()
                .withLogFile(work.resolve("chromedriver.log").toFile())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 1000));
        return driver;
    }

    /** Waits until the table shows exactly the API's first page for {@code query}; returns the API's total. */
    private long awaitRows(WebDriver browser, String base, String query) throws Exception {
        JsonNode page = api(base, "/api/models?" + query + (query.contains("page_size") ? "" : "&page_size=50"));
        List<String> expected = new ArrayList<>();
        page.get("models").forEach(m -> expected.add(m.get("id").asText()));
        await("the table shows " + query).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> rowIds(browser).equals(expected)
                        && browser.findElements(By.cssSelector("#results[aria-busy]")).isEmpty());
        long total = page.get("total").asLong();
        awaitText(browser, "#summary", total == 0 ? "No model matches." : String.format(Locale.ROOT, "%,d model", total));
        return total;
    }

    private static List<String> rowIds(WebDriver browser) {
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('#results tbody tr')].map(r => r.dataset.id)");
        return ids;
    }

    private static void awaitText(WebDriver browser, String selector, String text) {
        await(selector + " shows " + text).atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> browser.findElement(By.cssSelector(selector)).getText().contains(text));
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(Path.of("target"));
        Files.copy(shot, Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
    }

    private JsonNode runs(String base) throws Exception {
        return status(base + "/api/runs") == 200 ? api(base, "/api/runs") : JSON.createArrayNode();
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private JsonNode api(String base, String path) throws Exception {
        String[] parts = path.split("\\?", 2);
        String url = base + parts[0].replace(" ", "%20");
        if (parts.length == 2) {
            StringBuilder query = new StringBuilder();
            for (String pair : parts[1].split("&")) {
                int eq = pair.indexOf('=');
                query.append(query.length() == 0 ? "?" : "&").append(pair, 0, eq + 1)
                        .append(URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            url += query;
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + " -> " + response.body());
        return JSON.readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
