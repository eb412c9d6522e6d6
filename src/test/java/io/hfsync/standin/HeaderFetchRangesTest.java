package io.hfsync.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.hub.BearerToken;
import io.hfsync.hub.HeaderFetch;
import io.hfsync.hub.HubHttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a header read costs the file host (docs/gguf-headers.md): 64 KiB first, then ranges that double up to 2 MiB,
 * each from where the last one ended, so a header written after its tokenizer costs its own size and at most that much
 * again.
 */
class HeaderFetchRangesTest {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    @Test
    void should_ask_for_64_KiB_first_then_ranges_that_double_up_to_2_MiB() throws Exception {
        HubSnapshot snapshot = DemoSnapshot.generate(42, DemoSnapshot.DEMO_SIZE, Instant.now());
        DemoHeaders headers = new DemoHeaders();
        // the open repo whose hyper-parameters follow the largest tokenizer: it takes the most ranges
        HubRepo repo = null;
        RepoFile file = null;
        long largest = 0;
        for (HubRepo candidate : snapshot.all()) {
            RepoFile weights = candidate.files().stream().filter(f -> f.isGguf() && !f.path().contains("mmproj")
                            && !f.path().contains("imatrix") && !f.path().contains("part") && !f.path().matches(".*-000\\d\\d-of-.*"))
                    .min(Comparator.comparingLong(RepoFile::size)).orElse(null);
            boolean open = !candidate.isPrivate() && (candidate.gated() == null || Boolean.FALSE.equals(candidate.gated()));
            if (weights == null || !open || !DemoShapes.hyperParametersLast(candidate)) {
                continue;
            }
            long size = headers.body(candidate, candidate.sha(), weights).prefixLength();
            if (size > largest) {
                largest = size;
                repo = candidate;
                file = weights;
            }
        }
        assertNotNull(repo, "the demo has headers written after their tokenizer");
        assertTrue(largest > 2 * HeaderFetch.MAX_NEXT_RANGE, "a header of several MB: " + largest);

        try (StandInHub hub = StandInHub.start(snapshot);
                HeaderFetch fetch = new HeaderFetch(hub.baseUrl(), new HubHttpClient(new BearerToken(hub.baseUrl(), ""),
                        Long.MAX_VALUE), Duration.ofSeconds(10), Duration.ofSeconds(60), 1)) {
            HeaderFetch.Outcome outcome = fetch.read(repo.id(), repo.sha(), file.path(), new HeaderFetch.Resolvers() {
                @Override
                public void beforeCall() {
                }

                @Override
                public void answered(String rateLimit, String warning) {
                }
            });
            assertNull(outcome.error());
            assertNotNull(outcome.header().blockCount(), outcome.header().toString());

            List<long[]> ranges = new ArrayList<>();
            for (StandInHub.FileRequest request : hub.fileHostRequests()) {
                Matcher range = RANGE.matcher(request.header("range"));
                assertTrue(range.matches(), request.header("range"));
                ranges.add(new long[] {Long.parseLong(range.group(1)), Long.parseLong(range.group(2)) + 1});
            }
            assertEquals(0, ranges.get(0)[0]);
            assertEquals(HeaderFetch.FIRST_RANGE, ranges.get(0)[1], "the first range is 64 KiB");
            long length = HeaderFetch.FIRST_RANGE;
            long asked = 0;
            for (int i = 1; i < ranges.size(); i++) {
                length = Math.min(2 * length, HeaderFetch.MAX_NEXT_RANGE);
                assertEquals(ranges.get(i - 1)[1], ranges.get(i)[0], "each range starts where the last one ended");
                assertEquals(length, ranges.get(i)[1] - ranges.get(i)[0], "range " + i + " of " + ranges.size());
            }
            for (long[] range : ranges) {
                asked += range[1] - range[0];
            }
            assertTrue(ranges.size() > 6, "the ranges grew to 2 MiB: " + ranges.size());
            assertTrue(outcome.bytes() <= asked && asked <= outcome.bytes() + Math.min(outcome.bytes(), HeaderFetch.MAX_NEXT_RANGE),
                    "the host sent the header and at most that much again (2 MiB at most): " + asked + " for " + outcome.bytes());
        }
    }
}
