package io.hfsync.database;

/** Tests: steps a test holds to set two files' reads side by side; each runs nothing unless a test sets it. */
final class ReaderPauses {
    /** As a question starts reading a model list, from whichever file. */
    volatile Runnable answer = () -> { };
    /** As a file's page index starts being read, its lock held. */
    volatile Runnable index = () -> { };
    /** As a new connection to a file is about to be opened on its path. */
    volatile Runnable connect = () -> { };
}
