package io.hfsync.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a repo's file list into its logical GGUF files: the parts of a split set become one file named after its
 * first part, sized only when every announced part is there and sized.
 */
public final class GgufFiles {

    /** llama.cpp's gguf-split: {@code Model-Q8_0-00001-of-00003.gguf}. */
    private static final Pattern SPLIT_PART = Pattern.compile("^(.*)-(\\d{5})-of-(\\d{5})\\.gguf$", Pattern.CASE_INSENSITIVE);
    /** Plain byte pieces of a file over the Hub's 50 GB limit (mradermacher): {@code Model.Q8_0.gguf.part1of2}. */
    private static final Pattern BYTE_PART = Pattern.compile("^(.*\\.gguf)\\.part(\\d{1,4})of(\\d{1,4})$", Pattern.CASE_INSENSITIVE);

    /** One file of the repo as the Hub lists it; {@code size} is null when the Hub did not say. */
    public record RepoFile(String path, Long size) {
    }

    private GgufFiles() {
    }

    public static boolean isGguf(String path) {
        return path != null && path.toLowerCase(Locale.ROOT).endsWith(".gguf");
    }

    public static List<GgufFile> logicalFiles(List<RepoFile> repoFiles) {
        Map<String, SplitSet> splits = new LinkedHashMap<>();
        List<Object> ordered = new ArrayList<>();
        for (RepoFile file : repoFiles) {
            if (file.path() == null) {
                continue;
            }
            Part part = part(file.path());
            if (part != null) {
                String key = part.stem() + "|" + part.of();
                SplitSet set = splits.get(key);
                if (set == null) {
                    set = new SplitSet(part.of());
                    splits.put(key, set);
                    ordered.add(set);
                }
                set.add(part.index(), file);
            } else if (isGguf(file.path())) {
                ordered.add(GgufFile.single(file.path(), sane(file.size())));
            }
        }
        List<GgufFile> result = new ArrayList<>(ordered.size());
        for (Object o : ordered) {
            result.add(o instanceof SplitSet set ? set.toFile() : (GgufFile) o);
        }
        return result;
    }

    /** A part of a split set: {@code -00001-of-00003.gguf}, or a byte piece {@code .gguf.part1of2}. */
    public static boolean isPart(String path) {
        return path != null && part(path) != null;
    }

    /** How many parts a (logical) file name announces: 1 for a file that is not part of a split set. */
    public static int announcedParts(String path) {
        Part part = part(path);
        return part == null ? 1 : part.of();
    }

    /** Which part a (logical) file name is: 1 for a file that is not part of a split set. */
    public static int partIndex(String path) {
        Part part = part(path);
        return part == null ? 1 : part.index();
    }

    private record Part(String stem, int index, int of) {
    }

    private static Part part(String path) {
        Matcher m = SPLIT_PART.matcher(path);
        if (!m.matches()) {
            m = BYTE_PART.matcher(path);
            if (!m.matches()) {
                return null;
            }
        }
        int index = Integer.parseInt(m.group(2));
        int of = Integer.parseInt(m.group(3));
        // "-00000-of-00000" or "part3of2" announce no set: such a name is a file of its own
        return index >= 1 && index <= of ? new Part(m.group(1), index, of) : null;
    }

    /** A size the Hub could not mean (negative) is unknown. */
    private static Long sane(Long size) {
        return size == null || size < 0 ? null : size;
    }

    private static final class SplitSet {
        private final int announced;
        private final TreeMap<Integer, RepoFile> parts = new TreeMap<>();

        SplitSet(int announced) {
            this.announced = announced;
        }

        void add(int index, RepoFile file) {
            parts.put(index, file);
        }

        GgufFile toFile() {
            String name = parts.firstEntry().getValue().path();
            // indexes are within 1..announced, so as many distinct indexes as announced means every part is there
            boolean complete = parts.size() == announced;
            return new GgufFile(name, Quantization.of(name), complete ? total() : null, FileRole.of(name), announced,
                    complete);
        }

        /** The sum of the parts' sizes, or null when one is unknown or the sum makes no sense. */
        private Long total() {
            long total = 0;
            for (RepoFile part : parts.values()) {
                Long size = sane(part.size());
                if (size == null) {
                    return null;
                }
                try {
                    total = Math.addExact(total, size);
                } catch (ArithmeticException overflow) {
                    return null;
                }
            }
            return total;
        }
    }
}
