package io.hfsync.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the benchmarks share: the {@link BenchHub} process they start and read its addresses from, the packaged
 * product started as a user starts it (its own working directory, a clean environment), the Hub's admin calls, and
 * the scratch-directory and log helpers. One place, so that a change to how the product is launched reaches every
 * benchmark.
 */
final class BenchSupport {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private BenchSupport() {
    }

    /** A running {@link BenchHub}: its process, its Hub and admin base URLs, and every "KEY value…" line it printed. */
    record Hub(Process process, String url, String admin, Map<String, String> lines) implements AutoCloseable {

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }
    }

    /**
     * Starts {@code BenchHub N 42 [extra…]} in its own JVM (output to {@code dir/hub.out}) and waits until it prints
     * READY (at most 10 minutes: generating 200k repos takes seconds, the JVM start a moment).
     */
    static Hub startHub(Path dir, String classpath, int n, String... extra) throws Exception {
        Path hubOut = dir.resolve("hub.out");
        List<String> command = new ArrayList<>(List.of("java", "-Xmx6g", "-XX:+UseParallelGC", "-cp",
                classpath, "io.hfsync.bench.BenchHub", Integer.toString(n), "42"));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(hubOut.toFile()).start();
        for (int i = 0; i < 1200 && process.isAlive(); i++) {
            List<String> lines = Files.readAllLines(hubOut);
            if (lines.contains("READY")) {
                Map<String, String> byKey = new LinkedHashMap<>();
                for (String line : lines) {
                    log("hub: " + line);
                    int space = line.indexOf(' ');
                    byKey.put(space < 0 ? line : line.substring(0, space), space < 0 ? "" : line.substring(space + 1));
                }
                if (byKey.containsKey("HUB") && byKey.containsKey("ADMIN")) {
                    return new Hub(process, byKey.get("HUB"), byKey.get("ADMIN"), byKey);
                }
                break;
            }
            Thread.sleep(500);
        }
        process.destroyForcibly();
        throw new IllegalStateException("hub did not start, see " + hubOut);
    }

    /**
     * Starts the packaged product from its directory as a user would ({@code java OPTIONS -jar hf-gguf-sync.jar
     * ARGS}), output to {@code log}, with this JVM's environment minus every variable the product reads, plus
     * {@code env}.
     */
    static Process startProduct(Path product, Path log, Map<String, String> env, List<String> jvmOptions,
            String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", "hf-gguf-sync.jar"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(product.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("SYNC_")
                || k.startsWith("HUB_") || k.startsWith("CAMEL_") || k.startsWith("MANAGEMENT_")
                || k.startsWith("CATALOG_") || k.startsWith("WEB_") || k.equals("DATA_DIR")
                || k.equals("TIMEOUT_HOURS") || k.equals("MAX_CONCURRENCY") || k.equals("FETCH_FILE_SIZES")
                || k.equals("SIZES_FROM_LISTING") || k.equals("HUGGINGFACE_TOKEN"));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Waits for the product to exit: its exit code, or "timeout" (it is killed) after {@code minutes}. */
    static String exitOf(Process process, long minutes) throws InterruptedException {
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return "timeout";
        }
        return Integer.toString(process.exitValue());
    }

    /** {@code out/PREFIX-<utc stamp>.csv}: one results file per invocation, named by when it started. */
    static Path resultsCsv(Path out, String prefix) {
        return out.resolve(prefix + "-" + stamp() + ".csv");
    }

    /**
     * The stamp of this invocation's result files: the script's ({@code -Dbench.stamp}, bench/lib.sh's utc_stamp), or
     * now in the same format, 2026-11-25T125608Z.
     */
    static String stamp() {
        String given = System.getProperty("bench.stamp");
        return given != null ? given
                : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().replace(":", "");
    }

    static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static String post(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static void log(String s) {
        System.out.println(Instant.now() + " " + s);
        System.out.flush();
    }
}
