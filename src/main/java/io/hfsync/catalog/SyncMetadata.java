package io.hfsync.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code last_sync_metadata.json}: the seed's SyncMetadata in snake_case plus what auto mode needs. Unknown keys
 * are ignored and missing ones are null, so the seed's own file (without the newer keys) still reads.
 *
 * <p>docs/sync-modes.md, sizes the listing proves: {@code sizes_from_listing} models took their size from the listing in this
 * run, {@code size_mismatches} detail answers contradicted the listing, and {@code listing_sizes} is what runs may
 * make of listing sizes since: {@value #LISTING_SIZES_VERIFIED} (a full sync's sample matched) or
 * {@value #LISTING_SIZES_MISMATCH} (a listing size was wrong: none is taken until a full sync's sample matches again);
 * null while no sample was checked.
 *
 * <p>GGUF headers (docs/gguf-headers.md): {@code headers_read} header reads this run added (a header or its reason),
 * {@code headers_pending} models still without one, {@code resolver_calls} the {@code /resolve/} calls it made.
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
        @JsonProperty("sizes_from_listing") Integer sizesFromListing,
        @JsonProperty("size_mismatches") Integer sizeMismatches,
        @JsonProperty("listing_sizes") String listingSizes,
        @JsonProperty("sync_duration") Double syncDuration,
        @JsonProperty("hub_requests") Integer hubRequests,
        Boolean success,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("headers_read") Integer headersRead,
        @JsonProperty("headers_pending") Integer headersPending,
        @JsonProperty("resolver_calls") Integer resolverCalls) {

    public static final String LISTING_SIZES_VERIFIED = "verified";
    public static final String LISTING_SIZES_MISMATCH = "mismatch";
}
