package io.hfsync.standin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hooks tests use to serve bad input: given bytes per file, and faults of the file host and of {@code /resolve/}. */
class FileFaultTest {

    private static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");
    private static final String SHA = "c".repeat(40);
    private static final String ID = "owner/Model-7B-GGUF";
    private static final String Q4 = "Model-7B.Q4_K_M.gguf";
    private static final String Q8 = "Model-7B.Q8_0.gguf";
    private static final long SIZE = 4_400_000_000L;

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private StandInHub hub;

    @BeforeEach
    void startHub() {
        HubSnapshot snapshot = new HubSnapshot();
        snapshot.put(new HubRepo(ID, "owner", SHA, NOW, NOW, Boolean.FALSE, 5L, 0L, List.of("gguf"), null, "gguf",
                "qwen2", 32768L, 7_600_000_000L,
                List.of(new RepoFile(Q4, SIZE), new RepoFile(Q8, 2 * SIZE), new RepoFile("README.md", 900)), false));
        hub = StandInHub.start(snapshot);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    @Test
    void replacedHeaderBytesAreServedThenZerosUpToTheListedSize() throws Exception {
        byte[] bigEndian = {'G', 'G', 'U', 'F', 0, 0, 0, 3, 9, 9};
        hub.replaceHeader(ID, Q4, bigEndian);

        HttpResponse<byte[]> redirect = get(resolveUrl(Q4), null);
        assertEquals(Long.toString(SIZE), redirect.headers().firstValue("X-Linked-Size").orElseThrow());
        byte[] head = get(location(redirect), "bytes=0-15").body();
        assertArrayEquals(bigEndian, Arrays.copyOf(head, 10));
        assertArrayEquals(new byte[6], Arrays.copyOfRange(head, 10, 16));
        assertEquals("GGUF", new String(get(location(get(resolveUrl(Q8), null)), "bytes=0-3").body()),
                "the other file keeps its generated header");
    }

    @Test
    void aReplacedFileIsExactlyTheBytesGivenAndEveryGgufOfTheRepoWhenNoPathIsNamed() throws Exception {
        byte[] truncated = {'G', 'G', 'U', 'F', 3, 0, 0, 0, 0};
        hub.replaceFile(ID, null, truncated);

        for (String file : List.of(Q4, Q8)) {
            HttpResponse<byte[]> redirect = get(resolveUrl(file), null);
            assertEquals("9", redirect.headers().firstValue("X-Linked-Size").orElseThrow());
            HttpResponse<byte[]> answer = get(location(redirect), "bytes=0-262143");
            assertEquals(206, answer.statusCode());
            assertEquals("bytes 0-8/9", answer.headers().firstValue("Content-Range").orElseThrow());
            assertArrayEquals(truncated, answer.body());
        }
        assertEquals(900, get(location(get(resolveUrl("README.md"), null)), null).body().length, "not a GGUF file");

        hub.clearFaults();
        assertEquals(Long.toString(SIZE), get(resolveUrl(Q4), null).headers().firstValue("X-Linked-Size").orElseThrow());
    }

    @Test
    void ignoringRangeAnswers200WithTheWholeFileFromByteZero() throws Exception {
        hub.enqueueFileFault(FileFault.ignoringRange(ID + "/"));
        String location = location(get(resolveUrl(Q4), null));

        HttpResponse<InputStream> answer = client.send(request(location, "bytes=1000-1999"),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, answer.statusCode());
        assertEquals(Long.toString(SIZE), answer.headers().firstValue("Content-Length").orElseThrow());
        assertTrue(answer.headers().firstValue("Content-Range").isEmpty());
        try (InputStream body = answer.body()) {
            assertEquals("GGUF", new String(body.readNBytes(4)), "from byte 0, not 1000");
        }
        assertEquals(206, get(location, "bytes=0-3").statusCode(), "the fault is served once");
    }

    @Test
    void aTruncatedAnswerEndsBeforeTheLengthItPromised() throws Exception {
        hub.enqueueFileFault(FileFault.truncated(ID + "/" + Q4));
        String location = location(get(resolveUrl(Q4), null));

        HttpResponse<InputStream> answer = client.send(request(location, "bytes=0-262143"),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(206, answer.statusCode());
        assertEquals("262144", answer.headers().firstValue("Content-Length").orElseThrow());
        byte[] received = new byte[262_144];
        int[] read = {0};
        assertThrows(IOException.class, () -> {
            try (InputStream body = answer.body()) {
                for (int n; (n = body.read(received, read[0], received.length - read[0])) > 0; ) {
                    read[0] += n;
                }
            }
            throw new AssertionError("the body ended cleanly after " + read[0] + " bytes");
        });
        assertTrue(read[0] < 262_144, "cut before the end: " + read[0]);
    }

    @Test
    void statusFaultsAnswerAsACdnDoes() throws Exception {
        for (int status : List.of(404, 401, 403, 500)) {
            hub.enqueueFileFault(FileFault.status(ID + "/", status));
            HttpResponse<byte[]> answer = get(location(get(resolveUrl(Q4), null)), "bytes=0-9");
            assertEquals(status, answer.statusCode());
            assertTrue(new String(answer.body()).contains("<Error>"));
        }
    }

    @Test
    void redirectsGoWhereTheFaultSaysOrRoundALoop() throws Exception {
        hub.enqueueFileFault(FileFault.redirect(ID + "/", "ftp://127.0.0.1:21/model.gguf"));
        HttpResponse<byte[]> away = get(location(get(resolveUrl(Q4), null)), "bytes=0-9");
        assertEquals(302, away.statusCode());
        assertEquals("ftp://127.0.0.1:21/model.gguf", location(away));

        hub.enqueueFileFault(FileFault.redirectLoop(ID + "/"));
        String url = location(get(resolveUrl(Q4), null));
        List<String> seen = new java.util.ArrayList<>();
        for (int hop = 0; hop < 6; hop++) {
            HttpResponse<byte[]> answer = get(url, "bytes=0-9");
            assertEquals(302, answer.statusCode(), "hop " + hop);
            url = location(answer);
            seen.add(URI.create(url).getPath());
        }
        assertEquals(List.of("/loop/a", "/loop/b", "/loop/a", "/loop/b", "/loop/a", "/loop/b"), seen);
    }

    @Test
    void theHubsOwnResolveAnswerTakesTheExistingFaults() throws Exception {
        hub.enqueueFault(Fault.redirect("/" + ID + "/resolve/", "ftp://127.0.0.1:21/model.gguf"));
        HttpResponse<byte[]> ftp = get(resolveUrl(Q4), null);
        assertEquals(302, ftp.statusCode());
        assertEquals("ftp://127.0.0.1:21/model.gguf", location(ftp));

        hub.enqueueFault(Fault.status("/" + ID + "/resolve/", 403));
        assertEquals(403, get(resolveUrl(Q4), null).statusCode());
        hub.enqueueFault(Fault.rateLimited("/" + ID + "/resolve/", "7"));
        assertEquals(429, get(resolveUrl(Q4), null).statusCode());
        assertEquals(302, get(resolveUrl(Q4), null).statusCode(), "each fault once");
        assertEquals(List.of(), hub.fileHostRequests());
    }

    // ---- helpers ----

    private String resolveUrl(String file) {
        return hub.baseUrl() + "/" + ID + "/resolve/main/" + file;
    }

    private static String location(HttpResponse<?> redirect) {
        return redirect.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location: "
                + redirect.statusCode()));
    }

    private HttpResponse<byte[]> get(String url, String range) throws IOException, InterruptedException {
        return client.send(request(url, range), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest request(String url, String range) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (range != null) {
            request.header("Range", range);
        }
        return request.build();
    }
}
