package io.hfsync.bench;

import io.hfsync.catalog.CatalogEntry;
import io.hfsync.store.CatalogJsonStream;
import io.hfsync.store.CatalogMerge;
import io.hfsync.catalog.CatalogMetadata;
import io.hfsync.catalog.GgufFile;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Issue 6 target "merge/diff plus catalog write at >= 100k models/s, measured on its own": the product's own path
 * over N catalog models and N listed ones (0.5% changed, a few added): CatalogMerge opened on the catalog file
 * (streamed, each model's byte range kept), the listing merged in, then the new catalog written through
 * CatalogJsonStream (what the route's file endpoint copies) to a file. No Hub, no Camel: only this step's cost.
 * The inputs (N listed entries) are generated up front and live in this JVM's heap, hence -Xmx2g in merge.sh;
 * the product's own memory at 200k is measured by bench/run.sh.
 * Usage: MergeWriteBench [N=200000] [rounds=5]; prints the median models/s.
 */
public final class MergeWriteBench {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<CatalogEntry> listed = entries(n + n / 1000, 1L, n / 200, false);
        Path dir = Files.createTempDirectory("merge-bench");
        Path catalog = dir.resolve("gguf_models.json");
        Path out = dir.resolve("gguf_models.json.new");
        List<CatalogEntry> old = entries(n, 1L, 0, true);
        old.sort(Comparator.comparing(CatalogEntry::id)); // the catalog file is sorted by id, as the product writes it
        try (InputStream in = CatalogJsonStream.ofEntries(metadata(n, 0, 0, 0), old.iterator())) {
            Files.copy(in, catalog, StandardCopyOption.REPLACE_EXISTING);
        }
        old = null;
        double[] perSecond = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            long merged;
            long loaded;
            try (CatalogMerge merge = CatalogMerge.open(catalog, dir.resolve(".spool"))) {
                loaded = System.nanoTime();
                for (CatalogEntry entry : listed) {
                    merge.acceptListed(entry);
                }
                merge.completeFullListing();
                merged = System.nanoTime();
                CatalogMetadata metadata = metadata(merge.sizeNow(), merge.addedCount(), merge.updatedCount(),
                        merge.removedCount());
                try (InputStream in = new CatalogJsonStream(metadata, merge.sortedModels());
                     OutputStream file = Files.newOutputStream(out)) {
                    // as Camel's file producer copies a stream body: its bufferSize (128 KB) at a time
                    byte[] buffer = new byte[131_072];
                    for (int read; (read = in.read(buffer)) >= 0; ) {
                        file.write(buffer, 0, read);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                perSecond[round] = listed.size() / seconds;
                System.out.printf(Locale.ROOT,
                        "round %d: %d catalog models loaded in %.2f s, %d listed merged (+%d ~%d -%d) in %.2f s, written (%.1f MB) in %.2f s = %.0f models/s%n",
                        round + 1, merge.sizeBefore(), (loaded - start) / 1e9, listed.size(), merge.addedCount(),
                        merge.updatedCount(), merge.removedCount(), (merged - loaded) / 1e9, Files.size(out) / 1e6,
                        (System.nanoTime() - merged) / 1e9, perSecond[round]);
            }
        }
        Arrays.sort(perSecond);
        System.out.printf(Locale.ROOT, "median: %.0f models/s (N=%d, %d rounds, load + merge + write; first round includes JIT warm-up)%n",
                perSecond[rounds / 2], n, rounds);
        Files.deleteIfExists(out);
        Files.deleteIfExists(catalog);
        Files.deleteIfExists(dir);
    }

    private static CatalogMetadata metadata(int total, int added, int updated, int removed) {
        return new CatalogMetadata(1, "2026-11-25T02:00:00Z", "full", "2026-11-25T02:00:00Z", true, total, added,
                updated, removed);
    }

    /**
     * Catalog-shaped entries; the first {@code changed} get another sha, ids past n-1 are new. Listed entries have
     * file names without sizes, as the listing shows them.
     */
    private static List<CatalogEntry> entries(int count, long seed, int changed, boolean sized) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] quants = {"Q2_K", "Q3_K_M", "Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0", "IQ4_XS", "F16"};
        List<CatalogEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = String.format(Locale.ROOT, "owner%04d/Model-%06d-GGUF", i % 5000, i);
            List<GgufFile> files = new ArrayList<>();
            int fileCount = 1 + random.nextInt(8);
            for (int f = 0; f < fileCount; f++) {
                long size = 1_000_000_000L + random.nextLong(9_000_000_000L);
                files.add(GgufFile.single("Model-" + i + "." + quants[f] + ".gguf", sized ? size : null));
            }
            String sha = Long.toHexString(seed * 31 + i) + (i < changed ? "c" : "0");
            entries.add(new CatalogEntry(id, "owner" + (i % 5000), String.format("%40s", sha).replace(' ', '0'),
                    "2026-09-08T21:47:30Z", "2026-08-22T14:35:08Z", (long) random.nextInt(100_000), (long) random.nextInt(500),
                    "text-generation", List.of("gguf", "llama", "region:us", "base_model:quantized:org/Base-" + (i % 700)),
                    Boolean.FALSE, "llama", 32768L, 7_000_000_000L, "org/Base-" + (i % 700), null, List.of(), files));
        }
        return entries;
    }
}
