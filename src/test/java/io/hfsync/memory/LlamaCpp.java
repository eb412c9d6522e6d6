package io.hfsync.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * llama.cpp itself, through the npm package node-llama-cpp and its prebuilt CPU binary (never a build, no network):
 * {@code src/test/node/llama-memory.mjs} loads each model at each context in one node process and hands back the
 * lines llama.cpp logs about what it allocated (docs/memory.md).
 */
final class LlamaCpp {

    static final Path NODE_DIR = Path.of("src/test/node");
    private static final Pattern KV_CACHE = Pattern.compile("llama_kv_cache: size =\\s*([\\d.]+) MiB \\(\\s*(\\d+) cells,\\s*(\\d+) layers");
    private static final Pattern RECURRENT = Pattern.compile("llama_memory_recurrent: size =\\s*([\\d.]+) MiB");
    private static final Pattern COMPUTE = Pattern.compile("compute buffer size =\\s*([\\d.]+) MiB");
    private static final Pattern MODEL = Pattern.compile("model buffer size =\\s*([\\d.]+) MiB");
    private static final Pattern OUTPUT = Pattern.compile("output buffer size =\\s*([\\d.]+) MiB");

    /** One load: a model at a context, with the batch node-llama-cpp is asked for. */
    record Case(String id, Path model, long context, int batch) {
    }

    /**
     * What llama.cpp reported for one case, in MiB as it prints them (two decimals).
     *
     * @param cacheMiB   each KV cache and recurrent state it allocated
     * @param cells      the cells of each KV cache, in the order it created them
     * @param computeMiB its compute buffer
     * @param modelMiB   the model's tensors (every "model buffer" it logged when loading: mapped and repacked)
     * @param outputMiB  its output buffer (the logits it hands back)
     */
    record Report(List<Double> cacheMiB, List<Long> cells, double computeMiB, double modelMiB, double outputMiB) {
        double kvCacheMiB() {
            return cacheMiB.stream().mapToDouble(Double::doubleValue).sum();
        }

        /** Everything llama.cpp allocated for this model at this context. */
        double totalMiB() {
            return modelMiB + kvCacheMiB() + computeMiB + outputMiB;
        }
    }

    private LlamaCpp() {
    }

    /**
     * Skips the calling test with one line naming what is missing and how to install it, or fails it when the
     * environment says {@code CI=true}: in CI the proof must run.
     */
    static void require() {
        String missing = missing();
        if (missing == null) {
            return;
        }
        System.out.println("llama.cpp memory proof: " + missing);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(missing);
        }
        Assumptions.abort(missing);
    }

    private static String missing() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            node.getInputStream().readAllBytes();
            if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0) {
                return "node does not run; install Node.js 18 or later";
            }
        } catch (IOException e) {
            return "node is not installed; install Node.js 18 or later";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while looking for node";
        }
        Path modules = NODE_DIR.resolve("node_modules");
        if (!Files.isDirectory(modules.resolve("node-llama-cpp")) || !Files.isDirectory(modules.resolve("@node-llama-cpp/linux-x64"))) {
            return "node-llama-cpp is not installed; run: (cd src/test/node && npm install --omit=optional --no-save)";
        }
        return null;
    }

    /** Loads every case in one node process; the reports by case id. */
    static Map<String, Report> load(List<Case> cases, Path workDir) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        List<Map<String, Object>> wire = new ArrayList<>();
        for (Case c : cases) {
            wire.add(Map.of("id", c.id(), "model", c.model().toAbsolutePath().toString(), "contextSize", c.context(),
                    "batchSize", c.batch()));
        }
        Path casesFile = workDir.resolve("cases.json");
        json.writeValue(casesFile.toFile(), wire);
        Path output = workDir.resolve("llama-memory.out");
        Process node = new ProcessBuilder("node", "llama-memory.mjs", casesFile.toAbsolutePath().toString())
                .directory(NODE_DIR.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!node.waitFor(3, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            Assertions.fail("llama-memory.mjs did not finish in 3 minutes: " + Files.readString(output));
        }
        Map<String, Report> reports = new LinkedHashMap<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode answer = json.readTree(line);
            String id = answer.get("id").asText();
            if (answer.has("error")) {
                Assertions.fail("llama.cpp could not load " + id + ": " + answer.get("error").asText());
            }
            List<String> lines = new ArrayList<>();
            answer.get("lines").forEach(l -> lines.add(l.asText()));
            reports.put(id, parse(lines));
        }
        Assertions.assertEquals(cases.size(), reports.size(), () -> "a report per case; node printed:\n" + read(output));
        return reports;
    }

    static Report parse(List<String> lines) {
        List<Double> caches = new ArrayList<>();
        List<Long> cells = new ArrayList<>();
        double compute = Double.NaN;
        double model = 0;
        double output = 0;
        for (String line : lines) {
            Matcher kv = KV_CACHE.matcher(line);
            Matcher recurrent = RECURRENT.matcher(line);
            Matcher buffer = COMPUTE.matcher(line);
            Matcher weights = MODEL.matcher(line);
            Matcher logits = OUTPUT.matcher(line);
            if (weights.find()) {
                model += Double.parseDouble(weights.group(1));
            } else if (logits.find()) {
                output += Double.parseDouble(logits.group(1));
            } else if (kv.find()) {
                caches.add(Double.parseDouble(kv.group(1)));
                cells.add(Long.parseLong(kv.group(2)));
            } else if (recurrent.find()) {
                caches.add(Double.parseDouble(recurrent.group(1)));
            } else if (buffer.find()) {
                compute = Double.parseDouble(buffer.group(1));
            }
        }
        return new Report(caches, cells, compute, model, output);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
