package io.hfsync.hub;

/**
 * The exchange properties of one Hub call (routes/hub-listing.camel.yaml, {@code direct:hub-get}), each name declared
 * once here; the run's other properties are the sync's ({@code io.hfsync.sync.RunProperties}), and RouteNamesTest
 * checks that every name the routes use is declared in one of the two.
 */
public final class HubCallProperties {

    /** The run the call is made for ({@link HubCallRun}); the sync names it {@code RunProperties.SYNC_RUN}. */
    public static final String RUN = "syncRun";
    /** The Hub URL the next call asks for: a listing page, or one model's details. */
    public static final String HUB_URL = "hubUrl";
    /** The failure a Hub call ends with once its retries gave up (the caller gets it). */
    public static final String HUB_CALL_FAILURE = "hubCallFailure";
    /** How many attempts this Hub call has failed so far. */
    public static final String HUB_CALL_ATTEMPT = "hubCallAttempt";

    private HubCallProperties() {
    }
}
