package io.hfsync.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code last_sync_metadata.json}: the seed's SyncMetadata in snake_case plus what auto mode needs. Unknown keys
 * are ignored and missing ones are null, so the seed's own file (without the newer keys) still reads.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SyncMetadata(
        @JsonProperty("schema_version") Integer schemaVersion,
        @JsonProperty("last_sync_time") String lastSyncTime,
        @JsonProperty("last_successful_sync_time") String lastSuccessfulSyncTime,
        @JsonProperty("last_full_sync_time") String lastFullSyncTime,
        @JsonProperty("sync_mode") String syncMode,
        @JsonProperty("mode_reason") String modeReason,
        @JsonProperty("total_models_processed") Integer totalModelsProcessed,
        @JsonProperty("total_models") Integer totalModels,
        @JsonProperty("models_added") Integer modelsAdded,
        @JsonProperty("models_updated") Integer modelsUpdated,
        @JsonProperty("models_removed") Integer modelsRemoved,
        @JsonProperty("details_pending") Integer detailsPending,
        @JsonProperty("details_fetched") Integer detailsFetched,
        @JsonProperty("sync_duration") Double syncDuration,
        @JsonProperty("hub_requests") Integer hubRequests,
        Boolean success,
        @JsonProperty("error_message") String errorMessage) {
}
