package io.hfsync.standin;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;

/**
 * A drafted demo repo's history and popularity: its commit, when it last changed and was created, whether it is gated
 * or private, its downloads and likes. Drawn from {@link DemoGenerator}'s one stream right after the repo's content, in
 * the order below, so that the same seed, count and clock give the same data.
 */
final class DemoHistory {

    /** The {@code createdAt} the Hub shows for every repo older than its creation-date records. */
    static final Instant HUB_RECORDS_START = Instant.parse("2022-03-02T23:29:04Z");

    private static final Duration SPREAD = Duration.ofDays(730);
    private static final Duration RECENT = Duration.ofHours(48);
    private static final Duration MAX_AGE_AT_LAST_COMMIT = Duration.ofDays(200);

    private final Random random;
    private final Instant now;

    /** @param random the generator's own stream (not a copy: the draws go on where the draft's ended) */
    DemoHistory(Random random, Instant now) {
        this.random = random;
        this.now = now;
    }

    /**
     * @param recent         whether the repo changed within the last 48 hours
     * @param previousCommit the last change of the repo drawn before it, or null: quantisers push batches, so now and then
     *                       two repos share a commit time
     */
    HubRepo finish(DemoDraft draft, boolean recent, Instant previousCommit) {
        String sha = hex(20);
        Instant lastModified;
        if (recent) {
            lastModified = now.minusSeconds(random.nextInt((int) RECENT.toSeconds()));
        } else if (previousCommit != null && random.nextDouble() < 0.01) {
            // quantisers push batches: equal commit times happen, and the listing must still page cleanly
            lastModified = previousCommit;
        } else {
            long ageSeconds = RECENT.toSeconds() + (long) (random.nextDouble() * (SPREAD.toSeconds() - RECENT.toSeconds()));
            lastModified = now.minusSeconds(ageSeconds);
        }
        Instant createdAt;
        if (random.nextDouble() < 0.015) {
            createdAt = HUB_RECORDS_START;
        } else {
            createdAt = lastModified.minusSeconds((long) (random.nextDouble() * MAX_AGE_AT_LAST_COMMIT.toSeconds()));
            createdAt = createdAt.isBefore(HUB_RECORDS_START) ? HUB_RECORDS_START : createdAt;
        }
        if (createdAt.isAfter(lastModified)) {
            createdAt = lastModified;
        }
        Object gated = gated(draft.gatedBase());
        Long downloads = null;
        Long likes = null;
        if (random.nextDouble() >= 0.03) {
            downloads = (long) (Math.exp(random.nextDouble() * 11.0) * draft.popularity());
            likes = downloads / 150 + (random.nextDouble() < 0.3 ? random.nextInt(4) : 0);
        }
        boolean isPrivate = random.nextDouble() < 0.01;
        String owner = draft.id().substring(0, draft.id().indexOf('/'));
        return new HubRepo(draft.id(), owner, sha, lastModified, createdAt, gated, downloads, likes, draft.tags(),
                draft.pipelineTag(), draft.libraryName(), draft.architecture(), draft.contextLength(),
                draft.parameters(), draft.files(), isPrivate, draft.chatTemplate());
    }

    private Object gated(boolean gatedBase) {
        double roll = random.nextDouble();
        double auto = gatedBase ? 0.20 : 0.01;
        double manual = gatedBase ? 0.06 : 0.005;
        if (roll < auto) {
            return "auto";
        }
        if (roll < auto + manual) {
            return "manual";
        }
        return roll < auto + manual + 0.005 ? null : Boolean.FALSE;
    }

    private String hex(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
