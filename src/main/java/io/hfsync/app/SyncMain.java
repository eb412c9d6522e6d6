package io.hfsync.app;

import io.hfsync.config.ClusterConfiguration;
import io.hfsync.config.SyncConfiguration;
import io.hfsync.sync.OneShotExit;
import io.hfsync.config.DataDirLockedException;
import io.hfsync.settings.InvalidSettingException;
import io.hfsync.settings.SyncSettings;
import io.hfsync.settings.WebSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.vertx.core.net.impl.TCPServerBase;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.util.ObjectHelper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Camel Main for hf-gguf-sync: adds the product's own flags, the exit codes of docs/faults.md and the one-line refusal
 * of bad configuration (exit 2, nothing written, no Hub call).
 */
public final class SyncMain extends Main {

    public static final int EXIT_OK = 0;
    public static final int EXIT_SYNC_FAILED = 1;
    public static final int EXIT_BAD_CONFIGURATION = 2;
    public static final int EXIT_LOCKED = 3;
    /** Secret keys Camel does not mask on its own, in its comparison form (last segment, lower case, no '-'). */
    static final List<String> SECRET_KEYWORDS = List.of("legacytoken", "eventsuri");

    /** Loggers turned down to WARN once a one-shot run has reported, unless {@code --verbose}. */
    private static final List<String> QUIET_AFTER_ONE_SHOT = List.of("org.apache.camel", "org.quartz",
            "io.hfsync.sync.SyncRun");

    /** Where the jar holds its default application.properties and routes (the same files as the repository's). */
    static final String JAR_DEFAULTS = "hf-gguf-sync/";
    static final String BOUNDED_VERTX = "hfSyncHttpVertx";

    private boolean verbose;
    /** The Vert.x instance the page and management servers run on (daemon and --serve), closed after Camel stops. */
    private BoundedHttpVertx boundedVertx;

    public SyncMain() {
        super();
        // what this application decides as a host, kept out of application.properties, which Camel hosts load too
        // (camel run, an existing Camel Main): its name, its routes (a host picks its own), what its management
        // server serves, its trigger's beans
        configure().withName("hf-gguf-sync");
        configure().withRoutesIncludePattern(routesFolder() + "*.camel.yaml");
        // health and Prometheus metrics on the management server (/observe/health*, /observe/metrics)
        configure().httpManagementServer().withHealthCheckEnabled(true).withMetricsEnabled(true);
        configure().metrics().withEnabled(true).setPath("/observe/metrics");
        configure().addConfiguration(SyncConfiguration.class);
        configure().addConfiguration(ClusterConfiguration.class);
        bind("oneShotExit", new OneShotExit(this::finish));
        bind(PinnedManagementServer.BEAN, new PinnedManagementServer());
        addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport main) {
                loadTheModesRoutes(main);
                enableManagementInDaemonMode(main);
                serveCatalogPage(main);
            }

