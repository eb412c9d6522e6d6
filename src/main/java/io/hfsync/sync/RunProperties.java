package io.hfsync.sync;

import io.hfsync.hub.HubCallProperties;

/**
 * The exchange properties a run's routes and stage beans share, each name declared once here or, for a Hub call's,
 * in {@link HubCallProperties}. The YAML routes spell the same names ({@code ${exchangeProperty.hubUrl}},
 * {@code setProperty: name: modelId}); RouteNamesTest checks that every name they use is one of these.
 */
public final class RunProperties {

    /** The run itself ({@link SyncRun}), from its start to its report; the Hub client reads it as the calls' run. */
    public static final String SYNC_RUN = HubCallProperties.RUN;
    /** The discovery strategy ({@link io.hfsync.hub.DiscoveryStrategy}) of the listing pass being paged. */
    public static final String DISCOVERY_STRATEGY = "discoveryStrategy";
    /**
     * The listing-size sample ({@link ListingSizeSample}) a full sync fetches first, while the route
     * hf-sync-listing-sizes verifies it (docs/sync-modes.md).
     */
    public static final String LISTING_SIZE_SAMPLE = "listingSizeSample";
    /** The paging state ({@link ListingPass}) of the listing pass being paged. */
    public static final String LISTING_PASS = "listingPass";
    /** The model whose details are being fetched. */
    public static final String MODEL_ID = "modelId";
    /** The run's metadata as written, for whoever started the run (the Kamelet emits it). */
    public static final String SYNC_RESULT = "syncResult";
    /** The run's metadata on its way into the databases (routes/write-database.camel.yaml). */
    public static final String RUN_METADATA = "runMetadata";
    /**
     * What the catalog writer recorded while it printed this run's catalog ({@link io.hfsync.store.CatalogIndex}),
     * for the databases' step: they compare its hashes instead of reading the catalog back.
     */
    public static final String CATALOG_INDEX = "catalogIndex";

    private RunProperties() {
    }
}
