package io.hfsync.standin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stand-in serves files like the Hub: {@code /resolve/} redirects to a signed URL on a second host that answers by range. */
class ResolveTest {

    private static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");
    private static final String SHA = "a".repeat(40);
    private static final String ID = "QuantFoundry/Llama-3.1-8B-Instruct-GGUF";
    private static final String FILE = "Llama-3.1-8B-Instruct.Q4_K_M.gguf";
    private static final long SIZE = 4_920_734_000L;

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private StandInHub hub;

    @BeforeEach
    void startHub() {
        HubSnapshot snapshot = new HubSnapshot();
        snapshot.put(repo(ID, Boolean.FALSE, List.of(new RepoFile(".gitattributes", 1583), new RepoFile(FILE, SIZE),
                new RepoFile("README.md", 4000))));
        snapshot.put(repo("gated/Llama-3.1-8B-GGUF", "manual", List.of(new RepoFile(FILE, SIZE))));
        hub = StandInHub.start(snapshot);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    @Test
    void resolveRedirectsToASignedUrlOnAnotherHostThatAnswersTheRangeAndNeverSeesTheToken() throws Exception {
        HttpResponse<byte[]> redirect = get(hub.baseUrl() + "/" + ID + "/resolve/" + SHA + "/" + FILE,
                Map.of("Authorization", "Bearer hf_secret", "Range", "bytes=0-262143"));

        assertEquals(302, redirect.statusCode());
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(hub.fileHostUrl() + "/"), location);
        assertNotEquals(URI.create(hub.baseUrl()).getPort(), URI.create(location).getPort(), "another host:port");
        assertTrue(location.contains("Expires=") && location.contains("Signature="), location);
        assertEquals(SHA, redirect.headers().firstValue("X-Repo-Commit").orElseThrow());
        assertEquals(Long.toString(SIZE), redirect.headers().firstValue("X-Linked-Size").orElseThrow());
        assertTrue(redirect.headers().firstValue("X-Linked-Etag").orElseThrow().matches("\"[0-9a-f]{64}\""));

        HttpResponse<byte[]> range = get(location, Map.of("Range", "bytes=0-262143"));
        assertEquals(206, range.statusCode());
        assertEquals("bytes 0-262143/" + SIZE, range.headers().firstValue("Content-Range").orElseThrow());
        assertEquals(262_144, range.body().length);
        assertEquals("GGUF", new String(range.body(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));

        assertEquals(List.of("Bearer hf_secret"), hub.authorizationHeaders(), "the Hub saw the token");
        assertEquals(1, hub.resolveRequests());
        List<StandInHub.FileRequest> fileRequests = hub.fileHostRequests();
        assertEquals(1, fileRequests.size());
        assertNull(fileRequests.get(0).header("Authorization"), "the file host never saw it");
        assertEquals("bytes=0-262143", fileRequests.get(0).header("range"), "the journal keeps every header");
    }

    @Test
    void theFileHostJournalShowsATokenWhenAClientWronglySendsIt() throws Exception {
        String location = location(ID, "main", FILE);
        get(location, Map.of("Authorization", "Bearer hf_leaked", "Range", "bytes=0-15"));
        assertEquals("Bearer hf_leaked", hub.fileHostRequests().get(0).header("Authorization"));
    }

    @Test
    void theHeaderParsesAndTheRestOfTheFileIsZerosUpToItsListedSize() throws Exception {
        String location = location(ID, "main", FILE);
        byte[] head = get(location, Map.of("Range", "bytes=0-" + (16 * 1024 * 1024 - 1))).body();
        GgufKeys keys = GgufKeys.parse(head);
        assertEquals(3, keys.version());
        assertEquals("llama", keys.get("general.architecture"));
        assertEquals(15L, keys.number("general.file_type"), "Q4_K_M");
        assertTrue(keys.number("llama.block_count") >= 28 && keys.number("llama.block_count") <= 40,
                "an 8B llama has about 32 layers: " + keys.get("llama.block_count"));
        assertEquals(4096L, keys.number("llama.embedding_length"));
        assertEquals(8L, keys.number("llama.attention.head_count_kv"));
        assertEquals(131072L, keys.number("llama.context_length"));
        assertTrue(keys.headerEnd() > 2_000_000, "a 128k vocabulary makes a header of MB: " + keys.headerEnd());
        for (int i = (int) keys.headerEnd() + 32; i < head.length; i++) {
            assertEquals(0, head[i], "zeros after the header at " + i);
        }

        HttpResponse<byte[]> tail = get(location, Map.of("Range", "bytes=" + (SIZE - 10) + "-" + (SIZE + 100)));
        assertEquals(206, tail.statusCode());
        assertEquals("bytes " + (SIZE - 10) + "-" + (SIZE - 1) + "/" + SIZE, tail.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(new byte[10], tail.body());
        assertEquals(416, get(location, Map.of("Range", "bytes=" + SIZE + "-")).statusCode());
        assertEquals(512, get(location, Map.of("Range", "bytes=-512")).body().length, "a suffix range");
    }

    @Test
    void anUnrangedGetOfALargeFileIsRefusedAndASmallOneServed() throws Exception {
        assertEquals(400, get(location(ID, SHA, FILE), Map.of()).statusCode());
        HttpResponse<byte[]> readme = get(location(ID, SHA, "README.md"), Map.of());
        assertEquals(200, readme.statusCode());
        assertEquals(4000, readme.body().length);
        HttpResponse<byte[]> head = send(HttpRequest.newBuilder(URI.create(location(ID, SHA, FILE)))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, head.statusCode());
        assertEquals(Long.toString(SIZE), head.headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void aSignatureThatIsWrongOrExpiredIsRefused() throws Exception {
        String location = location(ID, SHA, FILE);
        String tampered = location.substring(0, location.length() - 1) + (location.endsWith("0") ? "1" : "0");
        assertEquals(403, get(tampered, Map.of("Range", "bytes=0-9")).statusCode());
        assertEquals(403, get(location.replaceFirst("Expires=\\d+", "Expires=9999999999"), Map.of("Range", "bytes=0-9")).statusCode());
        assertEquals(403, get(location.substring(0, location.indexOf('?')), Map.of("Range", "bytes=0-9")).statusCode());

        hub.setSignedUrlLifetime(Duration.ZERO);
        HttpResponse<byte[]> expired = get(location(ID, SHA, FILE), Map.of("Range", "bytes=0-9"));
        assertEquals(403, expired.statusCode());
        assertTrue(new String(expired.body()).contains("expired"));
        assertEquals(206, get(location, Map.of("Range", "bytes=0-9")).statusCode(), "the first URL is still valid");
    }

    @Test
    void unknownRepoRevisionOrFileIs404AndAGatedRepoNeedsAccess() throws Exception {
        assertStatus(404, "/nobody/nothing/resolve/main/x.gguf", null, "RepoNotFound");
        assertStatus(404, "/" + ID + "/resolve/" + "b".repeat(40) + "/" + FILE, null, "RevisionNotFound");
        assertStatus(404, "/" + ID + "/resolve/main/missing.gguf", null, "EntryNotFound");

        String gated = "/gated/Llama-3.1-8B-GGUF/resolve/main/" + FILE;
        assertStatus(401, gated, null, "GatedRepo");
        assertStatus(401, gated, "Bearer hf_unknown", "GatedRepo");
        hub.grantToken("hf_member", "someone");
        assertStatus(403, gated, "Bearer hf_member", "GatedRepo");
        hub.grantGatedAccess("hf_member", "gated/Llama-3.1-8B-GGUF");
        assertEquals(302, get(hub.baseUrl() + gated, Map.of("Authorization", "Bearer hf_member")).statusCode());
        assertEquals(List.of(), hub.fileHostRequests(), "no error reached the file host");
    }

    @Test
    void resolveCallsCountAgainstTheResolversBucketAndNotTheApis() throws Exception {
        hub.setResolverRateLimitQuota(2);
        String url = hub.baseUrl() + "/" + ID + "/resolve/main/" + FILE;
        HttpResponse<byte[]> first = get(url, Map.of());
        assertTrue(first.headers().firstValue("RateLimit").orElseThrow().matches("\"resolvers\";r=1;t=\\d+"),
                first.headers().firstValue("RateLimit").orElseThrow());
        assertEquals("\"fixed window\";\"resolvers\";q=2;w=300", first.headers().firstValue("RateLimit-Policy").orElseThrow());
        assertEquals(302, get(url, Map.of()).statusCode());
        HttpResponse<byte[]> over = get(url, Map.of());
        assertEquals(429, over.statusCode());
        assertTrue(over.headers().firstValue("Retry-After").isPresent());

        HttpResponse<byte[]> api = get(hub.baseUrl() + "/api/models/" + ID, Map.of());
        assertEquals(200, api.statusCode());
        assertTrue(api.headers().firstValue("RateLimit").orElseThrow().startsWith("\"api\";r=99999;"));
        assertEquals(3, hub.resolveRequests());
        assertEquals(1, hub.detailRequests());
    }

    // ---- helpers ----

    private void assertStatus(int status, String path, String authorization, String errorCode) throws Exception {
        HttpResponse<byte[]> answer = get(hub.baseUrl() + path,
                authorization == null ? Map.of() : Map.of("Authorization", authorization));
        assertEquals(status, answer.statusCode(), path);
        assertEquals(errorCode, answer.headers().firstValue("X-Error-Code").orElse(null), path);
    }

    private String location(String id, String revision, String file) throws Exception {
        HttpResponse<byte[]> redirect = get(hub.baseUrl() + "/" + id + "/resolve/" + revision + "/" + file, Map.of());
        assertEquals(302, redirect.statusCode(), new String(redirect.body()));
        return redirect.headers().firstValue("Location").orElseThrow();
    }

    private HttpResponse<byte[]> get(String url, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HubRepo repo(String id, Object gated, List<RepoFile> files) {
        return new HubRepo(id, id.substring(0, id.indexOf('/')), SHA, NOW, NOW.minus(Duration.ofDays(3)), gated, 100L,
                1L, List.of("gguf"), "text-generation", "gguf", "llama", 131072L, 8_030_000_000L, files, false);
    }
}
