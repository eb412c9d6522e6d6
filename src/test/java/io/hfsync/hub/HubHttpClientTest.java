package io.hfsync.hub;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 29 item 2, measured end to end (bench/answer-cap.sh): an answer over hub.max-answer-mb was refused, but the
 * HTTP client then read the rest of it to keep the connection (600 MiB drained before the run could end), so a body
 * that never ends held the run for ever. Over the cap the connection is dropped instead.
 */
class HubHttpClientTest {

    static final long CAP = 1024 * 1024;
    private HttpServer server;
    private final AtomicLong sent = new AtomicLong();

    @BeforeEach
    void endlessHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // an answer that never ends: chunked, or declaring 1 TB
        server.createContext("/", exchange -> {
            boolean chunked = exchange.getRequestURI().getPath().contains("chunked");
            exchange.sendResponseHeaders(200, chunked ? 0 : 1L << 40);
            byte[] block = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    out.write(block);
                    sent.addAndGet(block.length);
                }
            } catch (IOException clientWentAway) {
                // expected: the client dropped the connection
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked", "content-length"})
    void should_drop_the_connection_of_an_answer_over_the_cap_instead_of_reading_it_to_its_end(String kind) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            HttpClientBuilder builder = HttpClientBuilder.create();
            new HubHttpClient(new BearerToken("http://127.0.0.1", ""), CAP).configureHttpClient(builder);
            try (CloseableHttpClient client = builder.build()) {
                String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/models/" + kind;
                ClassicHttpResponse response = client.executeOpen(null, new HttpGet(url), null);
                assertThrows(AnswerTooLargeException.class, () -> {
                    try (InputStream in = response.getEntity().getContent()) {
                        in.transferTo(OutputStream.nullOutputStream());
                    }
                });
                response.close();
            }
        });
        long afterClose = sent.get();
        assertTrue(afterClose < 64 * CAP, "the rest was not read: " + afterClose + " bytes sent");
    }
}
