package io.hfsync.hub;

import io.hfsync.gguf.GgufFormatException;
import io.hfsync.gguf.GgufHeader;
import io.hfsync.gguf.GgufReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;

/**
 * One GGUF header read over HTTP (docs/gguf-headers.md): {@code GET} the Hub's {@code /resolve/} URL with
 * {@code Range: bytes=0-65535} (64 KiB), follow its redirect to the signed URL on another host (http or https only, at
 * most {@value #MAX_HOPS} hops, a loop refused), read the {@code 206} answer through the {@link GgufReader} and, when the
 * header goes on, the next ranges of the same signed URL, each twice the one before up to 2 MiB (128 KiB, 256 KiB, ...,
 * so a header costs its own size and at most that much again); a {@code 200} that ignores {@code Range} is read only as
 * far as needed, then closed (its connection dropped, not drained). An answer that breaks off before its end is taken up
 * where it broke, on the same signed URL, at most {@value #MAX_RESUMES} times; no answer may take longer than the
 * response timeout as a whole, so a host that trickles a byte at a time cannot hold the run. The client is the Hub
 * client ({@link HubHttpClient}: the token for the Hub's origin only, connections reported to the run), with redirects
 * left to this class.
 */
public final class HeaderFetch implements Closeable {

    /**
     * What the first range asks for: the hyper-parameters of a llama.cpp-written header sit in its first few KiB, and
     * the file host sends the whole range even when the reader stops early, so it is kept small.
     */
    public static final int FIRST_RANGE = 64 * 1024;
    /**
     * The largest further range: each further range asks for twice the one before (128 KiB, 256 KiB, ...) up to this,
     * so that a header read on past its tokenizer costs its own size and at most that much again, never a fixed step.
     */
    public static final int MAX_NEXT_RANGE = 2 * 1024 * 1024;
    public static final int MAX_HOPS = 5;
    /** How often one read takes up an answer that broke off before the read gives up on the file. */
    public static final int MAX_RESUMES = 2;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    /** Told before each request to the Hub's own host (a {@code /resolve/} call) and after its answer. */
    public interface Resolvers {
        void beforeCall() throws InterruptedException;

        void answered(String rateLimit, String warning);
    }

    /** A read's outcome: a header, or the reason there is none, and the bytes and resolver calls it took. */
    public record Outcome(GgufHeader header, String error, long bytes, int resolverCalls) {
    }

    /** The Hub could not answer now (5xx, 429, a network error): no verdict on the file, read again later. */
    public static final class NotNow extends IOException {
        public NotNow(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String hubUrl;
    private final CloseableHttpClient client;
    private final long answerNanos;

    /**
     * @param connectTimeout  for each connection
     * @param responseTimeout the longest silence in an answer, and the longest any one answer may take as a whole
     * @param concurrency     reads in flight at once, each with a connection to the Hub and one to the file host
     */
    public HeaderFetch(String hubUrl, HubHttpClient hubClient, Duration connectTimeout, Duration responseTimeout,
            int concurrency) {
        this.hubUrl = hubUrl;
        this.answerNanos = responseTimeout.toNanos();
        Timeout response = Timeout.of(responseTimeout);
        HttpClientBuilder builder = HttpClientBuilder.create()
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(concurrency)
                        .setMaxConnTotal(2 * concurrency)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.of(connectTimeout))
                                .setSocketTimeout(response).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(response).build());
        hubClient.configureHttpClient(builder);
        this.client = builder.build();
    }

    /**
     * Reads the header of {@code path} in repo {@code id} at {@code sha}.
     *
     * @throws NotNow when the Hub or the network could not answer now
     */
    public Outcome read(String id, String sha, String path, Resolvers resolvers) throws IOException, InterruptedException {
        Read read = new Read(resolvers);
        try {
            String url = HubUrls.resolve(hubUrl, id, sha, path);
            String error = read.open(url, 0, FIRST_RANGE);
            if (error != null) {
                return new Outcome(null, error, read.bytes, read.resolverCalls);
            }
            try {
                GgufHeader header = GgufReader.read(read, sha, path);
                return new Outcome(header, null, read.bytes, read.resolverCalls);
            } catch (GgufFormatException e) {
                return new Outcome(null, e.getMessage(), read.bytes, read.resolverCalls);
            } catch (Refused e) {
                return new Outcome(null, e.getMessage(), read.bytes, read.resolverCalls);
            } catch (AnswerTooLargeException e) {
                return new Outcome(null, "an answer larger than hub.max-answer-mb", read.bytes, read.resolverCalls);
            }
        } finally {
            read.close();
        }
    }

