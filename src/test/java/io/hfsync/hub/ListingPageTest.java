package io.hfsync.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every field the catalog keeps arrives with its documented type (HUB_API.md) or not at all. */
class ListingPageTest {

    @ParameterizedTest
    @ValueSource(strings = {"false", "true", "\"auto\"", "\"manual\""})
    void should_keep_a_documented_gate(String gated) throws Exception {
        ListingPage page = read("[{\"id\":\"o/n\",\"gated\":" + gated + "}]");

        assertEquals(List.of(), page.malformed());
        assertEquals(gated.replace("\"", ""), String.valueOf(page.models().get(0).gated()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[[[[]]]]", "{\"a\":{}}", "\"yes\"", "1", "0.5"})
    void should_drop_a_gate_of_any_other_shape_and_name_it(String gated) throws Exception {
        ListingPage page = read("[{\"id\":\"o/n\",\"gated\":" + gated + ",\"downloads\":3}]");

        HubModel model = page.models().get(0);
        assertNull(model.gated());
        assertEquals(3L, model.downloads(), "the rest of the item is kept");
        assertEquals(List.of(new ListingPage.Malformed("o/n", "gated is not false, \"auto\" or \"manual\"", false)),
                page.malformed());
    }

    @Test
    void should_drop_every_kept_field_whose_type_is_not_the_documented_one() throws Exception {
        ListingPage page = read("""
                [{"id":"o/n","author":["a"],"sha":{"x":1},"pipeline_tag":5,"downloads":"12","likes":1.5,
                  "tags":["gguf",["nested"],{"k":"v"},7],
                  "siblings":[{"rfilename":"a.gguf","size":"big","lfs":[1]},{"rfilename":["x"]},"b.gguf",
                              {"rfilename":"c.gguf","lfs":{"size":true}}],
                  "gguf":{"total":"7B","architecture":{"n":"llama"},"context_length":4096}}]
                """);

        HubModel model = page.models().get(0);
        assertNull(model.author());
        assertNull(model.sha());
        assertNull(model.pipelineTag());
        assertNull(model.downloads());
        assertNull(model.likes());
        assertEquals(List.of("gguf"), model.tags());
        assertEquals(List.of("a.gguf", "c.gguf"), model.siblings().stream().map(HubModel.Sibling::rfilename).toList());
        assertNull(model.siblings().get(0).contentSize());
        assertNull(model.siblings().get(1).contentSize());
        assertNull(model.gguf().total());
        assertNull(model.gguf().architecture());
        assertEquals(4096L, model.gguf().contextLength());
        String problems = page.malformed().get(0).problem();
        for (String named : List.of("author is not text", "sha is not text", "pipeline_tag is not text",
                "downloads is not an integer", "likes is not an integer", "tags[1] is not text", "tags[3] is not text",
                "siblings[1] is not a file with a relative rfilename", "siblings[2] is not a file", "siblings[0].size is not an integer",
                "siblings[0].lfs is not an object", "siblings[3].lfs.size is not an integer", "gguf.total is not",
                "gguf.architecture is not text")) {
            assertTrue(problems.contains(named), named + " in " + problems);
        }
    }

    @Test
    void should_leave_out_an_item_whose_id_is_not_text() throws Exception {
        ListingPage page = read("[{\"id\":[\"o/n\"]},{\"id\":\"o/kept\"}]");

        assertEquals(List.of("o/kept"), page.models().stream().map(HubModel::id).toList());
        assertTrue(page.malformed().get(0).skipped());
    }

    @Test
    void should_bound_every_kept_field_so_no_entry_nears_the_16_mb_a_catalog_entry_may_take() throws Exception {
        StringBuilder item = new StringBuilder("[{\"id\":\"o/n\",\"author\":\"" + "a".repeat(300) + "\",\"tags\":[");
        for (int i = 0; i < 1_700; i++) {
            item.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        item.append(",\"").append("x".repeat(300)).append("\"],\"siblings\":[");
        for (int i = 0; i < 10_001; i++) {
            item.append(i == 0 ? "" : ",").append("{\"rfilename\":\"f").append(i).append(".gguf\"}");
        }
        item.append("]}]");

        ListingPage page = read(item.toString());

        HubModel model = page.models().get(0);
        assertEquals(HubFields.MAX_TAGS, model.tags().size());
        assertNull(model.author());
        assertNull(model.siblings(), "a file list cut short would be wrong: unknown instead");
        String problems = page.malformed().get(0).problem();
        assertTrue(problems.contains("tags holds 1700 entries: the first 1000 kept")
                && problems.contains("siblings holds more than 10000 files") && problems.contains("tags[1700] is not text")
                && problems.contains("author is not text of at most 256"), problems);
    }

    private static ListingPage read(String json) throws ListingPage.NotAListingException {
        return ListingPage.read(json.getBytes(StandardCharsets.UTF_8));
    }
}
