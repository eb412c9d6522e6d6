package io.hfsync.standin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Answers every HTTP request of the stand-in Hub: journals it, applies the configured delay, rate limit (the
 * {@code api} bucket, or {@code resolvers} for {@code /resolve/}) and queued faults, and otherwise routes it to the
 * listing, model-info or file ({@code /resolve/}: a redirect to the file host) answer.
 */
final class HubHandler implements HttpHandler {

    private static final String MODELS = "/api/models";
    private static final System.Logger LOG = System.getLogger(HubHandler.class.getName());

    private final HubSnapshot snapshot;
    private final Supplier<String> baseUrl;
    private final RequestJournal journal;
    private final FaultQueue faults;
    private final RateLimitWindow rateLimit;
    private final RateLimitWindow resolverLimit;
    private final Function<String, String> tokenOwner;
    private final BiPredicate<String, String> gatedAccess;
    private final FileHost fileHost;
    private final RepoFileBytes files;
    private volatile Duration delay = Duration.ZERO;
    private volatile long listedFileSizeError;

    /**
     * @param gatedAccess whether a bearer token was granted access to a gated repo (token, repo id)
     * @param fileHost    where {@code /resolve/} redirects (null: {@code /resolve/} answers 404)
     */
    HubHandler(HubSnapshot snapshot, Supplier<String> baseUrl, RequestJournal journal, FaultQueue faults,
            RateLimitWindow rateLimit, RateLimitWindow resolverLimit, Function<String, String> tokenOwner,
            BiPredicate<String, String> gatedAccess, FileHost fileHost, RepoFileBytes files) {
        this.tokenOwner = tokenOwner;
        this.resolverLimit = resolverLimit;
        this.gatedAccess = gatedAccess;
        this.fileHost = fileHost;
        this.files = files;
        this.snapshot = snapshot;
        this.baseUrl = baseUrl;
        this.journal = journal;
        this.faults = faults;
        this.rateLimit = rateLimit;
    }

    void setListedFileSizeError(long bytes) {
        this.listedFileSizeError = bytes;
    }

    void setDelay(Duration delay) {
        this.delay = delay == null ? Duration.ZERO : delay;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        journal.record(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath()
                        + (rawQuery == null ? "" : "?" + rawQuery),
                exchange.getRequestHeaders().getFirst("Authorization"), kindOf(path));
        // the quota and the fault queue are read when the request arrives, not after the delay: a slow request left
        // over from one test (its client gave up) must not wake up and take the fault the next test queued meanwhile
        RateLimitWindow.Decision limit = (isResolve(path) ? resolverLimit : rateLimit).take();
        String request = rawQuery == null ? path : path + "?" + rawQuery;
        Fault fault = limit.allowed() ? faults.takeFor(request) : null;
        if (fault != null) {
            // a test's log then shows which request took its fault (a shared stand-in serves many tests)
            LOG.log(System.Logger.Level.INFO, "stand-in Hub: fault " + fault.status() + " for " + request);
        }
        waitDelay();

        HubResponse response;
        if (!limit.allowed()) {
            journal.rateLimited(kindOf(path));
            response = HubResponse.error(429, "You have exceeded our rate limit for " + limit.bucket()
                            + " requests. Please retry later.")
                    .withHeader("Retry-After", Long.toString(limit.resetSeconds()));
        } else {
            boolean replaces = fault != null && !fault.truncate() && fault.trickle() == null;
            response = replaces ? faultResponse(fault) : answer(exchange, path, rawQuery);
        }
        response = response.withHeader("RateLimit", limit.rateLimitHeader())
                .withHeader("RateLimit-Policy", limit.policyHeader());
        if (fault != null) {
            for (Map.Entry<String, String> header : fault.headers().entrySet()) {
                response = response.withHeader(header.getKey(), header.getValue());
            }
        }
        if (fault != null && fault.truncate()) {
            sendTruncated(exchange, response);
        } else if (fault != null && fault.trickle() != null) {
            sendTrickling(exchange, response, fault.trickle());
        } else {
            send(exchange, response);
        }
    }

    private HubResponse answer(HttpExchange exchange, String path, String rawQuery) {
        try {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (isResolve(path) && ("GET".equals(exchange.getRequestMethod()) || "HEAD".equals(exchange.getRequestMethod()))) {
                return resolve(path, authorization);
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                return HubResponse.error(405, "Method not allowed");
            }
            QueryParams params = QueryParams.parse(rawQuery);
            String viewer = viewer(authorization);
            if (path.equals(MODELS) || path.equals(MODELS + "/")) {
                return listing(params, rawQuery, viewer);
            }
            if (path.startsWith(MODELS + "/")) {
                return repoRoute(path.substring(MODELS.length() + 1).split("/"), params, viewer);
            }
            return HubResponse.error(404, "Not Found");
        } catch (HubError e) {
            return HubResponse.error(e.status(), e.getMessage());
        } catch (RuntimeException bug) {
            // a stand-in bug must show as a clear 500, not as a dropped connection the client would retry
            LOG.log(System.Logger.Level.ERROR, "stand-in Hub failed on " + path, bug);
            return HubResponse.error(500, "Stand-in Hub error: " + bug);
        }
    }

