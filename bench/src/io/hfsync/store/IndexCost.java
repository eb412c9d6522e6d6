package io.hfsync.store;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

/**
 * Issue 14, bench only (in the store package for CatalogIndex.add): what hashing each model as the writer prints it
 * costs. The catalog's models are read as the writer reads them (CatalogMerge.sortedModels), once with nothing done
 * to them and once handed to a CatalogIndex as CatalogJsonStream does; alternated, best of each.
 */
public final class IndexCost {

    private IndexCost() {
    }

    public static void measure(Path catalog, Path spool, int rounds) throws Exception {
        double plain = Double.MAX_VALUE;
        double indexed = Double.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            for (boolean index : new boolean[] {false, true}) {
                try (CatalogMerge merge = CatalogMerge.open(catalog, spool)) {
                    CatalogIndex catalogIndex = new CatalogIndex();
                    long offset = 0;
                    long start = System.nanoTime();
                    for (Iterator<byte[]> models = merge.sortedModels(); models.hasNext(); ) {
                        byte[] model = models.next();
                        if (index) {
                            catalogIndex.add(model, offset);
                        }
                        offset += model.length + 6;
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (index) {
                        indexed = Math.min(indexed, seconds);
                    } else {
                        plain = Math.min(plain, seconds);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "models read as the writer reads them: %.2f s; read and indexed (hashed): %.2f s; "
                + "hashing as it prints adds %.2f s (best of %d each)%n", plain, indexed, indexed - plain, rounds);
    }
}
