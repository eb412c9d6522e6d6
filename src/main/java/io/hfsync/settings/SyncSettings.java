package io.hfsync.settings;

import io.hfsync.mode.SyncMode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.quartz.CronExpression;

/**
 * Every tunable of README.md#configuration, checked once at start-up. Names, defaults and environment variables live in
 * {@code application.properties}; this class only reads the resolved values and refuses bad ones. Long because each
 * setting is a component of this one record, with its check beside it.
 */
public record SyncSettings(
        String hubUrl,
        String hubToken,
        int pageSize,
        int maxRequestsPerMinute,
        int maxConcurrency,
        int maxRetries,
        int maxRetryWaitSeconds,
        boolean fetchFileSizes,
        boolean sizesFromListing,
        SyncMode mode,
        boolean forceFull,
        Duration incrementalWindow,
        Duration fullSyncThreshold,
        double significantChangeThreshold,
        double maxRemovedFraction,
        boolean allowMassRemoval,
        Duration timeout,
        Path dataDir,
        String cron,
        boolean once,
        Cluster cluster,
        Backfill backfill,
        int maxPages,
        int maxAnswerMb,
        Headers headers,
        Duration publishInterval) {

    public static final String DEMO_HUB = "demo";
    /** No real listing pass reaches this many pages (200,000 repos are 400 pages of 500); a listing that does loops. */
    public static final int DEFAULT_MAX_PAGES = 10_000;
    /** A listing page of 500 real repos is about 1 MB: 32 leaves room, and keeps a hostile answer off a 256 MB heap. */
    public static final int DEFAULT_MAX_ANSWER_MB = 32;
    /**
     * {@code sync.publish-interval-seconds}: a run publishes this long after its last publish while it still fetches
     * sizes and reads GGUF headers (docs/gguf-headers.md "Published as they arrive"); zero publishes only when a phase
     * ends. An optional key, like the cluster's.
     */
    public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofMinutes(3);

    /**
     * Replicas (issues 5 and 17): daemons elect one leader and only the leader's schedule fires. {@code kind} says
     * how: {@code file} (a lock in the shared {@code dir}), {@code kubernetes} (a coordination.k8s.io Lease named
     * {@code <leaseName>-<namespace>} in {@code kubernetesNamespace}, among the Ready pods carrying
     * {@code podLabels}) or none. The keys are optional, so a host application that embeds the routes need not
     * define them.
     */
    public record Cluster(Kind kind, String dir, String namespace, int heartbeatSeconds, int missedHeartbeats,
            String leaseName, String kubernetesNamespace, Map<String, String> podLabels) {

        public static final Cluster NONE = new Cluster(Kind.NONE, "", "hf-gguf-sync", 5, 3, "leaders", "",
                Map.of("app.kubernetes.io/name", "hf-gguf-sync"));

        public enum Kind { NONE, FILE, KUBERNETES }

        public boolean enabled() {
            return kind != Kind.NONE;
        }
    }

    /** A yes in the seed's spellings (true, 1, yes); whether the value is valid at all is {@link #read}'s call. */
    public static boolean isYes(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            default -> false;
        };
    }

    /**
     * Daemon backfill (docs/sync-modes.md): while details are pending, a daemon fetches them between scheduled syncs, in slices of
     * {@code slice} (each ends with a publish), looking every {@code interval}. A zero slice turns it off. Optional
     * keys, like the cluster's.
     */
    public record Backfill(Duration slice, Duration interval) {

        public static final Backfill DEFAULT = new Backfill(Duration.ofMinutes(30), Duration.ofSeconds(60));

        public boolean enabled() {
            return !slice.isZero();
        }
    }

    /**
     * GGUF header reads (docs/gguf-headers.md): {@code sync.gguf-headers} ({@code GGUF_HEADERS}) turns them on,
     * {@code hub.max-resolver-requests-per-minute} caps the {@code /resolve/} calls, a budget the Hub keeps apart from
     * the API's, and {@code hub.max-resolver-concurrency} is how many reads are in flight at once (a read waits on two
     * hosts, so one at a time would never reach the cap). Optional keys, like the cluster's.
     */
    public record Headers(boolean enabled, int maxRequestsPerMinute, int concurrency) {

        /** The free account's resolvers budget: 5,000 per 5 minutes; 8 reads in flight keep up with it at 0.4 s each. */
        public static final Headers DEFAULT = new Headers(true, 1000, 8);
    }

    /** Reads and validates every key; {@code lookup} is the resolved property source (Camel's properties). */
    public static SyncSettings read(Function<String, Optional<String>> lookup) {
        Reader r = new Reader(lookup);
        // everything that only reads is checked before the data directory, which may be created
        String cron = r.cron("sync.cron");
        boolean once = r.bool("sync.once");
        String token = r.text("hub.token", "");
        if (token.isBlank()) {
            token = r.text("hub.legacy-token", "");
        }
        return new SyncSettings(
                r.hubUrl("hub.url"),
                token.trim(),
                r.integer("hub.page-size", 1, 500),
                r.integer("hub.max-requests-per-minute", 1, 1_000_000),
                r.integer("hub.max-concurrency", 1, 64),
                r.integer("hub.max-retries", 0, 100),
                r.integer("hub.max-retry-wait-seconds", 0, Integer.MAX_VALUE),
                r.bool("sync.fetch-file-sizes"),
                // optional, like the cluster's keys: a Camel host that embeds the routes need not define it
                lookup.apply("sync.sizes-from-listing").isEmpty() || r.bool("sync.sizes-from-listing"),
                r.mode("sync.mode"),
                r.bool("sync.force-full"),
                Duration.ofHours(r.integer("sync.incremental-window-hours", 1, Integer.MAX_VALUE)),
                Duration.ofHours(r.integer("sync.full-sync-threshold-hours", 0, Integer.MAX_VALUE)),
                r.fraction("sync.significant-change-threshold"),
                r.fraction("sync.max-removed-fraction"),
                r.bool("sync.allow-mass-removal"),
                r.hours("sync.timeout-hours"),
                r.writableDir("sync.data-dir"),
                cron,
                once,
                r.cluster(),
                r.backfill(),
                lookup.apply("hub.max-pages").isEmpty() ? DEFAULT_MAX_PAGES : r.integer("hub.max-pages", 1, Integer.MAX_VALUE),
                lookup.apply("hub.max-answer-mb").isEmpty() ? DEFAULT_MAX_ANSWER_MB
                        : r.integer("hub.max-answer-mb", 1, 1024),
                new Headers(lookup.apply("sync.gguf-headers").isEmpty() || r.bool("sync.gguf-headers"),
                        lookup.apply("hub.max-resolver-requests-per-minute").isEmpty() ? Headers.DEFAULT.maxRequestsPerMinute()
                                : r.integer("hub.max-resolver-requests-per-minute", 1, 1_000_000),
                        lookup.apply("hub.max-resolver-concurrency").isEmpty() ? Headers.DEFAULT.concurrency()
                                : r.integer("hub.max-resolver-concurrency", 1, 64)),
                lookup.apply("sync.publish-interval-seconds").isEmpty() ? DEFAULT_PUBLISH_INTERVAL
                        : Duration.ofSeconds(r.integer("sync.publish-interval-seconds", 0, 24 * 3600)));
    }

    /** {@code hub.max-answer-mb} in bytes: no Hub answer is read past it. */
    public long maxAnswerBytes() {
        return maxAnswerMb * 1024L * 1024L;
    }

    /** The time budget as a user wrote it in hours ({@code 6}, {@code 0.5}), for messages. */
    public String timeoutHoursText() {
        double hours = timeout.toMillis() / 3_600_000.0;
        return hours == Math.rint(hours) ? Long.toString((long) hours) : Double.toString(hours);
    }

    public boolean demo() {
        return DEMO_HUB.equals(hubUrl);
    }

    /**
     * A token that would travel in clear: {@code hub.url} is plain {@code http://} to a host that is not this machine's
     * loopback (judged by name, without a DNS lookup).
     */
    public boolean tokenInClear() {
        if (hubToken.isEmpty() || demo()) {
            return false;
        }
        URI uri = URI.create(hubUrl);
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            return false;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.")
                || host.equals("[::1]") || host.equals("::1");
        return !loopback;
    }

    /** The token is a secret: it never appears in a log line, including this record's own toString. */
    @Override
    public String toString() {
        return "SyncSettings[hubUrl=" + hubUrl + ", token=" + (hubToken.isEmpty() ? "none" : "set") + ", mode=" + mode
                + ", dataDir=" + dataDir + ", cron=" + cron + ", once=" + once + "]";
    }

    record Reader(Function<String, Optional<String>> lookup) {

        String text(String key, String fallback) {
            return lookup.apply(key).orElse(fallback);
        }

        String required(String key) {
            return lookup.apply(key).map(String::trim)
                    .orElseThrow(() -> new InvalidSettingException(key, "", "missing; set it in application.properties"));
        }

        int integer(String key, int min, int max) {
            String value = required(key);
            try {
                int n = Integer.parseInt(value);
                if (n < min || n > max) {
                    throw new InvalidSettingException(key, value, range(min, max));
                }
                return n;
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(key, value, "expected a whole number, " + range(min, max));
            }
        }

        /** Positive hours, decimals allowed ({@code 0.5}); at least one second. */
        Duration hours(String key) {
            String value = required(key);
            try {
                double hours = Double.parseDouble(value);
                if (!(hours * 3600 >= 1) || Double.isInfinite(hours) || hours > 100_000) {
                    throw new InvalidSettingException(key, value, "expected hours > 0 (decimals allowed, e.g. 0.5), at most 100000");
                }
                return Duration.ofMillis(Math.round(hours * 3_600_000));
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(key, value, "expected hours > 0 (decimals allowed, e.g. 0.5)");
            }
        }

        /** The seed accepted true, 1 or yes; we also refuse anything that is neither yes nor no. */
        boolean bool(String key) {
            String value = required(key);
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no", "" -> false;
                default -> throw new InvalidSettingException(key, value, "expected true/1/yes or false/0/no");
            };
        }

        double fraction(String key) {
            String value = required(key);
            try {
                double d = Double.parseDouble(value);
                if (!(d > 0 && d <= 1)) {
                    throw new InvalidSettingException(key, value, "expected a fraction in (0, 1]");
                }
                return d;
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(key, value, "expected a fraction in (0, 1]");
            }
        }

        SyncMode mode(String key) {
            String value = required(key);
            try {
                return SyncMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(key, value, "expected auto, full or incremental");
            }
        }

        String cron(String key) {
            String value = required(key);
            if (!CronExpression.isValidExpression(value)) {
                throw new InvalidSettingException(key, value, "expected a Quartz cron expression, e.g. 0 0 2 * * ?");
            }
            return value;
        }

        String hubUrl(String key) {
            String value = required(key);
            if (DEMO_HUB.equals(value)) {
                return value;
            }
            URI uri;
            try {
                uri = URI.create(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(key, withoutUserInfo(value), "expected an http(s) URL such as https://huggingface.co, or demo");
            }
            if (uri.getRawUserInfo() != null) {
                // a password in the URL would be logged with every call; the Hub takes a bearer token (HF_TOKEN)
                throw new InvalidSettingException(key, withoutUserInfo(value),
                        "user-info (user:password@) is not allowed in the Hub URL; put the token in HF_TOKEN");
            }
            if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null) {
                throw new InvalidSettingException(key, withoutUserInfo(value), "expected an http(s) URL such as https://huggingface.co, or demo");
            }
            return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        }

        /** The URL as it may be shown: anything between {@code //} and the host's {@code @} is replaced. */
        static String withoutUserInfo(String url) {
            return url.replaceFirst("(?<=//)[^/?#]*@", "***@");
        }

        Path writableDir(String key) {
            String value = required(key);
            if (value.isEmpty()) {
                throw new InvalidSettingException(key, value, "expected a directory");
            }
            // the directory is part of the file endpoints' URIs (routes/write-results.camel.yaml), where Camel decodes
            // %XX and reads ?, # and {{ as syntax: such a name would split the data directory in two
            if (value.matches("(?s).*(%|\\?|#|\\{\\{|\\}\\}).*")) {
                throw new InvalidSettingException(key, value, "expected a directory whose path holds no %, ?, # or {{ }} "
                        + "(they are URI syntax in Camel's file endpoints)");
            }
            Path dir = Path.of(value).toAbsolutePath().normalize();
            try {
                Files.createDirectories(dir);
            } catch (Exception e) {
                throw new InvalidSettingException(key, value, "cannot create directory: " + e.getClass().getSimpleName());
            }
            if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
                throw new InvalidSettingException(key, value, "directory is not writable");
            }
            return dir;
        }

        Backfill backfill() {
            Duration slice = lookup.apply("sync.backfill-minutes").isEmpty() ? Backfill.DEFAULT.slice()
                    : Duration.ofMinutes(integer("sync.backfill-minutes", 0, 24 * 60));
            Duration interval = lookup.apply("sync.backfill-interval-seconds").isEmpty() ? Backfill.DEFAULT.interval()
                    : Duration.ofSeconds(integer("sync.backfill-interval-seconds", 1, 24 * 3600));
            return new Backfill(slice, interval);
        }

        Cluster cluster() {
            String namespace = text("sync.cluster.namespace", Cluster.NONE.namespace()).trim();
            if (namespace.isEmpty() || namespace.contains(":") || namespace.contains("/")) {
                throw new InvalidSettingException("sync.cluster.namespace", namespace, "expected a name without ':' or '/'");
            }
            String dir = text("sync.cluster.dir", "").trim();
            String kindText = text("sync.cluster.kind", "").trim().toLowerCase(Locale.ROOT);
            Cluster.Kind kind = switch (kindText) {
                // before SYNC_CLUSTER existed, a directory alone chose the file lock
                case "" -> dir.isEmpty() ? Cluster.Kind.NONE : Cluster.Kind.FILE;
                case "none" -> Cluster.Kind.NONE;
                case "file" -> Cluster.Kind.FILE;
                case "kubernetes" -> Cluster.Kind.KUBERNETES;
                default -> throw new InvalidSettingException("sync.cluster.kind", kindText, "expected file, kubernetes or none");
            };
            if (kind == Cluster.Kind.FILE && dir.isEmpty()) {
                throw new InvalidSettingException("sync.cluster.dir", dir, "required when sync.cluster.kind is file");
            }
            int heartbeat = optionalInteger("sync.cluster.heartbeat-seconds", Cluster.NONE.heartbeatSeconds());
            int missed = optionalInteger("sync.cluster.missed-heartbeats", Cluster.NONE.missedHeartbeats());
            if (kind == Cluster.Kind.KUBERNETES && missed < 2) {
                // Camel's Lease controller needs renew deadline (heartbeat x missed) > 1.2 x retry period (heartbeat)
                throw new InvalidSettingException("sync.cluster.missed-heartbeats", String.valueOf(missed),
                        "at least 2 with sync.cluster.kind=kubernetes");
            }
            String leaseName = text("sync.cluster.kubernetes.lease-name", Cluster.NONE.leaseName()).trim();
            if (!leaseName.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                throw new InvalidSettingException("sync.cluster.kubernetes.lease-name", leaseName,
                        "expected a Kubernetes name: lower-case letters, digits and '-'");
            }
            String kubernetesNamespace = text("sync.cluster.kubernetes.namespace", "").trim();
            // a namespace is a DNS-1123 label: it becomes part of API paths and of the Lease's coordinates
            if (!kubernetesNamespace.isEmpty() && (kubernetesNamespace.length() > 63
                    || !kubernetesNamespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"))) {
                throw new InvalidSettingException("sync.cluster.kubernetes.namespace", kubernetesNamespace,
                        "expected a Kubernetes namespace (DNS-1123 label): at most 63 lower-case letters, digits and '-'");
            }
            return new Cluster(kind, dir, namespace, heartbeat, missed, leaseName, kubernetesNamespace, podLabels());
        }

        /** {@code key=value,key=value}: the labels that mark this application's pods. */
        private Map<String, String> podLabels() {
            String key = "sync.cluster.kubernetes.pod-labels";
            if (lookup.apply(key).isEmpty()) {
                return Cluster.NONE.podLabels();
            }
            String value = text(key, "").trim();
            Map<String, String> labels = new LinkedHashMap<>();
            for (String pair : value.isEmpty() ? new String[0] : value.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new InvalidSettingException(key, value, "expected label=value pairs separated by ','");
                }
                labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
            return Map.copyOf(labels);
        }

        private int optionalInteger(String key, int fallback) {
            return lookup.apply(key).isEmpty() ? fallback : integer(key, 1, Integer.MAX_VALUE);
        }

        private static String range(int min, int max) {
            return max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
        }
    }
}