            @Override
            public void afterConfigure(BaseMainSupport main) {
                maskSecretKeys(main);
                try {
                    main.getCamelContext().addStartupListener(SyncMain::refuseUnboundServers);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void afterStop(BaseMainSupport main) {
                if (boundedVertx != null) {
                    boundedVertx.close();
                }
            }
        });
        // application.properties in the working directory (the design card's top-level file) over the copy in the
        // jar, key by key: the first location that defines a key wins, so the jar runs from any directory
        setPropertyPlaceholderLocations("file:application.properties;optional=true,classpath:" + JAR_DEFAULTS
                + "application.properties");
    }

    /**
     * The folder of the routes: the working directory's {@code routes/} when there is one (the repository, the
     * container image's mounted overrides), else the same files inside the jar.
     */
    static String routesFolder() {
        return Files.isDirectory(Path.of("routes")) ? "file:routes/" : "classpath:" + JAR_DEFAULTS + "routes/";
    }

    /** The sync's routes and the trigger of the mode the settings choose (one-shot, daemon, replicas, demo, --serve). */
    private static void loadTheModesRoutes(BaseMainSupport main) {
        var properties = main.getCamelContext().getPropertiesComponent();
        boolean serveOnly = SyncSettings.isYes(properties.resolveProperty(SyncConfiguration.SERVE_ONLY).orElse("false"));
        ModeRoutes routes = ModeRoutes.of(properties::resolveProperty, serveOnly);
        main.configure().withRoutesIncludePattern(routes.includePattern(routesFolder()));
        main.configure().withRoutesExcludePattern(routes.excludePattern());
    }

    /**
     * Health and metrics: on in daemon mode, off in one-shot mode, where the process lives seconds (nothing would
     * scrape it) and must not fail to start because a daemon on the same host holds the port. This is only the
     * default: {@code camel.management.enabled} from the environment or {@code -D} is applied after it and wins.
     */
    private static void enableManagementInDaemonMode(BaseMainSupport main) {
        String once = main.getCamelContext().getPropertiesComponent().resolveProperty("sync.once").orElse("false");
        main.configure().httpManagementServer().setEnabled(!SyncSettings.isYes(once));
    }

    /**
     * Camel masks keys ending in {@code token} or {@code password} in its property summaries; {@code hub.legacy-token}
     * ends in {@code legacy-token}, which it compares as {@code legacytoken}. Added to whatever
     * {@code camel.main.additional-sensitive-keywords} says (application.properties names it for Camel hosts), so no
     * environment variable can unmask it.
     */
    private static void maskSecretKeys(BaseMainSupport main) {
        var extension = main.getCamelContext().getCamelContextExtension();
        String configured = extension.getAdditionalSensitiveKeywords();
        List<String> keywords = new ArrayList<>(configured == null || configured.isBlank() ? List.of()
                : List.of(configured.split(",")));
        for (String secret : SECRET_KEYWORDS) {
            if (keywords.stream().noneMatch(k -> k.trim().equalsIgnoreCase(secret))) {
                keywords.add(secret);
            }
        }
        extension.setAdditionalSensitiveKeywords(String.join(",", keywords));
    }

    /**
     * The catalog page and JSON API (docs/browser.md, routes/web.camel.yaml) on Camel's own HTTP server, the one platform-http
     * routes run on: on {@code web.host}:{@code web.port} in daemon mode and with {@code --serve}, unless
     * {@code web.enabled} is false; never in one-shot mode. Only GET routes are served: no uploads, no static files
     * from the working directory (the page's files come from the jar, see {@link io.hfsync.web.CatalogApi}).
     */
    private void serveCatalogPage(BaseMainSupport main) {
        var properties = main.getCamelContext().getPropertiesComponent();
        WebSettings web = WebSettings.read(properties::resolveProperty);
        boolean once = SyncSettings.isYes(properties.resolveProperty("sync.once").orElse("false"));
        main.configure().httpServer().withEnabled(web.enabled() && !once).withHost(web.host()).withPort(web.port())
                .withStaticEnabled(false).withFileUploadEnabled(false);
        if (!once) {
            // both servers (page, management) bound: an idle timeout and a connection cap (BoundedHttpVertx)
            boundedVertx = new BoundedHttpVertx(web.idleTimeoutSeconds(), web.maxConnections());
            main.getCamelContext().getRegistry().bind(BOUNDED_VERTX, boundedVertx);
        }
    }

    /**
     * Camel 4.18's platform-http server logs a port it cannot bind (taken, not allowed) as a warning and carries on,
     * so a daemon or {@code --serve} would run without its page or its health endpoint while reporting UP. Checked
     * once the servers have started and before any route does: a server that is not listening stops the start with
     * exit code 2 and one line naming the key.
     */
    private static void refuseUnboundServers(CamelContext context, boolean alreadyStarted) {
        MainHttpServer web = context.hasService(MainHttpServer.class);
        if (web != null && !listening(web.getRouter())) {
            throw new InvalidSettingException("web.port", String.valueOf(web.getPort()), "the catalog page's server "
                    + "could not listen on " + web.getHost() + ":" + web.getPort() + ", see the warning above (port taken?)");
        }
        ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
        if (management != null && !listening(management.getRouter())) {
            throw new InvalidSettingException("camel.management.port", String.valueOf(management.getPort()),
                    "the health and metrics server could not listen on " + management.getHost() + ":"
                            + management.getPort() + ", see the warning above (port taken?)");
        }
    }

    private static boolean listening(VertxPlatformHttpRouter router) {
        // Vert.x's HTTP server is a TCPServerBase; its port says what was asked for, isListening() what happened
        return router != null && router.getServer().getServer() instanceof TCPServerBase server && server.isListening();
    }

    /**
     * Runs as {@code java -jar} does. {@code overrides} win over every other property source and {@code beans} are
     * bound before start (an embedding host or a test can hand in its own {@code clock}).
     */
    public static int launch(String[] args, Map<String, String> overrides, Map<String, Object> beans) throws Exception {
        SyncMain main = new SyncMain();
        beans.forEach(main::bind);
        List<String> camelArgs = new ArrayList<>();
        for (String arg : args) {
            switch (arg) {
                case "--once" -> main.addOverrideProperty("sync.once", "true");
                case "--demo" -> main.addOverrideProperty("hub.url", "demo");
                case "--verbose" -> main.verbose = true;
                // serve the catalog already in DATA_DIR: no sync, no schedule
                case "--serve" -> main.addOverrideProperty(SyncConfiguration.SERVE_ONLY, "true");
                default -> camelArgs.add(arg);
            }
        }
        overrides.forEach(main::addOverrideProperty);
        return main.runToExitCode(camelArgs.toArray(String[]::new));
    }

    public static int launch(String[] args) throws Exception {
        return launch(args, Map.of(), Map.of());
    }

    int runToExitCode(String[] args) throws Exception {
        try {
            int code = run(args);
            return code == UNINITIALIZED_EXIT_CODE ? EXIT_OK : code;
        } catch (Exception e) {
            if (boundedVertx != null) {
                // Camel stopped short of afterStop
                boundedVertx.close();
            }
            InvalidSettingException invalid = find(e, InvalidSettingException.class);
            if (invalid != null) {
                System.err.println("hf-gguf-sync: " + invalid.getMessage());
                return EXIT_BAD_CONFIGURATION;
            }
            DataDirLockedException locked = find(e, DataDirLockedException.class);
            if (locked != null) {
                System.err.println("hf-gguf-sync: " + locked.getMessage());
                return EXIT_LOCKED;
            }
            System.err.println("hf-gguf-sync: could not start: " + e.getMessage());
            e.printStackTrace();
            return EXIT_SYNC_FAILED;
        }
    }

    /** Ends the process after a one-shot run with the given exit code. */
    public void finish(int code) {
        exitCode.compareAndSet(UNINITIALIZED_EXIT_CODE, code);
        if (!verbose) {
            // the sync report stays the last lines a one-shot run prints: Camel's and Quartz's shutdown (about 20 lines
            // of stopped routes and schedulers) and the scratch file's size say something only with --verbose
            QUIET_AFTER_ONE_SHOT.forEach(logger -> Configurator.setLevel(logger, Level.WARN));
        }
        completed();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        return ObjectHelper.getException(type, e);
    }
}
