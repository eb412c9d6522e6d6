package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A source file is short enough to read in one sitting, or says why not: a main source over {@value #MAX_LINES}
 * lines has a sentence starting "Long because" in its first comment (docs/development.md, "Long files").
 */
class FileSizesTest {

    private static final int MAX_LINES = 400;
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern FIRST_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
    /**
     * Files being split while another change is under way in them, each with the issue that splits it (none now). Each
     * must still be over the limit and unexplained: once split or explained, it leaves this list, so it cannot go stale.
     */
    private static final Map<String, String> SPLIT_PENDING = Map.of();

    @Test
    void should_say_why_a_source_file_is_over_400_lines() throws IOException {
        List<String> unexplained = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(f -> {
                String name = SOURCES.relativize(f).toString().replace('\\', '/');
                if (!explained(f) && !SPLIT_PENDING.containsKey(name)) {
                    unexplained.add(name + " (" + lines(f) + " lines)");
                }
            });
        }
        assertEquals(List.of(), unexplained, "files over " + MAX_LINES + " lines whose first comment does not say"
                + " \"Long because ...\": split them where they have a seam, or say why they are one file");
    }

    @Test
    void should_list_as_pending_only_files_still_waiting_for_their_split() {
        List<String> stale = new ArrayList<>();
        SPLIT_PENDING.keySet().stream().sorted().forEach(name -> {
            Path file = SOURCES.resolve(name);
            if (!Files.exists(file) || explained(file)) {
                stale.add(name);
            }
        });
        assertEquals(List.of(), stale, "split or explained now (or gone): take them off FileSizesTest.SPLIT_PENDING");
    }

    /** Short enough, or its first comment says why not. */
    private static boolean explained(Path file) {
        String text = read(file);
        if (text.lines().count() <= MAX_LINES) {
            return true;
        }
        Matcher first = FIRST_COMMENT.matcher(text);
        return first.find() && first.group().replaceAll("\\s*\\n\\s*\\*?", " ").contains("Long because");
    }

    private static long lines(Path file) {
        return read(file).lines().count();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
