package io.hfsync.database;

/**
 * A checked model query. {@code match} is an FTS5 expression built from quoted words only (or null), the other
 * filters are null when not set; {@code maxSizeBytes} keeps models with a weights file of at most that size,
 * {@code fitsBytes} those with a weights file whose memory {@code total} at {@code context} is at most that many
 * bytes (docs/memory.md); one file must pass all three file filters. {@code context} is kept only with
 * {@code fitsBytes} (without it, it changes no answer).
 */
public record ModelFilter(String match, String quantization, String architecture, Long maxSizeBytes,
        String gated, Long fitsBytes, Long context) {

    public ModelFilter {
        if (fitsBytes == null) {
            context = null;
        } else if (context == null) {
            throw new IllegalArgumentException("fitsBytes needs a context");
        }
    }

    public ModelFilter(String match, String quantization, String architecture, Long maxSizeBytes, String gated) {
        this(match, quantization, architecture, maxSizeBytes, gated, null, null);
    }

    boolean filtersFiles() {
        return quantization != null || maxSizeBytes != null || fitsBytes != null;
    }
}
