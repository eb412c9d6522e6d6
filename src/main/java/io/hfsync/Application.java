package io.hfsync;

import io.hfsync.app.SyncMain;

/** Starts hf-gguf-sync: a daemon on {@code sync.cron}, or one sync with {@code --once} / {@code SYNC_ONCE=true}. */
public final class Application {

    public static void main(String[] args) throws Exception {
        System.exit(SyncMain.launch(args));
    }
}
