package io.hfsync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class StandInHubTest {

    private static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");
    private static final Set<String> DEFAULT_ITEM_FIELDS = Set.of("_id", "id", "modelId", "likes", "trendingScore",
            "private", "downloads", "tags", "pipeline_tag", "library_name", "createdAt");

    private final HubHttp http = new HubHttp();
    private StandInHub hub;

    @AfterEach
    void stopHub() {
        if (hub != null) {
            hub.close();
        }
    }

    // ---- listing: paging and order ----

    @ParameterizedTest
    @ValueSource(strings = {"lastModified", "createdAt"})
    void pagingFollowsLinkToTheEndNewestFirstWithoutRepeatsOrSkips(String sort) throws Exception {
        hub = StandInHub.start(DemoSnapshot.generate(7, 300, NOW));
        Set<String> expected = listedGgufIds(hub.snapshot());

        List<JsonNode> items = http.listAll(hub.baseUrl() + "/api/models?filter=gguf&sort=" + sort
                + "&limit=7&expand=lastModified&expand=createdAt");

        List<String> ids = items.stream().map(i -> i.get("id").asText()).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size(), "no repo twice");
        assertEquals(expected, new HashSet<>(ids), "every listed gguf repo once");
        for (int i = 1; i < items.size(); i++) {
            Instant before = Instant.parse(items.get(i - 1).get(sort).asText());
            Instant after = Instant.parse(items.get(i).get(sort).asText());
            assertFalse(after.isAfter(before), "newest first at " + i + ": " + before + " then " + after);
        }
        assertEquals((expected.size() + 6) / 7, hub.listingRequests());
    }

    @Test
    void equalCommitTimesArePagedByIdWithoutRepeatsOrSkips() throws Exception {
        HubSnapshot snapshot = new HubSnapshot();
        for (int i = 1; i <= 15; i++) {
            HubRepo repo = repo(String.format("batch/model-%02d-GGUF", i), 50);
            snapshot.put(repo);
        }
        hub = StandInHub.start(snapshot);

        List<String> ids = idsOf(http.listAll(hub.baseUrl() + "/api/models?filter=gguf&sort=lastModified&limit=4"));

        assertEquals(IntStream.rangeClosed(1, 15).mapToObj(i -> String.format("batch/model-%02d-GGUF", i)).toList(), ids);
        assertEquals(4, hub.listingRequests());
    }

    @Test
    void nextLinkCarriesEveryOriginalParameterAndAPercentEncodedCursor() throws Exception {
        hub = StandInHub.start(DemoSnapshot.generate(7, 50, NOW));
        String query = "filter=gguf&sort=lastModified&limit=3&expand=sha&expand%5B%5D=lastModified";

        String next = http.get(hub.baseUrl() + "/api/models?" + query).next();

        assertTrue(next.startsWith(hub.baseUrl() + "/api/models?" + query + "&cursor="), next);
        String cursor = next.substring(next.indexOf("&cursor=") + 8);
        assertTrue(cursor.matches("[A-Za-z0-9%]+"), "base64, with + / = percent-encoded: " + cursor);
        String secondNext = http.get(next).next();
        assertEquals(1, secondNext.split("cursor=", -1).length - 1, "the old cursor is replaced, not repeated");
    }

    @Test
    void lastPageHasNoNextLink() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1), repo("a/two-GGUF", 2)));

        HubHttp.Answer page = http.get(hub.baseUrl() + "/api/models?filter=gguf&limit=2");

        assertEquals(2, page.json().size());
        assertNull(page.header("Link"));
    }

    @Test
    void withoutSortTheOrderIsStableByIdAndLimitIsCappedAt1000() throws Exception {
        hub = StandInHub.start(DemoSnapshot.generate(3, 1200, NOW));

        HubHttp.Answer page = http.get(hub.baseUrl() + "/api/models?limit=5000");

        List<String> ids = new ArrayList<>();
        page.json().forEach(item -> ids.add(item.get("id").asText()));
        assertEquals(1000, ids.size());
        assertEquals(ids.stream().sorted().toList(), ids);
        assertNotNull(page.next());
    }

    @Test
    void filtersAreAndedSearchIsCaseInsensitiveAuthorIsExactAndPrivateReposAreNeverListed() throws Exception {
        HubSnapshot snapshot = snapshotOf(
                repo("alice/Llama-GGUF", 1, List.of("gguf", "imatrix"), false),
                repo("alice/Qwen-GGUF", 2, List.of("gguf"), false),
                repo("bob/llama-notes", 3, List.of("transformers"), false),
                repo("alice/Secret-GGUF", 4, List.of("gguf", "imatrix"), true),
                repo("alice2/Other-GGUF", 5, List.of("gguf"), false));
        hub = StandInHub.start(snapshot);

        assertEquals(List.of("alice/Llama-GGUF"), ids("/api/models?filter=gguf&filter=imatrix"));
        assertEquals(List.of("alice/Llama-GGUF", "bob/llama-notes"), ids("/api/models?search=LLAMA"));
        assertEquals(List.of("alice/Llama-GGUF", "alice/Qwen-GGUF"), ids("/api/models?author=alice"));
        assertEquals(List.of("alice/Llama-GGUF", "alice/Qwen-GGUF", "alice2/Other-GGUF"),
                ids("/api/models?search=gguf"));
    }

    @Test
    void directionIsAcceptedAndIgnored() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/old-GGUF", 1), repo("a/new-GGUF", 2)));

        assertEquals(List.of("a/new-GGUF", "a/old-GGUF"), ids("/api/models?sort=lastModified&direction=-1"));
    }

    @Test
    void badCursorSortOrLimitIs400() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));

        assertEquals(400, http.get(hub.baseUrl() + "/api/models?sort=lastModified&cursor=bm90LWEtY3Vyc29y").status());
        assertEquals(400, http.get(hub.baseUrl() + "/api/models?sort=sideways").status());
        assertEquals(400, http.get(hub.baseUrl() + "/api/models?limit=-3").status());
    }

    // ---- listing: a listing is not a snapshot ----

    @Test
    void underLastModifiedARepoUpdatedBetweenPagesMovesToThePagesAlreadyReadAndIsNotSeenAgain() throws Exception {
        HubSnapshot snapshot = snapshotOf(IntStream.rangeClosed(1, 20)
                .mapToObj(i -> repo(String.format("q/model-%02d-GGUF", i), i)).toArray(HubRepo[]::new));
        hub = StandInHub.start(snapshot);
        String first = hub.baseUrl() + "/api/models?filter=gguf&sort=lastModified&limit=7&expand=lastModified";

        HubHttp.Answer page1 = http.get(first);
        // model-02 would have been on the last page; model-19 was on the first page
        touch(snapshot, "q/model-02-GGUF", NOW.plusSeconds(60));
        touch(snapshot, "q/model-19-GGUF", NOW.plusSeconds(61));
        List<String> seen = new ArrayList<>(idsOf(page1.json()));
        seen.addAll(idsOf(http.listAll(page1.next())));

        assertEquals(seen.size(), new HashSet<>(seen).size(), "nothing twice: " + seen);
        assertFalse(seen.contains("q/model-02-GGUF"), "moved in front of the cursor, so missed by this listing");
        assertEquals(19, seen.size());
        assertEquals(List.of("q/model-19-GGUF", "q/model-02-GGUF"), ids("/api/models?sort=lastModified&limit=2"));
    }

    @Test
    void underCreatedAtUpdatedReposKeepTheirPlaceAndNewReposAppearInFront() throws Exception {
        HubSnapshot snapshot = snapshotOf(IntStream.rangeClosed(1, 20)
                .mapToObj(i -> repo(String.format("q/model-%02d-GGUF", i), i)).toArray(HubRepo[]::new));
        hub = StandInHub.start(snapshot);

        HubHttp.Answer page1 = http.get(hub.baseUrl() + "/api/models?filter=gguf&sort=createdAt&limit=7");
        touch(snapshot, "q/model-02-GGUF", NOW.plusSeconds(60));
        touch(snapshot, "q/model-19-GGUF", NOW.plusSeconds(61));
        snapshot.put(repo("q/brand-new-GGUF", 30));
        List<String> seen = new ArrayList<>(idsOf(page1.json()));
        seen.addAll(idsOf(http.listAll(page1.next())));

        assertEquals(IntStream.rangeClosed(1, 20).mapToObj(i -> String.format("q/model-%02d-GGUF", 21 - i)).toList(),
                seen);
    }

    // ---- listing: item shapes ----

    @Test
    void withoutExpandItemsHaveOnlyTheDefaultFields() throws Exception {
        hub = StandInHub.start(DemoSnapshot.generate(11, 100, NOW));

        for (JsonNode item : http.get(hub.baseUrl() + "/api/models?filter=gguf").json()) {
            Set<String> fields = fieldNames(item);
            assertTrue(DEFAULT_ITEM_FIELDS.containsAll(fields), "unexpected fields: " + fields);
            assertTrue(fields.containsAll(Set.of("_id", "id", "modelId", "private", "tags", "createdAt")), fields.toString());
        }
    }

    @Test
    void withExpandItemsHaveOnlyTheExpandedFieldsPlusIds() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));

        JsonNode item = http.get(hub.baseUrl() + "/api/models?expand=sha&expand[]=lastModified&expand=siblings").json().get(0);

        assertEquals(Set.of("_id", "id", "sha", "lastModified", "siblings"), fieldNames(item));
        assertTrue(item.get("_id").asText().matches("[0-9a-f]{24}"));
        assertTrue(item.get("lastModified").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        for (JsonNode sibling : item.get("siblings")) {
            assertEquals(Set.of("rfilename"), fieldNames(sibling), "names only in a listing, never sizes");
        }
    }

    @Test
    void everyFieldTheProductAsksForIsAccepted() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));
        String fields = "author,createdAt,downloads,gated,gguf,lastModified,library_name,likes,pipeline_tag,private,sha,siblings,tags,usedStorage";

        HubHttp.Answer page = http.get(hub.baseUrl() + "/api/models?"
                + List.of(fields.split(",")).stream().map(f -> "expand=" + f).collect(Collectors.joining("&")));

        assertEquals(200, page.status(), page.body());
        JsonNode item = page.json().get(0);
        assertEquals(false, item.get("gated").asBoolean());
        assertEquals(1_500_000_000L + 1583, item.get("usedStorage").asLong());
        assertEquals("llama", item.get("gguf").get("architecture").asText());
        assertEquals(7_000_000_000L, item.get("gguf").get("total").asLong());
        assertEquals(1_500_000_000L, item.get("gguf").get("totalFileSize").asLong());
    }

    /** gguf.totalFileSize of a listing item for a repo holding these files (HUB_API.md: the parsed file). */
    private long listedFileSize(RepoFile... files) throws Exception {
        HubRepo base = repo("a/files-GGUF", 1);
        hub = StandInHub.start(snapshotOf(base.withUpdate(base.sha(), base.lastModified(), List.of(files))));
        HubHttp.Answer page = http.get(hub.baseUrl() + "/api/models?expand=gguf&expand=siblings");
        return page.json().get(0).get("gguf").get("totalFileSize").asLong(-1);
    }

    @Test
    void totalFileSizeIsTheFirstTopLevelModelFileByCaseInsensitiveName() throws Exception {
        assertEquals(300, listedFileSize(new RepoFile("b.Q8_0.gguf", 200), new RepoFile("A.Q4_K_M.gguf", 300),
                new RepoFile("c.F16.gguf", 100)), "A before b: the case of a name does not sort it first");
        hub.close();
        assertEquals(200, listedFileSize(new RepoFile("mmproj-a-f16.gguf", 50), new RepoFile("Q2/a.Q2_K.gguf", 10),
                new RepoFile("m-Q8_0-00001-of-00002.gguf", 70), new RepoFile("m-Q8_0-00002-of-00002.gguf", 70),
                new RepoFile("z.Q4_0.gguf", 200)), "projectors, sub-folders and split sets are passed over");
        hub.close();
        assertEquals(140, listedFileSize(new RepoFile("mmproj-a-f16.gguf", 50),
                new RepoFile("m-Q8_0-00002-of-00002.gguf", 70), new RepoFile("m-Q8_0-00001-of-00002.gguf", 70),
                new RepoFile("n-Q2_K-00001-of-00002.gguf", 5), new RepoFile("n-Q2_K-00002-of-00002.gguf", 5)),
                "only split sets: the first set, summed");
    }

    @Test
    void aLyingListingIsOffOnlyInTheListing() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));
        hub.setListedFileSizeError(-7);

        JsonNode item = http.get(hub.baseUrl() + "/api/models?expand=gguf").json().get(0);
        JsonNode info = http.get(hub.baseUrl() + "/api/models/a/one-GGUF?blobs=true").json();

        assertEquals(1_500_000_000L - 7, item.get("gguf").get("totalFileSize").asLong());
        assertEquals(1_500_000_000L, info.get("gguf").get("totalFileSize").asLong(), "detail answers stay true");
        assertEquals(1_500_000_000L, info.get("siblings").get(1).get("size").asLong());
    }

    @Test
    void unknownExpandAndExpandWithFullAre400WithAJsonError() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));

        HubHttp.Answer unknown = http.get(hub.baseUrl() + "/api/models?expand=sha&expand=fileSizes");
        HubHttp.Answer withFull = http.get(hub.baseUrl() + "/api/models?expand=sha&full=true");

        assertEquals(400, unknown.status());
        assertTrue(unknown.json().get("error").asText().contains("fileSizes"));
        assertEquals(400, withFull.status());
        assertTrue(withFull.json().has("error"));
    }

    @Test
    void ggufIsOmittedWhenNeitherArchitectureNorSizeIsKnownAndMissingValuesAreOmitted() throws Exception {
        HubRepo bare = new HubRepo("a/bare-GGUF", "a", sha(1), NOW, NOW, null, null, null, List.of("gguf"), null,
                null, null, 4096L, null, List.of(new RepoFile("x.gguf", 10)), false);
        hub = StandInHub.start(snapshotOf(bare));

        JsonNode item = http.get(hub.baseUrl()
                + "/api/models?expand=gguf&expand=gated&expand=downloads&expand=pipeline_tag").json().get(0);

        assertEquals(Set.of("_id", "id"), fieldNames(item));
    }

    // ---- model info ----

    @Test
    void modelInfoWithBlobsCarriesEveryFileSizeAndLfsForGgufFiles() throws Exception {
        HubRepo repo = repo("a/big-GGUF", 1).withUpdate(sha(9), NOW, List.of(new RepoFile(".gitattributes", 1583),
                new RepoFile("Q8_0/big-Q8_0-00001-of-00002.gguf", 45_000_000_000L),
                new RepoFile("Q8_0/big-Q8_0-00002-of-00002.gguf", 30_000_000_000L)));
        hub = StandInHub.start(snapshotOf(repo));

        HubHttp.Answer info = http.get(hub.baseUrl() + "/api/models/a/big-GGUF?blobs=true");

        assertEquals(200, info.status());
        JsonNode json = info.json();
        assertEquals("a/big-GGUF", json.get("id").asText());
        assertEquals(sha(9), json.get("sha").asText());
        assertTrue(json.has("lastModified") && json.has("gguf") && json.has("tags") && json.has("createdAt"));
        JsonNode siblings = json.get("siblings");
        assertEquals(3, siblings.size());
        assertEquals(1583, siblings.get(0).get("size").asLong());
        assertFalse(siblings.get(0).has("lfs"));
        JsonNode part = siblings.get(1);
        assertEquals("Q8_0/big-Q8_0-00001-of-00002.gguf", part.get("rfilename").asText());
        assertEquals(45_000_000_000L, part.get("size").asLong());
        assertTrue(part.get("blobId").asText().matches("[0-9a-f]{40}"));
        assertEquals(45_000_000_000L, part.get("lfs").get("size").asLong());
        assertTrue(part.get("lfs").get("sha256").asText().matches("[0-9a-f]{64}"));
        assertEquals(134, part.get("lfs").get("pointerSize").asInt());
        assertEquals(75_000_000_000L, json.get("gguf").get("totalFileSize").asLong(), "split parts count as one file");
    }

    @Test
    void modelInfoWithoutBlobsListsNamesOnly() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));

        JsonNode siblings = http.get(hub.baseUrl() + "/api/models/a/one-GGUF").json().get("siblings");

        assertEquals(Set.of("rfilename"), fieldNames(siblings.get(0)));
    }

    @Test
    void unknownRepoIs404PrivateRepoIs401AndBlobsWithExpandIs400() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1), repo("a/hidden-GGUF", 2, List.of("gguf"), true)));

        HubHttp.Answer unknown = http.get(hub.baseUrl() + "/api/models/a/none-GGUF?blobs=true");
        assertEquals(404, unknown.status());
        assertEquals("Repository not found", unknown.json().get("error").asText());
        assertEquals(401, http.get(hub.baseUrl() + "/api/models/a/hidden-GGUF?blobs=true").status());
        assertEquals(400, http.get(hub.baseUrl() + "/api/models/a/one-GGUF?blobs=true&expand=sha").status());
    }

    @Test
    void revisionEndpointAnswersLikeModelInfoAndChecksExpand() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));

        HubHttp.Answer head = http.get(hub.baseUrl() + "/api/models/a/one-GGUF/revision/HEAD?expand=siblings&expand=lastModified");
        assertEquals(200, head.status());
        assertEquals(Set.of("_id", "id", "siblings", "lastModified"), fieldNames(head.json()));
        assertEquals(200, http.get(hub.baseUrl() + "/api/models/a/one-GGUF/revision/" + sha(1)).status());
        assertEquals(400, http.get(hub.baseUrl() + "/api/models/a/one-GGUF/revision/main?expand=nope").status());
        assertEquals(404, http.get(hub.baseUrl() + "/api/models/a/one-GGUF/revision/" + sha(2)).status());
    }

    @Test
    void treeEndpointListsFilesWithSizes() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));

        JsonNode tree = http.get(hub.baseUrl() + "/api/models/a/one-GGUF/tree/main?recursive=true").json();

        assertEquals(2, tree.size());
        assertEquals("one.Q4_K_M.gguf", tree.get(1).get("path").asText());
        assertEquals(1_500_000_000L, tree.get(1).get("size").asLong());
        assertEquals(1_500_000_000L, tree.get(1).get("lfs").get("size").asLong());
    }

    @Test
    void parallelDetailRequestsAreAllAnswered() throws Exception {
        HubSnapshot snapshot = DemoSnapshot.generate(5, 100, NOW);
        hub = StandInHub.start(snapshot);
        List<HubRepo> repos = snapshot.all().stream().filter(r -> !r.isPrivate()).limit(24).toList();

        List<CompletableFuture<HttpResponse<String>>> answers = repos.stream()
                .map(r -> http.client().sendAsync(HttpRequest.newBuilder(
                        URI.create(hub.baseUrl() + "/api/models/" + r.id() + "?blobs=true")).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();

        for (int i = 0; i < repos.size(); i++) {
            HttpResponse<String> answer = answers.get(i).get();
            assertEquals(200, answer.statusCode());
            assertEquals(repos.get(i).id(), new ObjectMapper().readTree(answer.body()).get("id").asText());
        }
        assertEquals(repos.size(), hub.detailRequests());
        assertEquals(0, hub.listingRequests());
    }

    // ---- faults, delay and rate limit ----

    @Test
    void rateLimitedFaultSends429WithRetryAfterAndNothingRemainingThenServesNormally() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));
        hub.enqueueFault(Fault.rateLimited("/api/models", "7"));

        HubHttp.Answer limited = http.get(hub.baseUrl() + "/api/models?filter=gguf");
        HubHttp.Answer after = http.get(hub.baseUrl() + "/api/models?filter=gguf");

        assertEquals(429, limited.status());
        assertEquals("7", limited.header("Retry-After"));
        assertEquals("\"api\";r=0;t=7", limited.header("RateLimit"));
        assertEquals(200, after.status());
    }

    @Test
    void statusAndBodyFaultsAreServedOnceInOrderToMatchingPathsOnly() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));
        hub.enqueueFault(Fault.status("/api/models/a/one-GGUF", 503));
        hub.enqueueFault(Fault.status("/api/models", 500));
        hub.enqueueFault(Fault.body("/api/models", 200, "<html>maintenance</html>"));

        HubHttp.Answer first = http.get(hub.baseUrl() + "/api/models?filter=gguf");
        HubHttp.Answer second = http.get(hub.baseUrl() + "/api/models?filter=gguf");
        HubHttp.Answer third = http.get(hub.baseUrl() + "/api/models?filter=gguf");

        assertEquals(500, first.status(), "the detail fault does not match the listing path");
        assertEquals(200, second.status());
        assertEquals("<html>maintenance</html>", second.body());
        assertEquals(200, third.status());
        assertEquals(1, third.json().size());
        assertEquals(503, http.get(hub.baseUrl() + "/api/models/a/one-GGUF?blobs=true").status());
        assertEquals(200, http.get(hub.baseUrl() + "/api/models/a/one-GGUF?blobs=true").status());
    }

    /**
     * A request that arrived before a fault was queued never takes it, however long the answer delay kept it: a shared
     * stand-in's slow request left over from one test took the next test's fault (FaultHandlingIT's http-date 429).
     */
    @Test
    void faultQueuedWhileASlowRequestIsInFlightGoesToTheNextRequest() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));
        hub.setPageDelay(Duration.ofMillis(500));
        CompletableFuture<HubHttp.Answer> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return http.get(hub.baseUrl() + "/api/models?filter=gguf");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> hub.requests() == 1);

        hub.setPageDelay(Duration.ZERO);
        hub.enqueueFault(Fault.status("/api/models", 503));

        assertEquals(200, slow.get().status(), "the request in flight when the fault was queued");
        assertEquals(503, http.get(hub.baseUrl() + "/api/models?filter=gguf").status(), "the next one");
    }

    @Test
    void truncatedFaultBreaksTheTransferMidJson() throws Exception {
        hub = StandInHub.start(DemoSnapshot.generate(5, 100, NOW));
        hub.enqueueFault(Fault.truncated("/api/models"));

        IOException cut = assertThrows(IOException.class,
                () -> http.get(hub.baseUrl() + "/api/models?filter=gguf&expand=siblings"));
        assertFalse(cut instanceof java.net.http.HttpTimeoutException, "cut, not merely slow: " + cut);
        assertEquals(200, http.get(hub.baseUrl() + "/api/models?filter=gguf&expand=siblings").status(),
                "the next request is served normally");
    }

    @Test
    void everyAnswerCarriesRateLimitHeadersAndAnExhaustedQuotaIs429() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));
        hub.setRateLimitQuota(2);

        HubHttp.Answer first = http.get(hub.baseUrl() + "/api/models");
        HubHttp.Answer second = http.get(hub.baseUrl() + "/api/models/a/none-GGUF");
        HubHttp.Answer third = http.get(hub.baseUrl() + "/api/models");

        assertTrue(first.header("RateLimit").matches("\"api\";r=1;t=\\d+"), first.header("RateLimit"));
        assertEquals("\"fixed window\";\"api\";q=2;w=300", first.header("RateLimit-Policy"));
        assertTrue(second.header("RateLimit").startsWith("\"api\";r=0;"));
        assertEquals(429, third.status());
        assertTrue(third.header("Retry-After").matches("\\d+"));
        assertTrue(third.header("RateLimit").startsWith("\"api\";r=0;"));
        hub.resetCounters();
        assertEquals(200, http.get(hub.baseUrl() + "/api/models").status(), "a reset starts a fresh window");
    }

    @Test
    void pageDelaySlowsEveryAnswer() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));
        hub.setPageDelay(Duration.ofMillis(300));

        long start = System.nanoTime();
        assertEquals(200, http.get(hub.baseUrl() + "/api/models").status());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 300);
    }

    // ---- journal ----

    @Test
    void requestLogAuthorizationHeadersAndCountersRecordEveryRequestUntilReset() throws Exception {
        hub = StandInHub.start(snapshotOf(repo("a/one-GGUF", 1)));

        http.get(hub.baseUrl() + "/api/models?filter=gguf&expand%5B%5D=sha", "Bearer hf_test");
        http.get(hub.baseUrl() + "/api/models/a/one-GGUF?blobs=true");
        http.get(hub.baseUrl() + "/elsewhere");

        assertEquals(List.of("GET /api/models?filter=gguf&expand%5B%5D=sha", "GET /api/models/a/one-GGUF?blobs=true",
                "GET /elsewhere"), hub.requestLog());
        assertEquals(java.util.Arrays.asList("Bearer hf_test", null, null), hub.authorizationHeaders());
        assertEquals(3, hub.requests());
        assertEquals(1, hub.listingRequests());
        assertEquals(1, hub.detailRequests());
        hub.resetCounters();
        assertEquals(0, hub.requests());
        assertEquals(List.of(), hub.requestLog());
    }

    @Test
    void servesOnLoopbackOnly() {
        hub = StandInHub.start(new HubSnapshot());

        assertTrue(hub.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+"), hub.baseUrl());
    }

    // ---- helpers ----

    private List<String> ids(String pathAndQuery) throws Exception {
        HubHttp.Answer answer = http.get(hub.baseUrl() + pathAndQuery);
        if (answer.status() != 200) {
            fail(pathAndQuery + " answered " + answer.status() + ": " + answer.body());
        }
        return idsOf(answer.json());
    }

    private static List<String> idsOf(Iterable<JsonNode> items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> listedGgufIds(HubSnapshot snapshot) {
        return snapshot.all().stream().filter(r -> !r.isPrivate() && r.hasTag("gguf")).map(HubRepo::id)
                .collect(Collectors.toSet());
    }

    private static void touch(HubSnapshot snapshot, String id, Instant when) {
        HubRepo repo = snapshot.get(id);
        snapshot.put(repo.withUpdate(sha(99), when, repo.files()));
    }

    private static HubSnapshot snapshotOf(HubRepo... repos) {
        HubSnapshot snapshot = new HubSnapshot();
        for (HubRepo repo : repos) {
            snapshot.put(repo);
        }
        return snapshot;
    }

    /** A gguf repo whose commit and creation times both grow with {@code age}: higher is newer. */
    private static HubRepo repo(String id, int age) {
        return repo(id, age, List.of("gguf"), false);
    }

    private static HubRepo repo(String id, int age, List<String> tags, boolean isPrivate) {
        String name = id.substring(id.indexOf('/') + 1).replace("-GGUF", "");
        Instant time = NOW.minus(Duration.ofDays(100 - age));
        return new HubRepo(id, id.substring(0, id.indexOf('/')), sha(age), time, time.minus(Duration.ofDays(1)),
                Boolean.FALSE, 10L * age, (long) age, tags, "text-generation", "gguf", "llama", 4096L,
                7_000_000_000L, List.of(new RepoFile(".gitattributes", 1583), new RepoFile(name + ".Q4_K_M.gguf", 1_500_000_000L)),
                isPrivate);
    }

    private static String sha(int n) {
        return String.format("%040x", n);
    }
}
