package io.hfsync.catalog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a file's size comes from (docs/sync-modes.md, "Sizes the listing already proves"): a detail call's {@code blobs}, or the
 * listing's {@code gguf.totalFileSize} for a repo holding exactly one GGUF file. A file without a size has none.
 */
public enum SizeSource {
    BLOBS, LISTING;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Lenient: a value this version does not know reads as null. */
    @JsonCreator
    public static SizeSource fromWireName(String value) {
        for (SizeSource source : values()) {
            if (source.wireName().equals(value)) {
                return source;
            }
        }
        return null;
    }
}
