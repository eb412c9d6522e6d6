package io.hfsync.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.catalog.CatalogEntry;
import io.hfsync.catalog.FileMemory;
import io.hfsync.catalog.GgufFile;
import io.hfsync.catalog.TestEntries;
import io.hfsync.catalog.SizeSource;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CatalogMergeTest {

    private static final String T1 = "2024-01-01T00:00:00Z";
    private static final String T2 = "2024-02-01T00:00:00Z";
    /** As the catalog holds it: with the weights of its memory estimate (no GGUF header here). */
    private static final List<GgufFile> SIZED = FileMemory.withMemory(List.of(GgufFile.single("m.Q4_K_M.gguf", 4_000L)), null);
    private static final List<GgufFile> UNSIZED = List.of(GgufFile.single("m.Q4_K_M.gguf", null));

    @Test
    void should_count_a_model_missing_from_the_catalog_as_added() {
        CatalogMerge merge = new CatalogMerge(List.of());

        merge.acceptListed(listed("a/new", "sha1", T1));

        assertEquals(List.of("a/new"), merge.added());
        assertEquals(List.of(), merge.updated());
        assertEquals(List.of("a/new"), ids(merge.entries()));
    }

    @Test
    void should_count_a_model_whose_sha_changed_as_updated() {
        CatalogMerge merge = new CatalogMerge(List.of(stored("a/m", "sha1", T1)));

        merge.acceptListed(listed("a/m", "sha2", T1));

        assertEquals(List.of("a/m"), merge.updated());
        assertEquals("sha2", byId(merge).get("a/m").sha());
    }

    @Test
    void should_count_a_model_whose_last_modified_changed_as_updated() {
        CatalogMerge merge = new CatalogMerge(List.of(stored("a/m", "sha1", T1)));

        merge.acceptListed(listed("a/m", "sha1", T2));

        assertEquals(List.of("a/m"), merge.updated());
        assertEquals(T2, byId(merge).get("a/m").lastModified());
    }

    @Test
    void should_refresh_listing_fields_of_an_unchanged_model_without_counting_it() {
        CatalogMerge merge = new CatalogMerge(List.of(stored("a/m", "sha1", T1)));

        merge.acceptListed(withDownloads(listed("a/m", "sha1", T1), 999L));

        CatalogEntry now = byId(merge).get("a/m");
        assertEquals(999L, now.downloads());
        assertEquals(SIZED, now.files(), "sizes already paid for are kept");
        assertTrue(merge.added().isEmpty() && merge.updated().isEmpty() && merge.removed().isEmpty());
        assertEquals(List.of(), merge.needingDetails());
    }

    @Test
    void should_be_idempotent_when_two_strategies_list_the_same_new_model() {
        CatalogMerge merge = new CatalogMerge(List.of());

        merge.acceptListed(listed("a/new", "sha1", T1));
        merge.acceptDetail(detailed("a/new", "sha1", T1));
        merge.acceptListed(listed("a/new", "sha1", T1));

        assertEquals(List.of("a/new"), merge.added());
        assertEquals(1, merge.sizeNow());
        assertEquals(1, merge.listedCount());
        assertEquals(SIZED, byId(merge).get("a/new").files(), "second listing keeps the sizes of the detail call");
        assertEquals(List.of(), merge.needingDetails());
    }

    @Test
    void should_be_idempotent_when_an_updated_model_is_listed_twice() {
        CatalogMerge merge = new CatalogMerge(List.of(stored("a/m", "sha1", T1)));

        merge.acceptListed(listed("a/m", "sha2", T2));
        assertEquals(List.of("a/m"), merge.needingDetails());
        merge.acceptDetail(detailed("a/m", "sha2", T2));
        merge.acceptListed(listed("a/m", "sha2", T2));

        assertEquals(List.of("a/m"), merge.updated());
        assertEquals(List.of(), merge.needingDetails());
        assertEquals(SIZED, byId(merge).get("a/m").files(), "second listing keeps the sizes of the detail call");
        assertEquals(1, merge.sizeNow());
    }

    @Test
    void should_mark_models_a_completed_full_listing_did_not_return_as_removed_and_drop_them() {
        CatalogMerge merge = new CatalogMerge(List.of(stored("a/kept", "s", T1), stored("a/gone", "s", T1)));

        merge.acceptListed(listed("a/kept", "s", T1));
        merge.completeFullListing();

        assertEquals(List.of("a/gone"), merge.removed());
        assertEquals(List.of("a/kept"), ids(merge.entries()));
        assertEquals(2, merge.sizeBefore());
        assertEquals(1, merge.sizeNow());
    }

    @Test
    void should_never_remove_anything_without_a_completed_full_listing() {
        CatalogMerge merge = new CatalogMerge(List.of(stored("a/old", "s", T1), stored("b/old", "s", T1)));

        merge.acceptListed(listed("c/new", "s", T2));

        assertEquals(List.of(), merge.removed());
        assertEquals(List.of("a/old", "b/old", "c/new"), ids(merge.entries()));
    }

    @Test
    void should_keep_entries_sorted_by_id() {
        CatalogMerge merge = new CatalogMerge(List.of(stored("m/b", "s", T1)));

        merge.acceptListed(listed("z/c", "s", T1));
        merge.acceptListed(listed("a/a", "s", T1));

        assertEquals(List.of("a/a", "m/b", "z/c"), ids(merge.entries()));
    }

    @Test
    void should_ask_for_details_of_added_and_updated_models_not_yet_detailed() {
        CatalogMerge merge = new CatalogMerge(List.of(stored("b/upd", "s1", T1), stored("c/same", "s", T1)));

        merge.acceptListed(listed("d/new", "s", T1));
        merge.acceptListed(listed("b/upd", "s2", T2));
        merge.acceptListed(listed("c/same", "s", T1));
        merge.acceptListed(listed("a/new", "s", T1));
        merge.acceptDetail(detailed("d/new", "s", T1));

        assertEquals(List.of("a/new", "b/upd"), merge.needingDetails());
    }

    @Test
    void should_store_the_detail_of_an_added_model() {
        CatalogMerge merge = new CatalogMerge(List.of());
        merge.acceptListed(listed("a/new", "s", T1));

        merge.acceptDetail(detailed("a/new", "s", T1));

        assertEquals(SIZED, byId(merge).get("a/new").files());
    }

    @Test
    void should_ignore_a_detail_for_a_model_that_is_neither_added_nor_updated() {
        CatalogEntry before = stored("a/m", "s", T1);
        CatalogMerge merge = new CatalogMerge(List.of(before));

        merge.acceptDetail(detailed("a/m", "s-other", T2));

        assertEquals(before, byId(merge).get("a/m"));
    }

    @Test
    void should_drop_an_added_model_that_vanished_before_its_detail_call() {
        CatalogMerge merge = new CatalogMerge(List.of());
        merge.acceptListed(listed("a/new", "s", T1));

        merge.vanished("a/new");

        assertEquals(List.of(), merge.added());
        assertEquals(List.of(), merge.entries());
        assertEquals(List.of(), merge.needingDetails());
    }

    @Test
    void should_keep_the_previous_entry_of_an_updated_model_that_vanished_without_counting_it() {
        CatalogEntry before = stored("a/m", "sha1", T1);
        CatalogMerge merge = new CatalogMerge(List.of(before));
        merge.acceptListed(listed("a/m", "sha2", T2));

        merge.vanished("a/m");
        merge.completeFullListing();

        assertEquals(List.of(), merge.updated());
        assertEquals(List.of(), merge.removed());
        assertEquals(List.of(before), merge.entries());
    }

    private static List<String> ids(List<CatalogEntry> entries) {
        return entries.stream().map(CatalogEntry::id).toList();
    }

    private static Map<String, CatalogEntry> byId(CatalogMerge merge) {
        return merge.entries().stream().collect(Collectors.toMap(CatalogEntry::id, Function.identity()));
    }

    /** As the catalog holds it: sizes known. */
    @Test
    void should_publish_a_listing_size_only_once_the_run_trusts_it() {
        CatalogMerge merge = new CatalogMerge(List.of());
        merge.listingSizesWanted(true);

        merge.acceptListed(listed("a/one", "sha1", T1), 4_000L);

        assertEquals(List.of("a/one"), merge.listingSizeCandidates());
        assertEquals(List.of("a/one"), merge.needingDetails(), "undecided: still owes its call (and may be sampled)");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, merge::entries,
                "never written before the run decides");
        merge.trustListingSizes();
        assertEquals(List.of(), merge.needingDetails());
        GgufFile file = merge.entries().get(0).files().get(0);
        assertEquals(4_000L, file.size());
        assertEquals(SizeSource.LISTING, file.sizeSource());
        assertEquals(false, merge.entries().get(0).detailsPending());
        assertEquals(1, merge.listingSizesTaken());
    }

    @Test
    void should_drop_listing_sizes_in_doubt_and_owe_their_detail_calls_again() {
        CatalogEntry earlier = entry("a/old", "sha0", T1, 99L,
                List.of(GgufFile.single("m.Q4_K_M.gguf", null).withSize(3_000L, SizeSource.LISTING)));
        CatalogMerge merge = new CatalogMerge(List.of(earlier, stored("a/blobs", "sha2", T1)));
        merge.listingSizesWanted(true);
        merge.acceptListed(listed("a/one", "sha1", T1), 4_000L);

        assertEquals(2, merge.doubtListingSizes(true), "this run's and the earlier run's");

        Map<String, CatalogEntry> now = byId(merge);
        for (String id : List.of("a/one", "a/old")) {
            assertEquals(null, now.get(id).files().get(0).size(), id);
            assertEquals(null, now.get(id).files().get(0).sizeSource(), id);
            assertEquals(true, now.get(id).detailsPending(), id);
        }
        assertEquals(SIZED, now.get("a/blobs").files(), "a size read from blobs stands");
        assertEquals(List.of("a/old", "a/one"), merge.needingDetails(), "most downloaded first");
        assertEquals(0, merge.listingSizesTaken());
    }

    private static CatalogEntry stored(String id, String sha, String lastModified) {
        return entry(id, sha, lastModified, 10L, SIZED);
    }

    /** As the listing shows it: no sizes. */
    private static CatalogEntry listed(String id, String sha, String lastModified) {
        return entry(id, sha, lastModified, 10L, UNSIZED);
    }

    /** As the detail call answers: sizes known. */
    private static CatalogEntry detailed(String id, String sha, String lastModified) {
        return entry(id, sha, lastModified, 10L, SIZED);
    }

    static CatalogEntry entry(String id, String sha, String lastModified, List<GgufFile> files) {
        return entry(id, sha, lastModified, 10L, files);
    }

    private static CatalogEntry entry(String id, String sha, String lastModified, Long downloads, List<GgufFile> files) {
        return TestEntries.entry(id, sha, lastModified, downloads, files);
    }

    /** The entry with another download count (what a listing refreshes). */
    static CatalogEntry withDownloads(CatalogEntry e, Long downloads) {
        return new CatalogEntry(e.id(), e.author(), e.sha(), e.lastModified(), e.createdAt(), downloads, e.likes(),
                e.pipelineTag(), e.tags(), e.gated(), e.architecture(), e.contextLength(), e.parameters(), e.baseModel(),
                e.license(), e.capabilities(), e.files());
    }
}
