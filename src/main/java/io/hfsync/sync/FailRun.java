package io.hfsync.sync;

import io.hfsync.catalog.MassRemovalGuard;
import io.hfsync.settings.SyncSettings;
import io.hfsync.database.CatalogDatabaseException;
import io.hfsync.hub.HubCallFailedException;
import io.hfsync.hub.HubUrls;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run failed: record one readable line of why. The catalog and change log are not written on this path, so
 * the previous catalog stays byte-identical; a temporary file a failed write left is removed; the route then writes
 * the failed metadata.
 */
public final class FailRun implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FailRun.class);

    private final SyncSettings settings;
    private final Clock clock;

    public FailRun(SyncSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run == null) {
            run = new SyncRun(settings, clock);
            exchange.setProperty(SyncRun.PROPERTY, run);
        }
        String message = describe(cause);
        run.fail(message);
        LOG.error("Sync failed: {}", message);
        LOG.debug("Sync failure detail", cause);
        // a write cut short (disk full) leaves its temporary file: it goes, the published files stay
        MetadataNotWritten.removeTempFiles(settings.dataDir());
    }

    /** One line a person can act on; never the request headers (they carry the token). */
    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        Throwable root = cause;
        while (true) {
            if (root instanceof HubCallFailedException || root instanceof SyncAbortedException
                    || root instanceof MassRemovalGuard.Refused || root instanceof CatalogDatabaseException) {
                return root.getMessage();
            }
            if (root instanceof HttpOperationFailedException http) {
                return "Hub answered HTTP " + http.getStatusCode() + " for " + HubUrls.forLog(http.getUri());
            }
            if (root.getCause() == null || root.getCause() == root) {
                break;
            }
            root = root.getCause();
        }
        String text = root.getMessage() == null ? "" : ": " + root.getMessage().lines().findFirst().orElse("");
        return root.getClass().getSimpleName() + text;
    }
}