    /**
     * {@code /{owner}/{name}/resolve/{rev}/{path}}: {@code 302} to a signed URL on the file host, with the headers the
     * Hub sends ({@code X-Repo-Commit}, {@code X-Linked-Size}, {@code X-Linked-Etag}); the Hub's own errors (unknown
     * repo, revision or file: 404; private: 401; gated without access: 401 anonymous, 403 with a token) carry its
     * {@code X-Error-Code}.
     */
    private HubResponse resolve(String path, String authorization) {
        String[] segments = path.substring(1).split("/", 5);
        if (fileHost == null || segments.length < 5 || segments[4].isEmpty()) {
            return errorCoded(404, "EntryNotFound", "Entry not found");
        }
        String id = segments[0] + "/" + segments[1];
        HubRepo repo = snapshot.get(id);
        String viewer = viewer(authorization);
        if (repo == null || !ListingQuery.visibleTo(repo, viewer)) {
            // the Hub does not tell a private repo from a missing one
            return errorCoded(repo == null ? 404 : 401, "RepoNotFound", "Repository not found");
        }
        if ("auto".equals(repo.gated()) || "manual".equals(repo.gated())) {
            String token = bearer(authorization);
            boolean granted = token != null && (repo.owner().equals(viewer) || gatedAccess.test(token, id));
            if (!granted && viewer == null) {
                return errorCoded(401, "GatedRepo", "Access to model " + id + " is restricted. You must have access"
                        + " to it and be authenticated to access it. Please log in.");
            }
            if (!granted) {
                return errorCoded(403, "GatedRepo", "Access to model " + id + " is restricted and you are not in the"
                        + " authorized list. Visit https://huggingface.co/" + id + " to ask for access.");
            }
        }
        String revision = segments[3];
        if (!revision.equals("HEAD") && !revision.equals("main") && !revision.equals(repo.sha())) {
            return errorCoded(404, "RevisionNotFound", "Invalid rev id: " + revision);
        }
        String filePath = segments[4];
        RepoFile file = repo.files().stream().filter(f -> f.path().equals(filePath)).findFirst().orElse(null);
        if (file == null) {
            return errorCoded(404, "EntryNotFound", "Entry not found");
        }
        String location = fileHost.signedUrl(id, repo.sha(), filePath);
        String etag = FileHost.etag(id, repo.sha(), filePath);
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        headers.put("Location", location);
        headers.put("X-Repo-Commit", repo.sha());
        headers.put("X-Linked-Size", Long.toString(files.size(repo, file)));
        headers.put("X-Linked-Etag", etag);
        headers.put("ETag", etag);
        return new HubResponse(302, headers, ("Found. Redirecting to " + location).getBytes(StandardCharsets.UTF_8));
    }

    private static HubResponse errorCoded(int status, String code, String message) {
        return HubResponse.error(status, message).withHeader("X-Error-Code", code).withHeader("X-Error-Message", message);
    }

    private static String bearer(String authorization) {
        return authorization == null || !authorization.startsWith("Bearer ") ? null
                : authorization.substring("Bearer ".length()).trim();
    }

    static boolean isResolve(String path) {
        return !path.startsWith("/api/") && path.contains("/resolve/");
    }

    /** The account a bearer token acts as, or null for an anonymous (or unknown-token) caller. */
    private String viewer(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        return tokenOwner.apply(authorization.substring("Bearer ".length()).trim());
    }

    private HubResponse listing(QueryParams params, String rawQuery, String viewer) {
        ListingQuery query = ListingQuery.from(params);
        ModelListing.Page page = ModelListing.page(snapshot, query, viewer);
        ArrayNode items = ModelJson.MAPPER.createArrayNode();
        page.items().forEach(repo -> items.add(lying(ModelJson.listingItem(repo, query))));
        HubResponse response = HubResponse.json(200, items);
        if (page.next() != null) {
            response = response.withHeader("Link", "<" + nextPageUrl(rawQuery, page.next()) + ">; rel=\"next\"");
        }
        return response;
    }

    /** A listing item whose {@code gguf.totalFileSize} is off by the fault switch's bytes (detail answers stay true). */
    private ObjectNode lying(ObjectNode item) {
        long error = listedFileSizeError;
        if (error != 0 && item.get("gguf") instanceof ObjectNode gguf
                && gguf.hasNonNull("totalFileSize")) {
            gguf.put("totalFileSize", gguf.get("totalFileSize").asLong() + error);
        }
        return item;
    }

    /** The same query with the new cursor in place of the old one. */
    private String nextPageUrl(String rawQuery, ListingCursor next) {
        String kept = rawQuery == null ? "" : Arrays.stream(rawQuery.split("&"))
                .filter(part -> !part.isEmpty() && !part.equals("cursor") && !part.startsWith("cursor="))
                .collect(Collectors.joining("&"));
        String cursor = "cursor=" + URLEncoder.encode(next.encode(), StandardCharsets.UTF_8);
        return baseUrl.get() + MODELS + "?" + (kept.isEmpty() ? cursor : kept + "&" + cursor);
    }

