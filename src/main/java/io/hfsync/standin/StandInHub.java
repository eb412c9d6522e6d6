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
 * {@code /revision/{rev}}, {@code /tree/{rev}}), served over real HTTP on loopback from a
 * {@link HubSnapshot}. Tests and the product's demo mode use it; it records what it was asked and can
 * misbehave on demand ({@link #enqueueFault}, {@link #setPageDelay}, a small rate-limit quota).
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
    private final HubHandler handler;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Bearer token → the account it belongs to: its private repos are listed to it, as the real Hub does. */
    private final Map<String, String> tokenOwners = new ConcurrentHashMap<>();

    private StandInHub(HubSnapshot snapshot, int port) throws IOException {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
        this.handler = new HubHandler(snapshot, this::baseUrl, journal, faults, rateLimit, tokenOwners::get);
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

    /** Clears the counters and the logs, and starts a fresh rate-limit window. Queued faults stay. */
    public void resetCounters() {
        journal.reset();
        rateLimit.reset();
    }

    /** Drops the faults no request has taken yet (a test that shares this Hub starts without another's leftovers). */
    public void clearFaults() {
        faults.clear();
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

    /** The rate-limit window's length (the Hub's: 5 minutes); a benchmark scales time with a shorter one. */
    public void setRateLimitWindow(Duration window) {
        rateLimit.setWindow(Objects.requireNonNull(window, "window"));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
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
