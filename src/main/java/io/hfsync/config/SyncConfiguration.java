package io.hfsync.config;

import io.hfsync.database.CatalogReader;
import io.hfsync.database.PostgresCatalog;
import io.hfsync.events.EndpointSecrets;
import io.hfsync.events.SyncEvents;
import io.hfsync.database.SqliteCatalog;
import io.hfsync.database.SyncRunsRow;
import io.hfsync.hub.BearerToken;
import io.hfsync.hub.HeaderFetch;
import io.hfsync.hub.HubCalls;
import io.hfsync.hub.HubHttpClient;
import io.hfsync.hub.HubPacer;
import io.hfsync.hub.RetryPolicy;
import io.hfsync.hub.TimeBudget;
import io.hfsync.mode.ModeDecider;
import io.hfsync.observe.SyncObserver;
import io.hfsync.settings.DatabaseSettings;
import io.hfsync.settings.InvalidSettingException;
import io.hfsync.settings.SyncSettings;
import io.hfsync.settings.WebSettings;
import io.hfsync.standin.DemoSnapshot;
import io.hfsync.standin.StandInHub;
import io.hfsync.sync.Backfill;
import io.hfsync.sync.DataDirLock;
import io.hfsync.sync.Details;
import io.hfsync.sync.EmitRunResult;
import io.hfsync.sync.Listing;
import io.hfsync.sync.GgufHeaders;
import io.hfsync.sync.Results;
import io.hfsync.sync.RunEnd;
import io.hfsync.sync.RunStart;
import io.hfsync.sync.VerifyListingSizes;
import io.hfsync.web.CatalogApi;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.time.temporal.ChronoUnit;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and checks the settings once, starts the embedded stand-in Hub in demo mode, and binds the beans the YAML
 * routes call by name. A {@link Clock} bound as {@code clock} before start (tests) replaces the system clock.
 */
public final class SyncConfiguration implements CamelConfiguration {

