package io.hfsync;

import io.hfsync.app.SyncMain;

/** Starts hf-gguf-sync: a daemon on {@code sync.cron}, or one sync with {@code --once} / {@code SYNC_ONCE=true}. */
public final class Application {

    public static void main(String[] args) throws Exception {
        // an OutOfMemoryError kills only the thread it hits; a half-alive process would hang a cron job forever
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (error instanceof VirtualMachineError) {
                System.err.println("hf-gguf-sync: " + error + " in " + thread.getName() + "; exiting, files left as they were");
                Runtime.getRuntime().halt(SyncMain.EXIT_SYNC_FAILED);
            }
        });
        System.exit(SyncMain.launch(args));
    }
}
