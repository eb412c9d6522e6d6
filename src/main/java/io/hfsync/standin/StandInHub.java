package io.hfsync.standin;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the Hugging Face Hub's model API ({@code /api/models}, {@code /api/models/{id}},
 * {@code /revision/{rev}}, {@code /tree/{rev}}) and its files ({@code /{id}/resolve/{rev}/{path}}, redirected to a
 * second loopback host that serves them by range, as the Hub redirects to its CDN), served over real HTTP on loopback
 * from a {@link HubSnapshot}. Tests and the product's demo mode use it; it records what each host was asked and can
 * misbehave on demand ({@link #enqueueFault}, {@link #enqueueFileFault}, {@link #replaceHeader},
 * {@link #setPageDelay}, small rate-limit quotas).
 */
public final class StandInHub implements AutoCloseable {

    static {
        // the JDK server writes headers and body separately; without TCP_NODELAY each small answer waits for the
        // client's delayed ACK (~40 ms), which would make the stand-in, not the product, the bottleneck
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** Large enough that a normal run never meets the limit; tests lower it to provoke 429. */
    public static final int DEFAULT_RATE_LIMIT_QUOTA = 100_000;

    private static final int WORKER_THREADS = 8;

    private final HttpServer server;
    private final ExecutorService workers;
    private final HubSnapshot snapshot;
    private final RequestJournal journal = new RequestJournal();
    private final FaultQueue faults = new FaultQueue();
    private final RateLimitWindow rateLimit = new RateLimitWindow(DEFAULT_RATE_LIMIT_QUOTA, Clock.systemUTC());
    private final RateLimitWindow resolverLimit = new RateLimitWindow("resolvers", DEFAULT_RATE_LIMIT_QUOTA,
            Clock.systemUTC());
    private final RepoFileBytes files = new RepoFileBytes();
    private final FileHost fileHost;
    /** Bearer token → the gated repos it was granted access to. */
    private final Map<String, java.util.Set<String>> gatedGrants = new ConcurrentHashMap<>();
    private final HubHandler handler;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Bearer token → the account it belongs to: its private repos are listed to it, as the real Hub does. */
    private final Map<String, String> tokenOwners = new ConcurrentHashMap<>();

    private StandInHub(HubSnapshot snapshot, int port) throws IOException {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        this.fileHost = new FileHost(snapshot, files, Clock.systemUTC());
        this.handler = new HubHandler(snapshot, this::baseUrl, journal, faults, rateLimit, resolverLimit,
                tokenOwners::get, (token, id) -> gatedGrants.getOrDefault(token, java.util.Set.of()).contains(id),
                fileHost, files);
        this.workers = Executors.newFixedThreadPool(WORKER_THREADS, daemonThreads());
        server.createContext("/", handler);
        server.setExecutor(workers);
        server.start();
    }

    /** Serves the snapshot on 127.0.0.1 at an ephemeral port. */
    public static StandInHub start(HubSnapshot snapshot) {
        return start(snapshot, 0);
    }

    /** Serves the snapshot on 127.0.0.1 at the port (0: ephemeral). */
    public static StandInHub start(HubSnapshot snapshot, int port) {
        try {
            return new StandInHub(snapshot, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the stand-in Hub on 127.0.0.1:" + port, e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash: what {@code HF_ENDPOINT} would be set to. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public HubSnapshot snapshot() {
        return snapshot;
    }

    /** Every request since start or {@link #resetCounters()}. */
    public int requests() {
        return journal.requests();
    }

    /** {@code GET /api/models} requests (listing pages). */
    public int listingRequests() {
        return journal.listingRequests();
    }

    /** Per-repo requests: {@code /api/models/{id}}, its {@code /revision/} and {@code /tree/} forms. */
    public int detailRequests() {
        return journal.detailRequests();
    }

    /** Requests answered 429 because the rate-limit quota was used up. */
    public int rateLimitedRequests() {
        return journal.rateLimitedRequests();
    }

    /** {@code /resolve/} requests (file reads, each redirected to the file host); they count against the resolvers bucket. */
    public int resolveRequests() {
        return journal.resolveRequests();
    }

    /** Per-repo requests answered 429. */
    public int rateLimitedDetailRequests() {
        return journal.rateLimitedDetailRequests();
    }

    /** {@code "GET /api/models?filter=gguf&..."}: method, raw path and raw query of each request, in order. */
    public List<String> requestLog() {
        return journal.requestLines();
    }

    /** The {@code Authorization} header of each request, in order; null where it was absent. */
    public List<String> authorizationHeaders() {
        return journal.authorizations();
    }

    /** Clears the counters and the logs (the file host's too), and starts fresh rate-limit windows. Queued faults stay. */
    public void resetCounters() {
        journal.reset();
        rateLimit.reset();
        resolverLimit.reset();
        fileHost.reset();
    }

    /**
     * Drops the faults no request has taken yet, the Hub's and the file host's, and the bytes given for files (a test
     * that shares this Hub starts without another's leftovers).
     */
    public void clearFaults() {
        faults.clear();
        fileHost.clearFaults();
        files.clear();
    }

    // ---- files: /resolve/ and the file host ----

    /** {@code http://127.0.0.1:PORT} of the file host {@code /resolve/} redirects to (another port than {@link #baseUrl()}). */
    public String fileHostUrl() {
        return fileHost.baseUrl();
    }

    /** Every request the file host received, in order, with all its headers (to prove none carried the token). */
    public List<FileRequest> fileHostRequests() {
        return fileHost.requests().stream().map(r -> new FileRequest(r.method(), r.target(), r.headers())).toList();
    }

    /** Body bytes the file host sent since start or {@link #resetCounters()}. */
    public long fileHostBytesSent() {
        return fileHost.bytesSent();
    }

    /**
     * One request the file host received.
     *
     * @param method  {@code GET} or {@code HEAD}
     * @param target  raw path and query (the signed URL's)
     * @param headers every request header, names in lower case
     */
    public record FileRequest(String method, String target, Map<String, List<String>> headers) {

        /** The header's first value, or null (name in any case). */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** The next file request matching the fault's prefix ({@code owner/name/path}) gets the fault. */
    public void enqueueFileFault(FileFault fault) {
        fileHost.enqueueFault(fault);
    }

    /**
     * The file starts with {@code bytes} instead of its generated GGUF header, zeros after them up to its listed size
     * (path null: every GGUF file of the repo). Until {@link #clearFaults()}.
     */
    public void replaceHeader(String repoId, String path, byte[] bytes) {
        files.replaceHeader(repoId, path, bytes);
    }

    /** The file is exactly {@code bytes}, its size {@code bytes.length} (path null: every GGUF file of the repo). */
    public void replaceFile(String repoId, String path, byte[] bytes) {
        files.replaceFile(repoId, path, bytes);
    }

    /** How long the signed URLs handed out from now on stay valid (the Hub's: about an hour; zero: expired at once). */
    public void setSignedUrlLifetime(Duration lifetime) {
        fileHost.setLifetime(lifetime);
    }

    /** A bearer token that may read a gated repo's files ({@code /resolve/}); others get 401 (anonymous) or 403. */
    public void grantGatedAccess(String token, String repoId) {
        gatedGrants.computeIfAbsent(Objects.requireNonNull(token, "token"), t -> ConcurrentHashMap.newKeySet())
                .add(Objects.requireNonNull(repoId, "repoId"));
    }

    /** {@code /resolve/} calls per window (the resolvers bucket, apart from the API's); past it 429. */
    public void setResolverRateLimitQuota(int quota) {
        resolverLimit.setQuota(quota);
    }

    /** The next request whose path starts with the fault's prefix gets the fault instead of its answer. */
    public void enqueueFault(Fault f) {
        faults.add(Objects.requireNonNull(f, "fault"));
    }

    /**
     * Fault switch: every listing item's {@code gguf.totalFileSize} is off by {@code bytes} (0: the truth again), while
     * detail answers keep the real sizes: a Hub whose undocumented field stopped meaning what we rely on.
     */
    public void setListedFileSizeError(long bytes) {
        handler.setListedFileSizeError(bytes);
    }

    /** Every answer waits this long first, like a slow Hub; null or zero for none. */
    public void setPageDelay(Duration d) {
        handler.setDelay(d);
    }

    /**
     * Requests carrying {@code Authorization: Bearer <token>} act as {@code owner}: the listing then includes the
     * owner's private repos (with {@code "private": true}) and their detail reads answer, as on the real Hub.
     */
    public void grantToken(String token, String owner) {
        tokenOwners.put(Objects.requireNonNull(token, "token"), Objects.requireNonNull(owner, "owner"));
    }

    /** Requests per 5-minute window; past it every request is answered 429 until the window resets. */
    public void setRateLimitQuota(int quota) {
        rateLimit.setQuota(quota);
    }

    /** Both rate-limit windows' length (the Hub's: 5 minutes); a benchmark scales time with a shorter one. */
    public void setRateLimitWindow(Duration window) {
        rateLimit.setWindow(Objects.requireNonNull(window, "window"));
        resolverLimit.setWindow(window);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        fileHost.close();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Serves {@code DemoSnapshot.generate(42, count, now)} until the process is stopped, for manual checks
     * and the conformance script. Arguments: {@code [port] [count]}, defaults 0 (ephemeral) and
     * {@link DemoSnapshot#DEMO_SIZE}.
     */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : DemoSnapshot.DEMO_SIZE;
        HubSnapshot snapshot = DemoSnapshot.generate(42, count, Instant.now());
        long listedGguf = snapshot.all().stream().filter(r -> !r.isPrivate() && r.hasTag("gguf")).count();
        String sampleId = snapshot.all().stream().filter(r -> !r.isPrivate() && r.hasTag("gguf"))
                .map(HubRepo::id).findFirst().orElse("-");
        StandInHub hub = start(snapshot, port);
        Runtime.getRuntime().addShutdownHook(new Thread(hub::close, "standin-hub-shutdown"));
        System.out.println("Stand-in Hub: " + snapshot.size() + " repos, " + listedGguf
                + " listed with tag gguf (e.g. " + sampleId + ")");
        System.out.println(hub.baseUrl());
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "standin-hub-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
