package io.hfsync.catalog;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hub that lists too little must not wipe the catalog: a full listing may remove at most {@code maxRemovedFraction}
 * of the models the catalog had, unless {@code allowMassRemoval} (ALLOW_MASS_REMOVAL) lets it through with a warning.
 */
public record MassRemovalGuard(double maxRemovedFraction, boolean allowMassRemoval) {

    private static final Logger LOG = LoggerFactory.getLogger(MassRemovalGuard.class);

    /** Refuses (throws) or lets through the removal of {@code removed} of the {@code before} models. */
    public void check(int before, int removed) {
        double fraction = before == 0 ? 0 : removed / (double) before;
        if (fraction <= maxRemovedFraction) {
            return;
        }
        String numbers = String.format(Locale.ROOT, "full sync would remove %d of %d models (%.1f%% > %.1f%%)",
                removed, before, fraction * 100, maxRemovedFraction * 100);
        if (!allowMassRemoval) {
            throw new Refused(numbers + "; set ALLOW_MASS_REMOVAL=true to let this run through");
        }
        LOG.warn("{}: allowed by ALLOW_MASS_REMOVAL", numbers);
    }

    /** The run stops here; its message is the one line the report and the metadata give as the reason. */
    public static final class Refused extends RuntimeException {

        Refused(String message) {
            super(message);
        }
    }
}
