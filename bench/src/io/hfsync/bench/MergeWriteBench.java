package io.hfsync.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hfsync.catalog.CatalogDocument;
import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.CatalogMerge;
import io.hfsync.catalog.CatalogMetadata;
import io.hfsync.catalog.GgufFile;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Issue 6 target "merge/diff plus catalog write at >= 100k models/s, measured on its own": the product's own
 * CatalogMerge over N catalog models and N listed ones (0.5% changed, a few added), then the catalog written with
 * Jackson as the route's marshal does (pretty printed) to a file. No Hub, no Camel: only this step's cost.
 * Usage: MergeWriteBench [N=200000] [rounds=5]; prints the median models/s.
 */
public final class MergeWriteBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<CatalogEntry> catalog = entries(n, 1L, 0);
        List<CatalogEntry> listed = entries(n + n / 1000, 1L, n / 200);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path out = Files.createTempFile("catalog", ".json");
        double[] perSecond = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            CatalogMerge merge = new CatalogMerge(catalog);
            for (CatalogEntry entry : listed) {
                merge.acceptListed(entry);
            }
            merge.completeFullListing();
            List<CatalogEntry> models = merge.entries();
            long merged = System.nanoTime();
            CatalogDocument document = new CatalogDocument(new CatalogMetadata(1, "2026-11-25T02:00:00Z", "full",
                    "2026-11-25T02:00:00Z", true, models.size(), merge.added().size(), merge.updated().size(),
                    merge.removed().size()), models);
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
                json.writeValue(file, document);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            perSecond[round] = listed.size() / seconds;
            System.out.printf(Locale.ROOT,
                    "round %d: %d models merged (+%d ~%d -%d) in %.2f s and written (%.1f MB) in %.2f s = %.0f models/s%n",
                    round + 1, listed.size(), merge.added().size(), merge.updated().size(), merge.removed().size(),
                    (merged - start) / 1e9, Files.size(out) / 1e6, (System.nanoTime() - merged) / 1e9, perSecond[round]);
        }
        Arrays.sort(perSecond);
        System.out.printf(Locale.ROOT, "median: %.0f models/s (N=%d, %d rounds, first round includes JIT warm-up)%n",
                perSecond[rounds / 2], n, rounds);
        Files.deleteIfExists(out);
    }

    /** Catalog-shaped entries; the first {@code changed} get another sha, ids past n-1 are new. */
    private static List<CatalogEntry> entries(int count, long seed, int changed) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] quants = {"Q2_K", "Q3_K_M", "Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0", "IQ4_XS", "F16"};
        List<CatalogEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = String.format(Locale.ROOT, "owner%04d/Model-%06d-GGUF", i % 5000, i);
            List<GgufFile> files = new ArrayList<>();
            int fileCount = 1 + random.nextInt(8);
            for (int f = 0; f < fileCount; f++) {
                files.add(new GgufFile("Model-" + i + "." + quants[f] + ".gguf", quants[f], 1_000_000_000L + random.nextLong(9_000_000_000L)));
            }
            String sha = Long.toHexString(seed * 31 + i) + (i < changed ? "c" : "0");
            entries.add(new CatalogEntry(id, "owner" + (i % 5000), String.format("%40s", sha).replace(' ', '0'),
                    "2026-09-08T21:47:30Z", "2026-08-22T14:35:08Z", (long) random.nextInt(100_000), (long) random.nextInt(500),
                    "text-generation", List.of("gguf", "llama", "region:us", "base_model:quantized:org/Base-" + (i % 700)),
                    Boolean.FALSE, "llama", 32768L, 7_000_000_000L, files));
        }
        return entries;
    }
}
