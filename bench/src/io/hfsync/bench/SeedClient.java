package io.hfsync.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed's way, for comparison: read every page of the {@code filter=gguf} listing (the product's expand
 * list, limit 500, following the Link header), then one {@code ?blobs=true} call for every listed repo with
 * {@code concurrency} calls in flight. It does nothing with the answers except parse them, as a client must.
 */
public final class SeedClient {

    static final String EXPAND = String.join("&expand=", "author", "createdAt", "downloads", "gated", "gguf",
            "lastModified", "library_name", "likes", "pipeline_tag", "private", "sha", "siblings", "tags",
            "usedStorage");
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(long listingCalls, long detailCalls, long repos, long failures, double wallSeconds) {
    }

    static Result run(String hubUrl, int concurrency) throws Exception {
        long start = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<String> ids = new ArrayList<>();
        long listing = 0;
        String url = hubUrl + "/api/models?filter=gguf&limit=500&expand=" + EXPAND;
        while (url != null) {
            HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            listing++;
            if (page.statusCode() != 200) {
                throw new IllegalStateException("listing answered " + page.statusCode() + ": " + url);
            }
            for (JsonNode item : JSON.readTree(page.body())) {
                ids.add(item.get("id").asText());
            }
            Matcher next = NEXT.matcher(page.headers().firstValue("Link").orElse(""));
            url = next.find() ? next.group(1) : null;
        }
        AtomicLong details = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> futures = new ArrayList<>();
            int slice = (ids.size() + concurrency - 1) / Math.max(1, concurrency);
            for (int w = 0; w < concurrency; w++) {
                List<String> mine = ids.subList(Math.min(ids.size(), w * slice), Math.min(ids.size(), (w + 1) * slice));
                futures.add(pool.submit(() -> {
                    for (String id : mine) {
                        String[] parts = id.split("/", 2);
                        String detail = hubUrl + "/api/models/" + enc(parts[0]) + "/" + enc(parts[1]) + "?blobs=true";
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(detail)).GET().build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        details.incrementAndGet();
                        if (r.statusCode() != 200) {
                            failures.incrementAndGet();
                        } else {
                            JSON.readTree(r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(listing, details.get(), ids.size(), failures.get(), (System.nanoTime() - start) / 1e9);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static void main(String[] args) throws Exception {
        System.out.println(run(args[0], args.length > 1 ? Integer.parseInt(args[1]) : 4));
    }
}
