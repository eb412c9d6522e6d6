package io.hfsync.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hfsync.catalog.CatalogEntry;
import io.hfsync.store.CatalogIndex;
import io.hfsync.store.CatalogJsonStream;
import io.hfsync.store.CatalogMerge;
import io.hfsync.catalog.CatalogMetadata;
import io.hfsync.catalog.FileRole;
import io.hfsync.catalog.GgufFile;
import io.hfsync.catalog.GgufFiles;
import io.hfsync.gguf.GgufHeader;
import io.hfsync.settings.DatabaseSettings;
import io.hfsync.database.PostgresCatalog;
import io.hfsync.database.SqliteCatalog;
import io.hfsync.standin.DemoSnapshot;
import io.hfsync.standin.HubRepo;
import io.hfsync.standin.RepoFile;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Issue 14: the databases' cost on their own, on a catalog of N demo-shaped models (the stand-in's generator).
 * {@code generate DIR N [changedFraction seed]} writes DIR/gguf_models.json (a JVM with a large heap: the generator
 * holds the snapshot); {@code sqlite DIR [rounds] [build|update]} times SqliteCatalog.refresh() and full-text queries (run it at
 * -Xmx256m: the product's bound); {@code postgres DIR URL} brings a PostgreSQL database level with the catalog and
 * prints the rows it wrote. bench/sqlite.sh runs them in order.
 */
public final class SqliteRefreshBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "generate" -> generate(dir, Integer.parseInt(args[2]), args.length > 3 ? Double.parseDouble(args[3]) : 0,
                    args.length > 4 ? Long.parseLong(args[4]) : 0);
            case "sqlite" -> sqlite(dir, args.length > 2 ? Integer.parseInt(args[2]) : 3, args.length > 3 ? args[3] : "build");
            case "postgres" -> postgres(dir, args[2]);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** The catalog as the product writes it (sorted by id, the docs/files.md keys); a fraction changed by seed. */
    static void generate(Path dir, int n, double changed, long seed) throws Exception {
        // BENCH_HEADERS=false: a catalog without GGUF headers, whose files carry their weights alone (docs/memory.md)
        boolean headers = !"false".equals(System.getenv("BENCH_HEADERS"));
        Files.createDirectories(dir);
        List<HubRepo> repos = new ArrayList<>(DemoSnapshot.generate(42, n, Instant.parse("2026-11-20T00:00:00Z")).all());
        repos.sort(Comparator.comparing(HubRepo::id));
        int every = changed > 0 ? (int) Math.round(1 / changed) : Integer.MAX_VALUE;
        try (OutputStream out = Files.newOutputStream(dir.resolve("gguf_models.json"));
                JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("metadata");
            g.writeStringField("last_sync_time", "2026-11-20T02:00:00Z");
            g.writeNumberField("total_models", repos.size());
            g.writeEndObject();
            g.writeArrayFieldStart("models");
            for (int i = 0; i < repos.size(); i++) {
                HubRepo r = repos.get(i);
                boolean touched = (i + seed) % every == 0;
                String sha = touched ? r.sha() + "-" + seed : r.sha();
                List<GgufFiles.RepoFile> repoFiles = new ArrayList<>();
                for (RepoFile f : r.files()) {
                    repoFiles.add(new GgufFiles.RepoFile(f.path(), f.size()));
                }
                List<GgufFile> files = GgufFiles.logicalFiles(repoFiles);
                // the header a read of its smallest weights file gives: every weights file then carries its memory
                String smallest = files.stream().filter(f -> f.role() == FileRole.WEIGHTS && f.size() != null)
                        .min(Comparator.comparingLong(GgufFile::size)).map(GgufFile::name).orElse(null);
                GgufHeader header = headers && smallest != null ? DemoSnapshot.header(r, sha, smallest) : null;
                g.writeObject(new CatalogEntry(r.id(), r.author(), sha, r.lastModified().toString(),
                        r.createdAt().toString(), r.downloads() == null ? null : r.downloads() + (touched ? 1 : 0),
                        r.likes(), r.pipelineTag(), r.tags(), r.gated(), r.architecture(), r.contextLength(),
                        r.parameters(), null, null, List.of(), false, header, null, null, files));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        System.out.printf(Locale.ROOT, "generated %d models (%s), %.1f MB%n", repos.size(),
                headers ? "with GGUF headers: memory per file" : "no GGUF headers: weights alone",
                Files.size(dir.resolve("gguf_models.json")) / 1e6);
    }

    /**
     * First the catalog is written the way a run writes it: CatalogMerge opened on the file (streamed, each model's
     * byte range kept) and the catalog printed again through CatalogJsonStream into a temporary file renamed over it.
     * The first pass, untimed, turns the generator's file into the product's printing; the next {@code rounds} passes
     * are timed: the JSON write phase of this very catalog, in this JVM (no Hub, no listing merged in). The last
     * pass's {@link CatalogIndex} (the hashes the writer computed as it printed) is what the database step gets, as in
     * a run.
     *
     * <p>{@code build}: the SQLite file made from nothing each round (a first sync, or a file an older version wrote),
     * kept as DIR/base.sqlite; {@code update}: each round starts from base.sqlite and brings it level with the catalog
     * in DIR (generate it with a changed fraction first): a day's refresh, through the writer's index and the packed
     * hashes, then (for comparison) the same refresh reading the catalog file back.
     */
    static void sqlite(Path dir, int rounds, String how) throws Exception {
        Path catalogFile = dir.resolve("gguf_models.json");
        writeCatalog(dir, "2026-11-20T01:00:00Z");
        double[] writes = new double[rounds];
        CatalogIndex index = null;
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            index = writeCatalog(dir, String.format(Locale.ROOT, "2026-11-20T02:00:%02dZ", i));
            writes[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(writes);
        System.out.printf(Locale.ROOT, "json write (load + write, %d models, %.1f MB): median %.2f s (min %.2f, max %.2f)"
                        + " over %d rounds%n", index.size(), Files.size(catalogFile) / 1e6, writes[rounds / 2], writes[0],
                writes[rounds - 1], rounds);
        // what hashing as it prints adds to that write
        io.hfsync.store.IndexCost.measure(catalogFile, dir.resolve(".gguf_models.spool"), rounds);

        SqliteCatalog catalog = new SqliteCatalog(dir);
        Path base = dir.resolve("base.sqlite");
        refreshRounds(catalog, base, rounds, how, index, "writer's index");
        if (how.equals("build")) {
            Files.copy(catalog.file(), base, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else {
            refreshRounds(catalog, base, rounds, how, null, "catalog read back");
            return;
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + catalog.file())) {
            query(db, "fts 'qwen3' (ids)", "SELECT id FROM models_fts WHERE models_fts MATCH 'qwen3'");
            query(db, "fts 'qwen3 coder', top 50 by downloads",
                    "SELECT m.id FROM models_fts JOIN models m USING (id) WHERE models_fts MATCH 'qwen3 coder' "
                            + "ORDER BY m.downloads DESC LIMIT 50");
            query(db, "Q4_K_M under 10 GB, top 50 by downloads",
                    "SELECT m.id FROM files f JOIN models m ON m.id = f.model_id WHERE f.quantization = 'Q4_K_M' "
                            + "AND f.size < 10e9 ORDER BY m.downloads DESC LIMIT 50");
            query(db, "architecture llama, top 50 by downloads",
                    "SELECT id FROM models WHERE architecture = 'llama' ORDER BY downloads DESC LIMIT 50");
        }
    }

    private static void refreshRounds(SqliteCatalog catalog, Path base, int rounds, String how, CatalogIndex index,
            String label) throws Exception {
        double[] seconds = new double[rounds];
        String changes = "";
        for (int i = 0; i < rounds; i++) {
            if (how.equals("build")) {
                Files.deleteIfExists(catalog.file());
            } else {
                Files.copy(base, catalog.file(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            long start = System.nanoTime();
            changes = catalog.refresh(index).toString();
            seconds[i] = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "  round %d: %.2f s%n", i + 1, seconds[i]);
        }
        Arrays.sort(seconds);
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "sqlite %s (%s): median %.2f s (min %.2f, max %.2f) over %d rounds, file %.1f MB, "
                        + "heap max %d MB; %s%n", how, label, seconds[rounds / 2], seconds[0], seconds[rounds - 1], rounds,
                Files.size(catalog.file()) / 1e6, rt.maxMemory() >> 20, changes);
    }

    /** The catalog printed again as a run prints it: temporary file, renamed over the old one. */
    private static CatalogIndex writeCatalog(Path dir, String generatedAt) throws Exception {
        Path catalogFile = dir.resolve("gguf_models.json");
        Path temp = dir.resolve(".gguf_models.json.tmp");
        try (CatalogMerge merge = CatalogMerge.open(catalogFile, dir.resolve(".gguf_models.spool"))) {
            CatalogMetadata metadata = new CatalogMetadata(1, generatedAt, "full", "2026-11-20T02:00:00Z", true,
                    merge.sizeNow(), 0, 0, 0);
            CatalogJsonStream stream = new CatalogJsonStream(metadata, merge.sortedModels());
            try (InputStream in = stream; OutputStream file = Files.newOutputStream(temp)) {
                // as Camel's file producer copies a stream body: its bufferSize (128 KB) at a time
                byte[] buffer = new byte[131_072];
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    file.write(buffer, 0, read);
                }
            }
            Files.move(temp, catalogFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return stream.index();
        }
    }

    private static void query(Connection db, String name, String sql) throws Exception {
        int runs = 101;
        double[] ms = new double[runs];
        int rows = 0;
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                rows = 0;
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "query %s: %d rows, median %.2f ms, p90 %.2f ms%n", name, rows, ms[runs / 2],
                ms[runs * 9 / 10]);
    }

    static void postgres(Path dir, String url) throws Exception {
        PostgresCatalog catalog = new PostgresCatalog(new DatabaseSettings(true, url, "postgres", ""), dir);
        catalog.prepare();
        long start = System.nanoTime();
        io.hfsync.database.CatalogDiff.Changes changes = catalog.applyChanges();
        long rows;
        try (Connection db = DriverManager.getConnection(url, "postgres", ""); Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM models) + (SELECT count(*) FROM files)")) {
            rs.next();
            rows = rs.getLong(1);
        }
        System.out.printf(Locale.ROOT, "postgres: %s; rows written %d of %d (%.2f %%) in %.1f s%n", changes,
                changes.rowsTouched(), rows, 100.0 * changes.rowsTouched() / rows, (System.nanoTime() - start) / 1e9);
    }
}
