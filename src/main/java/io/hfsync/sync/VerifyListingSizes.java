package io.hfsync.sync;

import io.hfsync.store.CatalogMerge;
import io.hfsync.catalog.SyncMetadata;
import java.util.Comparator;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * docs/sync-modes.md, "Sizes the listing already proves", between the listing and the first publish. A full sync checks a
 * sample (1 %, at least 5) of the repos whose size it is about to take from the listing with detail calls, and takes
 * listing sizes only when the sample matched; an incremental run takes them while the last verification matched. Any
 * other run publishes none: those models keep their detail call. The steps of the route hf-sync-listing-sizes
 * (routes/sync-run.camel.yaml, bean {@code verifyListingSizes}).
 */
public final class VerifyListingSizes {

    static final double SAMPLE_FRACTION = 0.01;
    static final int MIN_SAMPLE = 5;
    private static final Logger LOG = LoggerFactory.getLogger(VerifyListingSizes.class);

    /**
     * The sample a full sync fetches first, for {@link RunProperties#LISTING_SIZE_SAMPLE}; an incremental run, or one
     * with no listing size, has none (null).
     */
    public ListingSizeSample sample(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run) {
        if (run.decision().incremental()) {
            return null;
        }
        List<String> candidates = run.merge().listingSizeCandidates();
        if (candidates.isEmpty()) {
            return null;
        }
        List<String> sample = pick(candidates, sampleSize(candidates.size()), run.startedAt().getEpochSecond());
        LOG.info("Sizes from the listing: {} single-file repos could take theirs from the listing; checking a sample of"
                + " {} with detail calls first", candidates.size(), sample.size());
        return new ListingSizeSample(sample);
    }

    /** The Hub failed during the sample: the listing's sizes are not taken, and the run fails once it has published. */
    public void sampleFailed(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run,
            @ExchangeProperty(RunProperties.LISTING_SIZE_SAMPLE) ListingSizeSample sample,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception cause) {
        sample.failed(cause);
        LOG.warn("Sizes from the listing: the sample's detail calls failed ({}); publishing the listing without them,"
                + " then the run fails", RunEnd.describe(cause));
        decide(run, sample);
    }

    /** After the publish of a listing whose sample failed: the run fails now (success=false, the catalog stands). */
    public void failRun(@ExchangeProperty(RunProperties.LISTING_SIZE_SAMPLE) ListingSizeSample sample)
            throws Exception {
        throw sample.failure();
    }

    /** After the sample (if any): trust the listing's sizes, or publish none of them. */
    public void decide(@ExchangeProperty(RunProperties.SYNC_RUN) SyncRun run,
            @ExchangeProperty(RunProperties.LISTING_SIZE_SAMPLE) ListingSizeSample sample) {
        CatalogMerge merge = run.merge();
        RunCounts counts = run.counts();
        int candidates = merge.listingSizeCandidates().size();
        if (candidates == 0 && counts.sizeMismatches() == 0) {
            merge.trustListingSizes();
            return;
        }
        if (counts.sizeMismatches() > 0) {
            // every listing size is in doubt now, this run's and those earlier runs took
            int doubted = merge.doubtListingSizes(true);
            LOG.warn("Sizes from the listing: off until a full sync's sample matches again; the sample found {}"
                    + " mismatches in {} checks; {} models get a detail call instead", counts.sizeMismatches(),
                    counts.sizeChecks(), doubted);
            return;
        }
        Exception failure = sample == null ? null : sample.failure();
        String why;
        if (run.decision().incremental()) {
            if (SyncMetadata.LISTING_SIZES_VERIFIED.equals(run.listingSizesState())) {
                merge.trustListingSizes();
                LOG.info("Sizes from the listing: {} taken without a detail call (the last full sync's sample matched)",
                        merge.listingSizesTaken());
                return;
            }
            why = SyncMetadata.LISTING_SIZES_MISMATCH.equals(run.listingSizesState())
                    ? "a listing size was found wrong, and no full sync's sample has matched since"
                    : "no full sync has verified a sample yet";
        } else if (sample != null && !run.details().budgetReached() && failure == null && counts.sizeChecks() > 0) {
            run.listingSizesVerified();
            merge.trustListingSizes();
            LOG.info("Sizes from the listing: the sample matched ({} checked); {} taken without a detail call",
                    counts.sizeChecks(), merge.listingSizesTaken());
            return;
        } else {
            why = failure != null ? "the sample's detail calls failed"
                    : run.details().budgetReached() ? "the time budget ran out during the sample"
                    : "no sample answer could be compared (repos gone or changed since the listing)";
        }
        int doubted = merge.doubtListingSizes(false);
        LOG.info("Sizes from the listing: not taken ({}); {} single-file repos get a detail call instead", why, doubted);
    }

    static int sampleSize(int candidates) {
        return Math.min(candidates, Math.max(MIN_SAMPLE, (int) Math.ceil(candidates * SAMPLE_FRACTION)));
    }

    /** Spread over the whole population (not the most downloaded only), different for each run. */
    static List<String> pick(List<String> candidates, int size, long salt) {
        return candidates.stream()
                .sorted(Comparator.comparingLong((String id) -> mix(id.hashCode() + salt * 0x9E3779B97F4A7C15L))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(size)
                .toList();
    }

    /** SplitMix64's finaliser: neighbouring inputs land far apart. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
