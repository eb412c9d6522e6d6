package io.hfsync.standin;

import io.hfsync.gguf.GgufHeader;
import java.time.Instant;
import java.util.Objects;

/**
 * The synthetic Hub the product's demo mode and the tests serve: repos shaped like the Hub's GGUF repos
 * (big quantisers and one-off uploads, split files, imatrix and projector files, gated and private repos,
 * missing metadata, repos named "gguf" without the tag). Deterministic: the same seed, count and
 * {@code now} give the same data, byte for byte.
 */
public final class DemoSnapshot {

    /** Repos in the demo Hub. */
    public static final int DEMO_SIZE = 2000;

    private DemoSnapshot() {
    }

    /**
     * @param seed  drives every random choice
     * @param count number of repos, private ones included
     * @param now   the newest commit time; commits spread over the two years before it
     */
    public static HubSnapshot generate(long seed, int count, Instant now) {
        Objects.requireNonNull(now, "now");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        return new DemoGenerator(seed, now).generate(count);
    }

    /**
     * What a header read of {@code repo}'s weights files at {@code sha} yields (the keys the stand-in's files carry,
     * docs/gguf-headers.md): for a catalog of demo repos made without a Hub, as the benchmarks make one.
     */
    public static GgufHeader header(HubRepo repo, String sha, String file) {
        DemoShapes.Shape shape = DemoShapes.shape(repo);
        return shape.keys().header(sha, file, null, (long) shape.vocabulary().size());
    }
}
