package io.hfsync.mode;

import java.util.Locale;
import java.util.Optional;

/** Seed 4.4: an incremental pass that moved the model count by more than the threshold triggers a full sync. */
public final class SignificantChange {

    private SignificantChange() {
    }

    /** The log line (and reason) when the change is significant, empty otherwise. */
    public static Optional<String> detect(int before, int after, double threshold) {
        double fraction = before == 0 ? (after == 0 ? 0.0 : Double.POSITIVE_INFINITY)
                : Math.abs(after - before) / (double) before;
        if (fraction <= threshold) {
            return Optional.empty();
        }
        String percent = Double.isInfinite(fraction) ? "∞" : String.format(Locale.ROOT, "%.1f", fraction * 100);
        return Optional.of("Significant change detected: " + percent + "% change in model count (" + before + " → " + after + ")");
    }
}
