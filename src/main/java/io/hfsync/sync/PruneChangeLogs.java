package io.hfsync.sync;

import io.hfsync.catalog.DataFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Keeps the newest {@value #KEEP} change logs; their names sort by time. */
public final class PruneChangeLogs implements Processor {

    static final int KEEP = 30;

    @Override
    public void process(Exchange exchange) throws IOException {
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        Path dir = run.settings().dataDir().resolve(DataFiles.CHANGE_LOG_DIR);
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> logs;
        try (Stream<Path> files = Files.list(dir)) {
            logs = files.filter(p -> p.getFileName().toString().matches("\\d{8}T\\d{6}Z\\.json"))
                    .sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()))
                    .toList();
        }
        for (Path old : logs.subList(Math.min(KEEP, logs.size()), logs.size())) {
            Files.deleteIfExists(old);
        }
    }
}
