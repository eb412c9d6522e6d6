package io.hfsync.sync;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * How the Kamelet gets a run's result: it enriches its own exchange from {@code direct:sync}, and this strategy
 * takes the metadata the run recorded ({@link RunProperties#SYNC_RESULT}) as the body and nothing else. The run
 * happens on Camel's copy of the exchange, so a failed run, which the sync's failure handler marks handled (and
 * Camel then stops routing that exchange), still reaches the host; a run skipped because another process holds the
 * data directory's lock recorded nothing, and nothing is emitted.
 */
public final class EmitRunResult implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange kameletExchange, Exchange runExchange) {
        Object result = runExchange == null ? null : runExchange.getProperty(RunProperties.SYNC_RESULT);
        if (result == null) {
            kameletExchange.setRouteStop(true);
        } else {
            kameletExchange.getMessage().setBody(result);
        }
        return kameletExchange;
    }
}
