package io.hfsync.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code changes/<time>.json}: what one run changed (docs/files.md: {@code sync_mode}, {@code added}, {@code updated},
 * {@code removed}, ids sorted). The keys after those are what the run's change events need besides the catalog
 * (docs/events.md: the change logs are the events' outbox): the run's time and reason, its totals, and the last known
 * revision of each removed model, which the catalog no longer holds.
 */
public record ChangeLog(
        @JsonProperty("sync_mode") String syncMode,
        List<String> added,
        List<String> updated,
        List<String> removed,
        @JsonProperty("sync_time") String syncTime,
        @JsonProperty("mode_reason") String modeReason,
        @JsonProperty("total_models") Integer totalModels,
        @JsonProperty("details_pending") Integer detailsPending,
        @JsonProperty("removed_models") List<RemovedModel> removedModels) {

    /** A model a full sync removed, as the catalog last held it. */
    public record RemovedModel(String id, String sha, @JsonProperty("last_modified") String lastModified) {
    }
}
