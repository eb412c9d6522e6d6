package io.hfsync.hub;

import java.io.IOException;

/**
 * A Hub answer went past {@code hub.max-answer-mb} while it was read: the read stops there (nothing more is held or
 * spooled), and the run fails like on any Hub error instead of running the heap or the disk out (docs/faults.md). Never
 * retried: the Hub would send the same answer again.
 */
public final class AnswerTooLargeException extends IOException {

    public AnswerTooLargeException(long limit) {
        super("the Hub's answer is larger than hub.max-answer-mb=" + limit / (1024 * 1024) + " (" + limit + " bytes)");
    }
}
