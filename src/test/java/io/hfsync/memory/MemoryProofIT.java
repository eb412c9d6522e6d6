package io.hfsync.memory;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory estimate against llama.cpp itself (docs/memory.md): tiny zero-weight models of every family the
 * estimate treats differently, loaded on CPU at two contexts each. The KV cache (and recurrent state) must be what
 * llama.cpp allocates, to the hundredth of a MiB it prints per cache; the compute buffer within 25 % or 64 MiB; the
 * total (the file's size + KV cache + compute) within 5 % of every buffer llama.cpp allocated for it (model, KV cache,
 * compute, output).
 * Writes each comparison to {@code target/memory-proof.csv}, which bench/memory.sh commits as the error table.
 */
class MemoryProofIT {

    private static final double MIB = 1024.0 * 1024.0;
    private static final double PRINTED_HALF_HUNDREDTH = 0.005;

    @TempDir
    Path dir;

    @Test
    void should_allocate_the_kv_cache_llama_cpp_allocates_and_about_its_compute_buffer() throws Exception {
        LlamaCpp.require();
        List<TinyModel> models = TinyModel.all();
        List<LlamaCpp.Case> cases = new ArrayList<>();
        for (TinyModel model : models) {
            Path file = dir.resolve(model.name() + ".gguf");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
                model.writer().writeTo(out, true);
            }
            for (long context : model.contexts()) {
                // node-llama-cpp hands llama.cpp one more than the batch asked for on a sliding-window model
                int batch = model.header().slidingWindow() != null ? MemoryEstimator.MICRO_BATCH - 1 : MemoryEstimator.MICRO_BATCH;
                cases.add(new LlamaCpp.Case(id(model, context), file, context, batch));
            }
        }
        Map<String, LlamaCpp.Report> reports = LlamaCpp.load(cases, dir);

        List<String> csv = new ArrayList<>(List.of(
                "family,architecture,context,kv_llama_mib,kv_estimate_mib,kv_error_mib,compute_llama_mib,compute_estimate_mib,"
                        + "compute_error_pct,weights_llama_mib,weights_estimate_mib,total_llama_mib,total_estimate_mib,"
                        + "total_error_pct"));
        List<Executable> checks = new ArrayList<>();
        for (TinyModel model : models) {
            long fileSize = Files.size(dir.resolve(model.name() + ".gguf"));
            for (long context : model.contexts()) {
                LlamaCpp.Report llama = reports.get(id(model, context));
                // the whole of it: llama.cpp's model, cache, compute and output buffers against the catalog's total
                MemoryEstimate estimate = MemoryEstimator.estimate(fileSize, model.header(), context);
                double total = estimate.total() / MIB;
                double kv = MemoryEstimator.kvCacheBytes(model.header(), context) / MIB;
                double compute = MemoryEstimator.computeBytes(model.header(), context) / MIB;
                double kvError = kv - llama.kvCacheMiB();
                double computeError = compute - llama.computeMiB();
                csv.add(String.format(Locale.ROOT, "%s,%s,%d,%.2f,%.4f,%.4f,%.2f,%.2f,%.1f,%.2f,%.2f,%.2f,%.2f,%.1f",
                        model.name(), model.header().architecture(), context, llama.kvCacheMiB(), kv, kvError,
                        llama.computeMiB(), compute, 100 * computeError / llama.computeMiB(), llama.modelMiB(),
                        estimate.weights() / MIB, llama.totalMiB(), total, 100 * (total - llama.totalMiB()) / llama.totalMiB()));
                String what = model.name() + " at " + context + ": estimate " + kv + " MiB, llama.cpp " + llama;
                checks.add(() -> assertTrue(Math.abs(kvError) <= PRINTED_HALF_HUNDREDTH * llama.cacheMiB().size() + 1e-9,
                        "KV cache of " + what));
                checks.add(() -> assertTrue(Math.abs(total - llama.totalMiB()) <= 0.05 * llama.totalMiB(),
                        "total of " + model.name() + " at " + context + ": estimate " + total + " MiB, llama.cpp "
                                + llama.totalMiB() + " MiB (" + llama + ")"));
                checks.add(() -> assertTrue(Math.abs(computeError) <= Math.max(0.25 * llama.computeMiB(), 64),
                        "compute buffer of " + model.name() + " at " + context + ": estimate " + compute + " MiB, llama.cpp "
                                + llama.computeMiB() + " MiB"));
            }
        }
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/memory-proof.csv"), csv);
        // llama.cpp's own lines behind every number of the table, kept beside it
        Files.copy(dir.resolve("llama-memory.out"), Path.of("target/memory-proof-llama.log"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertAll(checks);
    }

    @Test
    void should_see_a_sliding_window_cache_capped_and_padded_by_llama_cpp() throws Exception {
        LlamaCpp.require();
        TinyModel gemma3 = TinyModel.gemma3();
        Path file = dir.resolve("gemma3.gguf");
        Files.write(file, gemma3.writer().toBytes(true));
        LlamaCpp.Report report = LlamaCpp.load(List.of(new LlamaCpp.Case("gemma3", file, 32768, 511)), dir).get("gemma3");
        // the global layers hold every cell; the sliding ones 1024 + 512 padded to 256
        assertEquals(List.of(32768L, 1536L), report.cells());
    }

    private static String id(TinyModel model, long context) {
        return model.name() + "@" + context;
    }
}
