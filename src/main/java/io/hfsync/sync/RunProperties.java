package io.hfsync.sync;

/**
 * The exchange properties a run's routes and stage beans share, each name declared once here. The YAML routes spell
 * the same names ({@code ${exchangeProperty.hubUrl}}, {@code setProperty: name: modelId}); RunPropertiesTest checks
 * that every name they use is one of these.
 */
public final class RunProperties {

    /** The run itself ({@link SyncRun}), from its start to its report. */
    public static final String SYNC_RUN = "syncRun";
    /** The Hub URL the next call asks for: a listing page, or one model's details. */
    public static final String HUB_URL = "hubUrl";
    /** The discovery strategy ({@link io.hfsync.hub.DiscoveryStrategy}) of the listing pass being paged. */
    public static final String DISCOVERY_STRATEGY = "discoveryStrategy";
    /** The model whose details are being fetched. */
    public static final String MODEL_ID = "modelId";
    /** The failure a Hub call ends with once its retries gave up (the caller gets it). */
    public static final String HUB_CALL_FAILURE = "hubCallFailure";
    /** How many attempts this Hub call has failed so far. */
    public static final String HUB_CALL_ATTEMPT = "hubCallAttempt";
    /** The run's metadata as written, for whoever started the run (the Kamelet emits it). */
    public static final String SYNC_RESULT = "syncResult";
    /** The run's metadata on its way into the databases (routes/write-database.camel.yaml). */
    public static final String RUN_METADATA = "runMetadata";
    /**
     * What the catalog writer recorded while it printed this run's catalog ({@link io.hfsync.catalog.CatalogIndex}),
     * for the databases' step: they compare its hashes instead of reading the catalog back.
     */
    public static final String CATALOG_INDEX = "catalogIndex";

    private RunProperties() {
    }
}
