package io.hfsync.sync;

import io.hfsync.store.DataFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One sync per data directory: an OS lock on {@code DATA_DIR/.lock}, which the OS releases when its holder dies,
 * so a killed process never leaves a stale lock behind. A one-shot process holds it for its whole life; a daemon
 * holds it for each run, so a standby replica sharing the directory can take over.
 */
public final class DataDirLock {

    public static final String FILE = DataFiles.LOCK;

    private final Path file;
    private FileChannel channel;
    private FileLock lock;
    private boolean forProcess;
    private boolean runActive;
    private boolean backfillActive;
    private volatile boolean yieldRequested;

    public DataDirLock(Path dataDir) {
        this.file = dataDir.resolve(FILE);
    }

    public Path file() {
        return file;
    }

    /** True when this process holds the lock now (it may already have held it). */
    public synchronized boolean acquire() {
        if (lock != null) {
            return true;
        }
        try {
            // a link in its place is not followed (it could point anywhere): the open fails and says so
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            closeChannel();
            return false;
        }
        return true;
    }

    public synchronized boolean acquireForProcess() {
        forProcess = acquire();
        return forProcess;
    }

    /**
     * One run at a time, across processes (the OS lock) and inside this one (two triggers, say a host's Kamelet
     * and a direct call, must not overlap either). False when another run holds it.
     */
    public synchronized boolean beginRun() {
        if (runActive || !acquire()) {
            return false;
        }
        runActive = true;
        return true;
    }

    /** A daemon backfill (docs/sync-modes.md) runs like a run, but gives way to a sync that asks for the lock. */
    public synchronized boolean beginBackfill() {
        if (!beginRun()) {
            return false;
        }
        backfillActive = true;
        yieldRequested = false;
        return true;
    }

    /** A sync is waiting: a running backfill stops handing out detail calls and publishes what it has. */
    public boolean yieldRequested() {
        return yieldRequested;
    }

    /**
     * {@link #beginRun()}, but when this process's backfill holds the lock, asks it to give way and waits for it up to
     * {@code patience}: a scheduled sync is never skipped because a backfill was running.
     */
    public synchronized boolean beginRun(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (runActive && backfillActive) {
            yieldRequested = true;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return beginRun();
    }

    /** After a run; a process-wide lock stays until {@link #release()}. */
    public synchronized void endRun() {
        runActive = false;
        backfillActive = false;
        yieldRequested = false;
        notifyAll();
        if (!forProcess) {
            release();
        }
    }

    public synchronized void release() {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException ignored) {
            // the channel close below releases it as well
        }
        lock = null;
        closeChannel();
    }

    private void closeChannel() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing held any more
        }
        channel = null;
    }
}
