package io.hfsync.sync;

import io.hfsync.catalog.DataFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failed run could not even write its failed metadata (disk full, a read-only remount): the run's failure gains
 * that reason, so the report, readiness and metrics still say the run failed although no file does, and a
 * half-written temporary file of this run is removed. The published files are the last good ones.
 */
public final class MetadataNotWritten implements Processor {

    /** The temporary names the write routes use (write-results.camel.yaml); this run holds the data directory's lock. */
    static final List<String> TEMP_FILES = List.of(DataFiles.temporary(DataFiles.METADATA),
            DataFiles.temporary(DataFiles.CATALOG));
    private static final Logger LOG = LoggerFactory.getLogger(MetadataNotWritten.class);

    private final Path dataDir;

    public MetadataNotWritten(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        String why = FailRun.describe(cause);
        run.fail(run.failure() + "; the failed-run metadata could not be written either: " + why);
        LOG.error("Could not write {} for the failed run ({}); it still describes the run before", DataFiles.METADATA, why);
        removeTempFiles(dataDir);
    }

    /** Removes this run's temporary files (regular files only: a symlink or a directory in their place stays). */
    static void removeTempFiles(Path dataDir) {
        for (String name : TEMP_FILES) {
            Path temp = dataDir.resolve(name);
            try {
                if (Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(temp);
                    LOG.info("Removed the half-written {}", name);
                }
            } catch (IOException e) {
                LOG.warn("Could not remove {}: {}", name, e.getMessage());
            }
        }
    }
}
