package io.hfsync.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

    @TempDir
    Path dataDir;

    @Test
    void should_refuse_a_second_run_in_the_same_process_until_the_first_ends() {
        DataDirLock lock = new DataDirLock(dataDir);

        assertTrue(lock.beginRun());
        assertFalse(lock.beginRun(), "two triggers must not overlap");
        lock.endRun();
        assertTrue(lock.beginRun());
        lock.endRun();
    }

    @Test
    void should_refuse_a_run_while_another_holder_has_the_directory() {
        DataDirLock first = new DataDirLock(dataDir);
        DataDirLock second = new DataDirLock(dataDir);

        assertTrue(first.beginRun());
        assertFalse(second.beginRun());
        first.endRun();
        assertTrue(second.beginRun());
        second.endRun();
    }

    @Test
    void should_keep_a_process_wide_lock_after_its_runs() {
        DataDirLock process = new DataDirLock(dataDir);
        DataDirLock other = new DataDirLock(dataDir);

        assertTrue(process.acquireForProcess());
        assertTrue(process.beginRun());
        process.endRun();
        assertFalse(other.beginRun(), "a one-shot process holds the directory for its whole life");
        process.release();
        assertTrue(other.beginRun());
        other.endRun();
    }
}