    public static final String CLOCK_BEAN = "clock";
    /** --serve or SYNC_SERVE: serve the catalog in DATA_DIR, never sync (docs/browser.md). */
    public static final String SERVE_ONLY = "sync.serve";
    static final String SETTINGS_BEAN = "syncSettings";
    /** High enough that the pacer never holds back a call to the in-process Hub (it has no limit). */
    static final int DEMO_REQUESTS_PER_MINUTE = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(SyncConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        SyncSettings settings = SyncSettings.read(properties::resolveProperty);
        DatabaseSettings databases = DatabaseSettings.read(properties::resolveProperty);
        // checked here too, for a Camel host (the standalone application read them to choose its route files)
        WebSettings.read(properties::resolveProperty);
        boolean serveOnly = SyncSettings.isYes(properties.resolveProperty(SERVE_ONLY).orElse("false"));
        if (serveOnly && settings.once()) {
            throw new InvalidSettingException("sync.once", "true", "--serve (SYNC_SERVE) serves the catalog in "
                    + "DATA_DIR and runs no sync: leave out --once and SYNC_ONCE");
        }
        Registry registry = context.getRegistry();
        Clock clock = registry.lookupByNameAndType(CLOCK_BEAN, Clock.class);
        if (clock == null) {
            clock = Clock.systemUTC();
            registry.bind(CLOCK_BEAN, clock);
        }
        if (settings.demo() && !serveOnly) {
            settings = startDemoHub(context, properties, clock);
        }
        LOG.info("Configuration: {} {}", settings, databases);
        if (settings.tokenInClear()) {
            LOG.warn("hub.url {} is plain http:// to another host: the token (HF_TOKEN) goes over the network unencrypted; "
                    + "use https://", settings.hubUrl());
        }
        DataDirLock dataDirLock = new DataDirLock(settings.dataDir());
        if (settings.once() && !dataDirLock.acquireForProcess()) {
            throw new DataDirLockedException("another sync holds " + dataDirLock.file() + "; nothing was written");
        }
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dataDirLock.release();
            }
        });

        ModeDecider decider = new ModeDecider(settings.mode(), settings.forceFull(), settings.incrementalWindow(),
                settings.fullSyncThreshold());
        registry.bind(SETTINGS_BEAN, settings);
        registry.bind("runStart", new RunStart(settings, clock, dataDirLock, decider));
        registry.bind("listing", new Listing());
        registry.bind("verifyListingSizes", new VerifyListingSizes());
        registry.bind("details", new Details());
        registry.bind("results", new Results(clock));
        SyncObserver observer = SyncObserver.install(context, settings.dataDir());
        registry.bind("runEnd", new RunEnd(settings, clock, observer));
        registry.bind("emitRunResult", new EmitRunResult());
        bindEvents(context, properties, settings, clock, observer);
        registry.bind("backfill", new Backfill(settings, clock, dataDirLock, observer::detailsPending));
        registry.bind("hubHttpClient", new HubHttpClient(new BearerToken(settings.hubUrl(), settings.hubToken()),
                settings.maxAnswerBytes()));
        registry.bind("hubPacer", new HubPacer(settings.maxRequestsPerMinute(),
                Duration.ofSeconds(settings.maxRetryWaitSeconds())));
        registry.bind("timeBudget", new TimeBudget());
        // docs/gguf-headers.md: header reads through the same client, paced by the resolvers budget of their own
        HubPacer resolverPacer = new HubPacer(settings.headers().maxRequestsPerMinute(),
                Duration.ofSeconds(settings.maxRetryWaitSeconds()), true);
        registry.bind("resolverPacer", resolverPacer);
        // no answer cap: a 200 that ignores Range declares the whole file, and the reader never takes more than 16 MiB
        HeaderFetch headerFetch = new HeaderFetch(settings.hubUrl(), new HubHttpClient(
                new BearerToken(settings.hubUrl(), settings.hubToken()), Long.MAX_VALUE),
                httpTimeout(properties, "connect-timeout"), httpTimeout(properties, "response-timeout"),
                settings.headers().concurrency());
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                headerFetch.close();
            }
        });
        registry.bind("ggufHeaders", new GgufHeaders(headerFetch, resolverPacer));
        registry.bind("hubCall", new HubCalls(settings.hubUrl(),
                new RetryPolicy(settings.maxRetries(), Duration.ofSeconds(settings.maxRetryWaitSeconds()), new SplittableRandom()),
                clock));
        bindDatabases(registry, properties, databases, settings);
        // docs/browser.md: the page and API read the published SQLite file (a new connection set for each new file)
        registry.bind("catalogApi", new CatalogApi(new CatalogReader(settings.dataDir()), settings.hubUrl()));
        if (serveOnly) {
            LOG.info("--serve: serving the catalog in {}; no sync runs in this process", settings.dataDir());
        }
        registry.bind("detailCallPool", context.getExecutorServiceManager()
                .newFixedThreadPool(this, "hub-detail", settings.maxConcurrency()));
        registry.bind("headerReadPool", context.getExecutorServiceManager()
                .newFixedThreadPool(this, "gguf-header", settings.headers().concurrency()));
    }

    /** docs/database.md: the beans routes/write-database.camel.yaml calls, and whether each database is on (true/false). */
    private static void bindDatabases(Registry registry, PropertiesComponent properties, DatabaseSettings databases,
            SyncSettings settings) {
        registry.bind("databaseSettings", databases);
        registry.bind("syncRunsRow", new SyncRunsRow());
        // bound either way (routes resolve bean references when they are created); the filters decide what runs
        SqliteCatalog sqlite = new SqliteCatalog(settings.dataDir());
        registry.bind("sqliteCatalog", sqlite);
        registry.bind("catalogSqlite", sqlite.dataSource());
        PostgresCatalog postgres = new PostgresCatalog(databases, settings.dataDir());
        registry.bind("postgresCatalog", postgres);
        if (databases.postgresql()) {
            registry.bind("catalogPostgres", postgres.dataSource());
            LOG.info("Catalog database: PostgreSQL {}", postgres.name());
        }
    }

    /**
     * docs/events.md: change events go to sync.events-uri when it is set. Its component must be on the classpath: checked
     * now, so a typo (or a component the host forgot) stops start-up instead of failing every run's events.
     */
    private static void bindEvents(CamelContext context, PropertiesComponent properties, SyncSettings settings,
            Clock clock, SyncObserver observer) {
        String uri = properties.resolveProperty("sync.events-uri").orElse("").trim();
        EndpointSecrets secrets = EndpointSecrets.of(uri);
        if (!uri.isEmpty()) {
            int colon = uri.indexOf(':');
            String scheme = colon <= 0 ? "" : uri.substring(0, colon);
            if (scheme.isEmpty() || context.getComponent(scheme, true, false) == null) {
                throw new InvalidSettingException("sync.events-uri", secrets.mask(URISupport.sanitizeUri(uri)),
                        "a Camel endpoint URI whose component is on the classpath, such as paho-mqtt5:topic?brokerUrl=..., "
                                + "nats:subject?servers=..., http://host/path or file:dir; empty for no events");
            }
            LOG.info("Change events: {}", secrets.mask(URISupport.sanitizeUri(uri)));
        }
        SyncEvents.Meter meter = new SyncEvents.Meter() {
            @Override
            public void sent(long events) {
                observer.eventsSent(events);
            }

            @Override
            public void failed() {
                observer.eventsFailed();
            }
        };
        context.getRegistry().bind("syncEvents", new SyncEvents(settings.dataDir(), clock, meter, secrets,
                eventsBudget(properties), !uri.isEmpty()));
    }

    /** {@code sync.events-budget-seconds}: how long one run may send events (1..86400, default 600). */
    private static Duration eventsBudget(PropertiesComponent properties) {
        String value = properties.resolveProperty("sync.events-budget-seconds").orElse("600").trim();
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 1 && seconds <= 86_400) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidSettingException("sync.events-budget-seconds", value, "expected whole seconds, 1..86400");
    }

    /**
     * {@code camel.component.http.<key>} in milliseconds, the Hub client's timeouts (application.properties): header
     * reads keep the same ones (default 10 s to connect, 60 s of silence or for a whole answer).
     */
    private static Duration httpTimeout(PropertiesComponent properties, String key) {
        String value = properties.resolveProperty("camel.component.http." + key)
                .orElse(key.startsWith("connect") ? "10000" : "60000").trim();
        try {
            long millis = Long.parseLong(value);
            if (millis >= 1) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidSettingException("camel.component.http." + key, value, "expected milliseconds, at least 1");
    }

    /** Demo mode: an in-process stand-in Hub on loopback, and no client-side rate budget (it has no limit). */
    private static SyncSettings startDemoHub(CamelContext context, PropertiesComponent properties, Clock clock)
            throws Exception {
        // anchored to the day, so two runs on the same day see the same Hub: a full sync, then an incremental one
        StandInHub hub = StandInHub.start(DemoSnapshot.generate(42, DemoSnapshot.DEMO_SIZE,
                clock.instant().truncatedTo(ChronoUnit.DAYS)));
        hub.setRateLimitQuota(Integer.MAX_VALUE);
        hub.setResolverRateLimitQuota(Integer.MAX_VALUE);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                hub.close();
            }
        });
        properties.addOverrideProperty("hub.url", hub.baseUrl());
        properties.addOverrideProperty("hub.max-requests-per-minute", String.valueOf(DEMO_REQUESTS_PER_MINUTE));
        // the header reads too: at the free tier's 1,000 a minute the demo's 1,958 headers would hold it 2 minutes
        properties.addOverrideProperty("hub.max-resolver-requests-per-minute", String.valueOf(DEMO_REQUESTS_PER_MINUTE));
        LOG.info("Demo mode: embedded stand-in Hub with {} models at {}", hub.snapshot().size(), hub.baseUrl());
        return SyncSettings.read(properties::resolveProperty);
    }
}
