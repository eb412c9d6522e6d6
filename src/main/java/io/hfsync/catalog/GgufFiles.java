package io.hfsync.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a repo's file list into its logical GGUF files: split parts become one file named after part 1. */
public final class GgufFiles {

    private static final Pattern SPLIT_PART = Pattern.compile("^(.*)-(\\d{5})-of-(\\d{5})\\.gguf$", Pattern.CASE_INSENSITIVE);

    /** One file of the repo as the Hub lists it; {@code size} is null when the Hub did not say. */
    public record RepoFile(String path, Long size) {
    }

    private GgufFiles() {
    }

    public static boolean isGguf(String path) {
        return path != null && path.toLowerCase(Locale.ROOT).endsWith(".gguf");
    }

    public static List<GgufFile> logicalFiles(List<RepoFile> repoFiles) {
        Map<String, SplitGroup> splits = new LinkedHashMap<>();
        List<Object> ordered = new ArrayList<>();
        for (RepoFile file : repoFiles) {
            if (!isGguf(file.path())) {
                continue;
            }
            Matcher m = SPLIT_PART.matcher(file.path());
            if (m.matches()) {
                String key = m.group(1) + "|" + m.group(3);
                SplitGroup group = splits.get(key);
                if (group == null) {
                    group = new SplitGroup(Integer.parseInt(m.group(3)));
                    splits.put(key, group);
                    ordered.add(group);
                }
                group.add(Integer.parseInt(m.group(2)), file);
            } else {
                ordered.add(new GgufFile(file.path(), Quantization.of(file.path()), file.size()));
            }
        }
        List<GgufFile> result = new ArrayList<>(ordered.size());
        for (Object o : ordered) {
            result.add(o instanceof SplitGroup g ? g.toFile() : (GgufFile) o);
        }
        return result;
    }

    private static final class SplitGroup {
        private final int expectedParts;
        private final java.util.TreeMap<Integer, RepoFile> parts = new java.util.TreeMap<>();

        SplitGroup(int expectedParts) {
            this.expectedParts = expectedParts;
        }

        void add(int part, RepoFile file) {
            parts.put(part, file);
        }

        GgufFile toFile() {
            RepoFile first = parts.values().iterator().next();
            // the sum is only the file's size when every part is there and sized
            boolean complete = parts.size() == expectedParts && parts.firstKey() == 1 && parts.lastKey() == expectedParts;
            Long total = complete ? 0L : null;
            for (RepoFile part : parts.values()) {
                if (total == null || part.size() == null) {
                    total = null;
                    break;
                }
                total += part.size();
            }
            return new GgufFile(first.path(), Quantization.of(first.path()), total);
        }
    }
}