    /** A definitive answer met while more bytes were read (the signed URL refused the next range). */
    private static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /** The bytes of one file as the reader asks for them: the open answer's body, then the next range. */
    private final class Read implements GgufReader.Source {
        private final Resolvers resolvers;
        private HttpGet request;
        private CloseableHttpResponse response;
        private InputStream body;
        /** When the open answer was asked for (System.nanoTime), and whether its body was read to its end. */
        private long askedAt;
        private boolean bodyEnded;
        private int resumes;
        /** The signed URL the Hub redirected to (null until the Hub answered). */
        private String fileUrl;
        /** Where the open answer's body starts in the file, and where the file ends (-1: unknown). */
        private long position;
        private long answerEnd = -1;
        private long fileSize = -1;
        private boolean whole;
        /** The length of the last range asked for: the next one asks for twice as much, up to MAX_NEXT_RANGE. */
        private long asked = FIRST_RANGE;
        long bytes;
        int resolverCalls;

        Read(Resolvers resolvers) {
            this.resolvers = resolvers;
        }

        /** Opens {@code [from, from + length)}; returns a reason when the file cannot be read, null when open. */
        String open(String url, long from, int length) throws IOException, InterruptedException {
            Set<String> seen = new HashSet<>();
            String target = url;
            for (int hop = 0; ; hop++) {
                if (!seen.add(target)) {
                    return "redirect loop at " + hostOf(target);
                }
                if (hop > MAX_HOPS) {
                    return "more than " + MAX_HOPS + " redirects";
                }
                boolean toHub = HubUrls.sameOrigin(hubUrl, target);
                if (toHub) {
                    resolvers.beforeCall();
                    resolverCalls++;
                }
                HttpGet get = new HttpGet(URI.create(target));
                get.setHeader("Range", "bytes=" + from + "-" + (from + length - 1));
                CloseableHttpResponse answer;
                try {
                    askedAt = System.nanoTime();
                    answer = client.execute(get);
                } catch (IOException e) {
                    throw new NotNow("no answer from " + hostOf(target) + ": " + e.getMessage(), e);
                }
                int status = answer.getCode();
                if (toHub) {
                    resolvers.answered(value(answer, "RateLimit"), value(answer, "X-HF-Warning"));
                }
                if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                    String location = value(answer, "Location");
                    answer.close();
                    if (location == null) {
                        return "HTTP " + status + " without a Location";
                    }
                    URI next;
                    try {
                        next = URI.create(target).resolve(location.trim());
                    } catch (IllegalArgumentException e) {
                        return "a redirect to an unreadable URL";
                    }
                    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                    if (!scheme.equals("http") && !scheme.equals("https")) {
                        return "a redirect to a non-HTTP(S) URL (" + (scheme.isEmpty() ? "no scheme" : scheme) + ")";
                    }
                    target = next.toString();
                    continue;
                }
                if (status == 206 || status == 200) {
                    String error = start(get, answer, status, target, from);
                    if (error != null) {
                        answer.close();
                    }
                    return error;
                }
                answer.close();
                if (status == 429 || status == 408 || status >= 500) {
                    throw new NotNow("HTTP " + status + " from " + hostOf(target), null);
                }
                return switch (status) {
                    case 401, 403 -> "HTTP " + status + (toHub ? " (gated or private: no access)" : " from the file host");
                    case 404 -> "HTTP 404 (file or revision not found)";
                    case 416 -> "HTTP 416 (range not satisfiable)";
                    default -> "HTTP " + status;
                };
            }
        }

