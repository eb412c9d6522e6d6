package io.hfsync.sync;

import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.CatalogJson;
import io.hfsync.catalog.CatalogMerge;
import io.hfsync.catalog.Times;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the merge from the catalog the route polled. An incremental run needs a catalog to add to: without one
 * (missing, or unreadable and moved aside) an auto run becomes full, so the rebuilt catalog is complete.
 */
public final class LoadCatalog implements Processor {

    public static final String CATALOG_FILE = "gguf_models.json";
    private static final Logger LOG = LoggerFactory.getLogger(LoadCatalog.class);

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        List<CatalogEntry> entries = List.of();
        String problem = null;
        if (exchange.getMessage().getBody() == null) {
            problem = "no catalog " + CATALOG_FILE + " yet";
        } else {
            try (InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class)) {
                entries = CatalogJson.readCatalog(in).models();
            } catch (Exception e) {
                Path dataDir = run.settings().dataDir();
                Path moved = dataDir.resolve(CATALOG_FILE + ".corrupt-" + Times.changeLogName(run.startedAt()).replace(".json", ""));
                Files.move(dataDir.resolve(CATALOG_FILE), moved, StandardCopyOption.REPLACE_EXISTING);
                problem = "catalog unreadable (" + e.getClass().getSimpleName() + "), moved aside as " + moved.getFileName();
                LOG.warn("{}", problem);
            }
        }
        run.merge(new CatalogMerge(entries));
        LOG.info("Catalog loaded: {} models", entries.size());
        if (problem != null && run.decision().incremental() && run.decision().mayEscalate()) {
            run.switchToFull(problem);
            LOG.info("Sync mode: FULL ({})", run.decision().reason());
        }
        exchange.getMessage().setBody(null);
    }
}
