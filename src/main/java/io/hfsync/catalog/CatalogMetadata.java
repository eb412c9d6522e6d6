package io.hfsync.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code metadata} block at the top of {@code gguf_models.json}. */
public record CatalogMetadata(
        @JsonProperty("schema_version") int schemaVersion,
        @JsonProperty("generated_at") String generatedAt,
        @JsonProperty("sync_mode") String syncMode,
        @JsonProperty("last_sync_time") String lastSyncTime,
        boolean success,
        @JsonProperty("total_models") int totalModels,
        @JsonProperty("models_added") int modelsAdded,
        @JsonProperty("models_updated") int modelsUpdated,
        @JsonProperty("models_removed") int modelsRemoved) {
}