        private String start(HttpGet get, CloseableHttpResponse answer, int status, String target, long from)
                throws IOException {
            fileUrl = target;
            request = get;
            response = answer;
            bodyEnded = false;
            if (status == 200) {
                // the range was ignored: the body is the whole file from its first byte, read as far as needed
                whole = true;
                position = 0;
                if (from > 0) {
                    body = answer.getEntity() == null ? InputStream.nullInputStream() : answer.getEntity().getContent();
                    body.skipNBytes(from);
                    position = from;
                    return null;
                }
            } else {
                Matcher range = CONTENT_RANGE.matcher(value(answer, "Content-Range") == null ? "" : value(answer, "Content-Range"));
                if (!range.find() || Long.parseLong(range.group(1)) != from) {
                    return "a 206 answer without the Content-Range asked for";
                }
                whole = false;
                position = from;
                answerEnd = Long.parseLong(range.group(2)) + 1;
                fileSize = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
            }
            body = answer.getEntity() == null ? InputStream.nullInputStream() : answer.getEntity().getContent();
            return null;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            while (true) {
                int n;
                try {
                    n = body.read(buffer, offset, length);
                } catch (AnswerTooLargeException e) {
                    throw e;
                } catch (SocketTimeoutException e) {
                    throw new NotNow("the answer of " + hostOf(fileUrl) + " stalled: " + e.getMessage(), e);
                } catch (IOException e) {
                    // a connection cut before the answer's end: take it up where it broke
                    resume(e.getMessage());
                    continue;
                }
                if (System.nanoTime() - askedAt > answerNanos) {
                    throw new NotNow("the answer of " + hostOf(fileUrl) + " took longer than "
                            + Duration.ofNanos(answerNanos).toSeconds() + " s (a host that trickles)", null);
                }
                if (n > 0) {
                    position += n;
                    bytes += n;
                    return n;
                }
                bodyEnded = true;
                if (whole || (fileSize >= 0 && position >= fileSize)) {
                    return -1; // the end of the file
                }
                if (answerEnd >= 0 && position < answerEnd) {
                    resume("it ended " + (answerEnd - position) + " bytes before its Content-Range");
                    continue;
                }
                nextRange();
            }
        }

        /** The answer broke off at {@code position}: ask for the rest, unless it broke too often to go on. */
        private void resume(String why) throws IOException {
            if (resumes++ >= MAX_RESUMES) {
                throw new Refused("truncated: the answers of " + hostOf(fileUrl) + " broke off " + resumes
                        + " times, the last at byte " + position);
            }
            nextRange();
        }

        private void nextRange() throws IOException {
            closeAnswer();
            String error;
            try {
                error = next();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotNow("interrupted", e);
            }
            if (error != null) {
                throw new Refused(error);
            }
        }

        /** The next range, on the signed URL the Hub gave (no further resolver call while it is valid). */
        private String next() throws IOException, InterruptedException {
            asked = Math.min(MAX_NEXT_RANGE, 2 * asked);
            long wanted = fileSize < 0 ? asked : Math.min(asked, fileSize - position);
            String url = fileUrl;
            HttpGet get = new HttpGet(URI.create(url));
            get.setHeader("Range", "bytes=" + position + "-" + (position + wanted - 1));
            CloseableHttpResponse answer;
            try {
                askedAt = System.nanoTime();
                answer = client.execute(get);
            } catch (IOException e) {
                throw new NotNow("no answer from " + hostOf(url) + ": " + e.getMessage(), e);
            }
            int status = answer.getCode();
            if (status == 206 || status == 200) {
                String error = start(get, answer, status, url, position);
                if (error != null) {
                    answer.close();
                }
                return error;
            }
            answer.close();
            if (status == 429 || status == 408 || status >= 500 || status == 403) {
                // 403: the signed URL expired; the next try resolves again
                throw new NotNow("HTTP " + status + " from " + hostOf(url) + " for a further range", null);
            }
            return "HTTP " + status + " from the file host for a further range";
        }

        private void closeAnswer() throws IOException {
            if (response != null) {
                if (!bodyEnded) {
                    // closed before its end (a 200 of a whole 40 GB file): the connection is dropped, not drained
                    request.cancel();
                }
                try {
                    response.close();
                } catch (IOException e) {
                    // the connection is gone already: nothing more to read from it
                }
                response = null;
                request = null;
            }
        }

        void close() throws IOException {
            closeAnswer();
        }
    }

    private static String value(CloseableHttpResponse answer, String name) {
        Header header = answer.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    private static String hostOf(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() == null ? "?" : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "?";
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
