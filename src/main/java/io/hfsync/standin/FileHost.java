package io.hfsync.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-in's second host, where {@code /resolve/} redirects, as the Hub redirects to its CDN: another port on
 * 127.0.0.1, so a test can tell which host a request reached and prove the token never reaches this one. It serves a
 * file only on a signed URL that has not expired ({@code 403} otherwise), answers {@code Range: bytes=a-b} with
 * {@code 206} and {@code Content-Range}, and refuses an unranged GET of a file over {@link #UNRANGED_LIMIT} with
 * {@code 400}. Bytes are written on the fly ({@link FileBody}); it records every request with its headers.
 */
final class FileHost implements AutoCloseable {

    /** Larger files are served only by range. */
    static final long UNRANGED_LIMIT = 10L * 1024 * 1024;

    /** The signed URL's lifetime on the Hub: about an hour. */
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

    private static final String FILES = "/repos/";
    private static final String LOOP = "/loop/";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)(,.*)?");
    private static final System.Logger LOG = System.getLogger(FileHost.class.getName());

    /**
     * One request as the file host received it.
     *
     * @param method  {@code GET} or {@code HEAD}
     * @param target  raw path and query
     * @param headers every request header, names in lower case
     */
    record Request(String method, String target, Map<String, List<String>> headers) {

        /** The header's first value, or null. */
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final HubSnapshot snapshot;
    private final RepoFileBytes files;
    private final Clock clock;
    private final SignedUrls signing;
    private final List<Request> requests = new ArrayList<>();
    private final List<FileFault> faults = new ArrayList<>();
    private final AtomicLong bytesSent = new AtomicLong();
    private volatile Duration lifetime = DEFAULT_LIFETIME;

    FileHost(HubSnapshot snapshot, RepoFileBytes files, Clock clock) {
        this.snapshot = snapshot;
        this.files = files;
        this.clock = clock;
        this.signing = new SignedUrls(clock);
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the stand-in file host on 127.0.0.1", e);
        }
        AtomicInteger counter = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "standin-files-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A URL for the file valid for the configured lifetime, signed with this host's key. */
    String signedUrl(String repoId, String sha, String path) {
        long expires = clock.instant().plus(lifetime).getEpochSecond();
        String filePath = FILES + encodePath(repoId) + "/" + sha + "/" + encodePath(path);
        return baseUrl() + filePath + "?Expires=" + expires + "&Signature=" + signing.sign(filePath, expires);
    }

    /** How long a signed URL stays valid (zero or negative: already expired when handed out). */
    void setLifetime(Duration newLifetime) {
        this.lifetime = Objects.requireNonNull(newLifetime, "lifetime");
    }

    void enqueueFault(FileFault fault) {
        synchronized (faults) {
            faults.add(Objects.requireNonNull(fault, "fault"));
        }
    }

    void clearFaults() {
        synchronized (faults) {
            faults.clear();
        }
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Body bytes written (a cut-off answer counts what was written before the cut). */
    long bytesSent() {
        return bytesSent.get();
    }

    void reset() {
        synchronized (requests) {
            requests.clear();
        }
        bytesSent.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- answering ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            record(exchange);
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                error(exchange, 405, "MethodNotAllowed", "Only GET and HEAD");
                return;
            }
            if (rawPath.startsWith(LOOP)) {
                // two URLs that redirect to each other: a client must notice it is going round
                String other = rawPath.equals(LOOP + "a") ? LOOP + "b" : LOOP + "a";
                redirect(exchange, baseUrl() + other + (rawQuery == null ? "" : "?" + rawQuery));
                return;
            }
            if (!rawPath.startsWith(FILES)) {
                error(exchange, 404, "NoSuchKey", "The specified key does not exist.");
                return;
            }
            String refusal = signing.refusal(rawPath, QueryParams.parse(rawQuery));
            if (refusal != null) {
                error(exchange, 403, "AccessDenied", refusal);
                return;
            }
            String[] parts = rawPath.substring(FILES.length()).split("/", 4);
            if (parts.length < 4) {
                error(exchange, 404, "NoSuchKey", "The specified key does not exist.");
                return;
            }
            String repoId = decode(parts[0]) + "/" + decode(parts[1]);
            String sha = decode(parts[2]);
            String path = decodePath(parts[3]);
            HubRepo repo = snapshot.get(repoId);
            RepoFile file = repo == null ? null
                    : repo.files().stream().filter(f -> f.path().equals(path)).findFirst().orElse(null);
            if (file == null) {
                error(exchange, 404, "NoSuchKey", "The specified key does not exist.");
                return;
            }
            FileFault fault = takeFault(repoId + "/" + path);
            if (fault != null) {
                LOG.log(System.Logger.Level.INFO, "stand-in file host: fault " + fault.kind() + " for " + repoId + "/" + path);
                switch (fault.kind()) {
                    case STATUS -> {
                        error(exchange, fault.status(), "Fault", "Error " + fault.status());
                        return;
                    }
                    case REDIRECT -> {
                        redirect(exchange, fault.location());
                        return;
                    }
                    case REDIRECT_LOOP -> {
                        redirect(exchange, baseUrl() + LOOP + "a");
                        return;
                    }
                    default -> {
                        // IGNORE_RANGE and TRUNCATE change how the answer is sent, below
                    }
                }
            }
            serve(exchange, files.body(repo, sha, file), etag(repoId, sha, path), fault);
        } catch (IOException e) {
            // the client went away (it read what it needed of a long answer and closed): nothing to answer
            LOG.log(System.Logger.Level.DEBUG, "stand-in file host: " + e.getMessage());
        }
    }

    private void serve(HttpExchange exchange, FileBody body, String etag, FileFault fault) throws IOException {
        long size = body.size();
        var headers = exchange.getResponseHeaders();
        headers.set("Accept-Ranges", "bytes");
        headers.set("ETag", etag);
        headers.set("Content-Type", "application/octet-stream");
        if (exchange.getRequestMethod().equals("HEAD")) {
            headers.set("Content-Length", Long.toString(size));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        boolean ignoreRange = fault != null && fault.kind() == FileFault.Kind.IGNORE_RANGE;
        boolean truncate = fault != null && fault.kind() == FileFault.Kind.TRUNCATE;
        Duration trickle = fault != null && fault.kind() == FileFault.Kind.TRICKLE ? fault.interval() : null;
        String range = ignoreRange ? null : exchange.getRequestHeaders().getFirst("Range");
        Matcher matcher = range == null ? null : RANGE.matcher(range.trim());
        if (matcher == null || !matcher.matches() || matcher.group(1).isEmpty() && matcher.group(2).isEmpty()) {
            if (!ignoreRange && size > UNRANGED_LIMIT) {
                error(exchange, 400, "InvalidRequest", "This file is served by range only: send Range: bytes=a-b");
                return;
            }
            send(exchange, 200, body, 0, size - 1, truncate, trickle);
            return;
        }
        long from;
        long to;
        if (matcher.group(1).isEmpty()) {
            long suffix = Long.parseLong(matcher.group(2));
            from = Math.max(0, size - suffix);
            to = size - 1;
        } else {
            from = Long.parseLong(matcher.group(1));
            to = matcher.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(matcher.group(2)), size - 1);
        }
        if (from >= size || from > to) {
            headers.set("Content-Range", "bytes */" + size);
            error(exchange, 416, "InvalidRange", "The requested range is not satisfiable");
            return;
        }
        headers.set("Content-Range", "bytes " + from + "-" + to + "/" + size);
        send(exchange, 206, body, from, to, truncate, trickle);
    }

    /**
     * Sends bytes {@code from}..{@code to}; truncated: promises them all and cuts the connection half-way; trickle: one
     * byte per that interval, until the client goes away.
     */
    private void send(HttpExchange exchange, int status, FileBody body, long from, long to, boolean truncate,
            Duration trickle) throws IOException {
        long length = to - from + 1;
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length == 0) {
            return;
        }
        OutputStream out = new CountingStream(exchange.getResponseBody(), bytesSent);
        if (trickle != null) {
            for (long at = from; at <= to; at++) {
                out.write(body.read(at, at));
                out.flush();
                try {
                    Thread.sleep(trickle.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("stand-in file host stopped while trickling", e);
                }
            }
            out.close();
            return;
        }
        if (truncate) {
            long half = Math.max(0, length / 2 - 1);
            if (half > 0) {
                body.write(out, from, from + half - 1);
            }
            out.flush();
            throw new IOException("stand-in file host: connection cut on purpose half-way (FileFault.truncated)");
        }
        body.write(out, from, to);
        out.close();
    }

    private void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    /** An S3-style XML error, as the Hub's CDN answers. */
    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/xml");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    // ---- what a file is ----

    /** The file's sha256 as the Hub shows it ({@code X-Linked-Etag}): derived from what it is, not from its bytes. */
    static String etag(String repoId, String sha, String path) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((repoId + "\n" + sha + "\n" + path).getBytes(StandardCharsets.UTF_8));
            return "\"" + java.util.HexFormat.of().formatHex(digest) + "\"";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    // ---- bookkeeping ----

    private void record(HttpExchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Request request = new Request(exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery),
                Collections.unmodifiableMap(headers));
        synchronized (requests) {
            requests.add(request);
        }
    }

    private FileFault takeFault(String repoPath) {
        synchronized (faults) {
            for (Iterator<FileFault> it = faults.iterator(); it.hasNext(); ) {
                FileFault fault = it.next();
                if (fault.matches(repoPath)) {
                    it.remove();
                    return fault;
                }
            }
        }
        return null;
    }

    private static String encodePath(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            segments.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("/", segments);
    }

    private static String decodePath(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/", -1)) {
            segments.add(decode(segment));
        }
        return String.join("/", segments);
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
