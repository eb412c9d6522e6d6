package io.hfsync.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Header reads alongside the detail phase (docs/gguf-headers.md): their order, and that a publish never races them. */
@Timeout(10)
class HeadersAlongsideTest {

    private static final Map<String, Long> DOWNLOADS = Map.of("a", 10L, "b", 500L, "c", 20L, "d", 1_000L);

    @Test
    void should_read_the_most_downloaded_ready_model_first() throws Exception {
        HeadersAlongside alongside = new HeadersAlongside();
        alongside.open(List.of("a", "c"), DOWNLOADS::get);
        assertEquals("c", alongside.next(() -> false));
        // the detail phase read two more: the more downloaded goes before what was ready before it
        alongside.add("b", 500);
        alongside.add("d", 1_000);
        assertEquals("d", alongside.next(() -> false));
        assertEquals("b", alongside.next(() -> false));
        assertEquals("a", alongside.next(() -> false));
    }

    @Test
    void should_wait_for_a_ready_model_and_end_when_closed() throws Exception {
        HeadersAlongside alongside = new HeadersAlongside();
        alongside.open(List.of(), DOWNLOADS::get);
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> next(alongside));
        alongside.add("b", 500);
        assertEquals("b", waiting.get(5, TimeUnit.SECONDS));

        CompletableFuture<String> last = CompletableFuture.supplyAsync(() -> next(alongside));
        alongside.add("a", 10);
        assertEquals("a", last.get(5, TimeUnit.SECONDS));
        CompletableFuture<String> none = CompletableFuture.supplyAsync(() -> next(alongside));
        CompletableFuture<Exception> closed = CompletableFuture.supplyAsync(() -> close(alongside));
        // the reads route sees the end, finishes its reads in flight, then says it ended: only then is it closed
        assertNull(none.get(5, TimeUnit.SECONDS));
        assertFalse(closed.isDone(), "closed while a read could still be in flight");
        alongside.ended();
        assertNull(closed.get(5, TimeUnit.SECONDS));
        assertFalse(alongside.isOpen());
        alongside.add("c", 20);
        assertNull(alongside.next(() -> false), "nothing is read alongside once the detail phase ended");
    }

    @Test
    void should_hand_the_reads_failure_to_the_run_when_closed() throws Exception {
        HeadersAlongside alongside = new HeadersAlongside();
        alongside.open(List.of("a"), DOWNLOADS::get);
        UncheckedIOException cause = new UncheckedIOException("cannot journal a header read", new java.io.IOException("disk full"));
        alongside.failed(cause);
        alongside.ended();
        assertSame(cause, alongside.close(() -> false));
    }

    @Test
    void should_not_wait_for_the_reads_when_the_application_stops() throws Exception {
        HeadersAlongside alongside = new HeadersAlongside();
        alongside.open(List.of("a"), DOWNLOADS::get);
        assertNull(alongside.next(() -> true), "no read waits for the next model while the application stops");
        assertNull(alongside.close(() -> true), "the thread pools end the reads");
        assertFalse(alongside.isOpen());
    }

    @Test
    void should_close_at_once_when_never_opened() throws Exception {
        HeadersAlongside alongside = new HeadersAlongside();
        assertNull(alongside.close(() -> false));
        assertNull(alongside.next(() -> false));
        assertTrue(!alongside.isOpen());
    }

    private static String next(HeadersAlongside alongside) {
        try {
            return alongside.next(() -> false);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Exception close(HeadersAlongside alongside) {
        try {
            return alongside.close(() -> false);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
