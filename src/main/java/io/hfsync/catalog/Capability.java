package io.hfsync.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a model can do, as far as the listing shows it (docs/files.md): a vision projector in the repo, a chat template
 * that handles tool calls or reasoning. Declared in sorted order, so a list of them is sorted as docs/files.md asks.
 */
public enum Capability {
    THINKING, TOOLS, VISION;

    /**
     * The sorted wire names of a model's capabilities; empty when none is known. An unknown template (no
     * {@code gguf} block) or unknown files say nothing, so the list can grow when they become known.
     */
    public static List<String> of(List<GgufFile> files, String chatTemplate) {
        List<String> found = new ArrayList<>(3);
        if (chatTemplate != null && chatTemplate.contains("<think>")) {
            found.add(THINKING.wireName());
        }
        if (chatTemplate != null && chatTemplate.contains("tools")) {
            found.add(TOOLS.wireName());
        }
        if (files != null && files.stream().anyMatch(file -> file != null && file.role() == FileRole.MMPROJ)) {
            found.add(VISION.wireName());
        }
        return found;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
