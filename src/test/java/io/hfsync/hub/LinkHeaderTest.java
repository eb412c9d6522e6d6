package io.hfsync.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LinkHeaderTest {

    private static final String NEXT =
            "https://huggingface.co/api/models?filter=gguf&limit=500&sort=lastModified&cursor=eyIkb3IiOlt7Il9pZCI6%3D%3D";

    @Test
    void should_read_the_next_url_from_the_hubs_link_header() {
        assertEquals(NEXT, LinkHeader.next("<" + NEXT + ">; rel=\"next\""));
    }

    @Test
    void should_pick_the_next_link_among_several() {
        String header = "<https://huggingface.co/api/models?cursor=prev>; rel=\"prev\", <" + NEXT + ">; rel=\"next\", "
                + "<https://huggingface.co/api/models>; rel=\"first\"";

        assertEquals(NEXT, LinkHeader.next(header));
    }

    @Test
    void should_accept_an_unquoted_rel_and_extra_spaces() {
        assertEquals(NEXT, LinkHeader.next("<" + NEXT + ">  ;  rel=next"));
    }

    @Test
    void should_return_null_on_the_last_page() {
        assertNull(LinkHeader.next("<https://huggingface.co/api/models?cursor=prev>; rel=\"prev\""));
        assertNull(LinkHeader.next(""));
    }

    @Test
    void should_return_null_without_a_header() {
        assertNull(LinkHeader.next(null));
    }
}
