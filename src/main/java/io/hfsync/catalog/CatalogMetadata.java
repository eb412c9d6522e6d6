package io.hfsync.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code metadata} block at the top of {@code gguf_models.json} (docs/files.md, with the details counts of docs/sync-modes.md). */
public record CatalogMetadata(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("generated_at") String generatedAt,
        @JsonProperty("sync_mode") String syncMode,
        @JsonProperty("last_sync_time") String lastSyncTime,
        boolean success,
        @JsonProperty("total_models") int totalModels,
        @JsonProperty("models_added") int modelsAdded,
        @JsonProperty("models_updated") int modelsUpdated,
        @JsonProperty("models_removed") int modelsRemoved,
        @JsonProperty("details_pending") int detailsPending,
        @JsonProperty("details_fetched") int detailsFetched) {

    /** A block with nothing pending and no detail calls (tests, benchmarks). */
    public CatalogMetadata(int schemaVersion, String generatedAt, String syncMode, String lastSyncTime, boolean success,
            int totalModels, int modelsAdded, int modelsUpdated, int modelsRemoved) {
        this(schemaVersion, generatedAt, syncMode, lastSyncTime, success, totalModels, modelsAdded, modelsUpdated,
                modelsRemoved, 0, 0);
    }
}