    /** {@code owner/name}, {@code owner/name/revision/{rev}} or {@code owner/name/tree/{rev}[/path]}. */
    private HubResponse repoRoute(String[] segments, QueryParams params, String viewer) {
        if (segments.length < 2 || segments[0].isEmpty() || segments[1].isEmpty()) {
            return HubResponse.error(404, "Not Found");
        }
        String id = segments[0] + "/" + segments[1];
        if (segments.length == 2) {
            return modelInfo(id, null, params, viewer);
        }
        if (segments.length >= 4 && segments[2].equals("revision")) {
            return modelInfo(id, String.join("/", Arrays.copyOfRange(segments, 3, segments.length)), params, viewer);
        }
        if (segments.length >= 4 && segments[2].equals("tree")) {
            HubRepo repo = visibleRepo(id, viewer);
            requireRevision(repo, segments[3]);
            return HubResponse.json(200, ModelJson.tree(repo));
        }
        return HubResponse.error(404, "Not Found");
    }

    private HubResponse modelInfo(String id, String revision, QueryParams params, String viewer) {
        var expand = ExpandFields.from(params);
        boolean blobs = "true".equalsIgnoreCase(params.last("blobs")) || "1".equals(params.last("blobs"));
        if (blobs && !expand.isEmpty()) {
            throw new HubError(400, "Cannot use \"blobs\" together with \"expand\"");
        }
        HubRepo repo = visibleRepo(id, viewer);
        if (revision != null) {
            requireRevision(repo, revision);
        }
        return HubResponse.json(200, expand.isEmpty() ? ModelJson.modelInfo(repo, blobs) : ModelJson.expanded(repo, expand));
    }

    /** The repo a client may read: unknown ones are 404, private ones 401 unless the caller owns them. */
    private HubRepo visibleRepo(String id, String viewer) {
        HubRepo repo = snapshot.get(id);
        if (repo == null) {
            throw HubError.notFound();
        }
        if (!ListingQuery.visibleTo(repo, viewer)) {
            throw new HubError(401, "Repository not found");
        }
        return repo;
    }

    /** Only the head exists in the stand-in: {@code HEAD}, {@code main} or its sha. */
    private static void requireRevision(HubRepo repo, String revision) {
        if (!revision.equals("HEAD") && !revision.equals("main") && !revision.equals(repo.sha())) {
            throw new HubError(404, "Invalid rev id: " + revision);
        }
    }

    private static HubResponse faultResponse(Fault fault) {
        String start = new String(fault.bodyBytes(), StandardCharsets.ISO_8859_1).stripLeading();
        String type = start.startsWith("{") || start.startsWith("[") ? HubResponse.JSON_TYPE : "text/plain; charset=utf-8";
        return new HubResponse(fault.status(), Map.of("Content-Type", type), fault.bodyBytes());
    }

    private static RequestJournal.Kind kindOf(String path) {
        if (isResolve(path)) {
            return RequestJournal.Kind.RESOLVE;
        }
        if (path.equals(MODELS) || path.equals(MODELS + "/")) {
            return RequestJournal.Kind.LISTING;
        }
        return path.startsWith(MODELS + "/") ? RequestJournal.Kind.DETAIL : RequestJournal.Kind.OTHER;
    }

    private void waitDelay() {
        Duration wait = delay;
        if (!wait.isZero() && !wait.isNegative()) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void send(HttpExchange exchange, HubResponse response) throws IOException {
        response.headers().forEach(exchange.getResponseHeaders()::set);
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(response.status(), -1);
            exchange.close();
            return;
        }
        // -1: no body; a length of 0 would switch the JDK server to chunked encoding
        exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    /**
     * Promises the whole body and sends it one byte per {@code interval}, flushing each; stops when the client goes
     * away (the JDK server then sees a broken pipe).
     */
    private static void sendTrickling(HttpExchange exchange, HubResponse response, Duration interval) throws IOException {
        response.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(response.status(), response.body().length);
        OutputStream out = exchange.getResponseBody();
        try {
            for (byte b : response.body()) {
                out.write(b);
                out.flush();
                Thread.sleep(interval.toMillis());
            }
            out.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("stand-in Hub: trickle interrupted", e);
        }
    }

    /**
     * Promises the whole body, sends half, then fails the exchange: the JDK server drops the connection of
     * a handler that throws, so the client sees the body end early, as when a proxy cuts a transfer.
     */
    private static void sendTruncated(HttpExchange exchange, HubResponse response) throws IOException {
        response.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(response.status(), response.body().length);
        OutputStream out = exchange.getResponseBody();
        out.write(response.body(), 0, response.body().length / 2);
        out.flush();
        throw new IOException("stand-in Hub: connection cut on purpose after half of the body (Fault.truncated)");
    }
}
