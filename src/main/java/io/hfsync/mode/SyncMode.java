package io.hfsync.mode;

import java.util.Locale;

/** The sync modes a user can ask for; a run itself is always {@link #FULL} or {@link #INCREMENTAL}. */
public enum SyncMode {
    AUTO, FULL, INCREMENTAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SyncMode parse(String value) {
        for (SyncMode mode : values()) {
            if (mode.wireName().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new IllegalArgumentException(value);
    }
}
