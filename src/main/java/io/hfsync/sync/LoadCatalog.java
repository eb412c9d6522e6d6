package io.hfsync.sync;

import io.hfsync.catalog.CatalogMerge;
import io.hfsync.catalog.CatalogUnreadableException;
import io.hfsync.catalog.Times;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the merge from the catalog the route polled. An incremental run needs a catalog to add to: without one
 * (missing, or unreadable and moved aside) an auto run becomes full, so the rebuilt catalog is complete. A forced
 * incremental run over an unreadable catalog fails instead (it would publish a catalog that lost models), and a
 * local I/O error (scratch file, permissions, disk) fails the run with the catalog left where it is.
 */
public final class LoadCatalog implements Processor {

    public static final String CATALOG_FILE = "gguf_models.json";
    /** The run's models on disk while it merges (deleted when the run ends; a crashed run's is emptied by the next). */
    public static final String SCRATCH_FILE = ".gguf_models.spool";
    /** Detail answers made durable as they arrive (SPEC §7); emptied by each publish that includes them. */
    public static final String DETAIL_JOURNAL_FILE = "gguf_models.details.jsonl";
    private static final Logger LOG = LoggerFactory.getLogger(LoadCatalog.class);

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        Path dataDir = run.settings().dataDir();
        Path scratch = dataDir.resolve(SCRATCH_FILE);
        CatalogMerge merge = null;
        String problem = null;
        File polled = exchange.getMessage().getBody(File.class);
        if (polled == null) {
            problem = "no catalog " + CATALOG_FILE + " yet";
        } else {
            try {
                merge = CatalogMerge.open(polled.toPath(), scratch);
            } catch (CatalogUnreadableException e) {
                // only a file that fails to parse is moved aside; a local I/O error propagates and fails the run
                // with the catalog where it is
                if (run.decision().incremental() && !run.decision().mayEscalate()) {
                    throw new SyncAbortedException("catalog " + CATALOG_FILE + " is unreadable (" + e.getMessage()
                            + ") and SYNC_MODE=incremental cannot rebuild it: left as it was; run a full sync"
                            + " (SYNC_MODE=full or auto) to replace it");
                }
                Path moved = dataDir.resolve(CATALOG_FILE + ".corrupt-" + Times.changeLogName(run.startedAt()).replace(".json", ""));
                Files.move(dataDir.resolve(CATALOG_FILE), moved, StandardCopyOption.REPLACE_EXISTING);
                problem = "catalog unreadable (" + e.getMessage() + "), moved aside as " + moved.getFileName();
                LOG.warn("{}", problem);
            }
        }
        if (merge == null) {
            merge = CatalogMerge.open(null, scratch);
        }
        run.merge(merge);
        merge.detailsWanted(run.settings().fetchFileSizes());
        merge.listingSizesWanted(run.settings().sizesFromListing() && !run.backfill());
        if (run.settings().fetchFileSizes()) {
            merge.attachJournal(dataDir.resolve(DETAIL_JOURNAL_FILE));
        }
        LOG.info("Catalog loaded: {} models", merge.sizeBefore());
        if (problem != null && run.decision().incremental() && run.decision().mayEscalate()) {
            run.switchToFull(problem);
            LOG.info("Sync mode: FULL ({})", run.decision().reason());
        }
        exchange.getMessage().setBody(null);
    }
}
