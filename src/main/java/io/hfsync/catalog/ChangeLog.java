package io.hfsync.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code changes/<time>.json}: what one run changed. */
public record ChangeLog(@JsonProperty("sync_mode") String syncMode, List<String> added, List<String> updated,
        List<String> removed) {
}
