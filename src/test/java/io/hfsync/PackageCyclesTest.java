package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages form layers: no package reaches, through any chain of others, back to itself. A package uses another
 * when one of its sources names one of that package's types, by import or fully qualified. Inside a package the same
 * holds for its files: no file reaches back to itself through the files it names.
 */
class PackageCyclesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    /** A string literal on one line (unrolled, so a long one takes no deep recursion). */
    private static final Pattern STRING = Pattern.compile("\"[^\"\\\\\\n]*+(?:\\\\.[^\"\\\\\\n]*+)*+\"");
    private static final Pattern TYPE_REFERENCE = Pattern.compile("\\b(io\\.hfsync(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");

    @Test
    void should_find_no_cycle_between_packages() {
        Map<String, Set<String>> uses = packageUses();
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            List<String> path = pathBack(uses, start);
            if (path != null) {
                cycles.add(String.join(" -> ", path));
            }
        }
        assertEquals(List.of(), cycles, "package cycles (each shown from every package on it)");
    }

    @Test
    void should_find_no_cycle_between_the_files_of_a_package() {
        List<String> cycles = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(SOURCES)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                Map<String, Set<String>> uses = fileUses(dir);
                for (String start : uses.keySet()) {
                    List<String> path = pathBack(uses, start);
                    if (path != null) {
                        cycles.add(SOURCES.relativize(dir) + ": " + String.join(" -> ", path));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(List.of(), cycles, "cycles between the files of one package (each shown from every file on it)");
    }

    /** Which of the package's own files each file names (by simple name: no import is needed inside a package). */
    private static Map<String, Set<String>> fileUses(Path dir) throws IOException {
        Map<String, String> code = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> code.put(
                    f.getFileName().toString().replace(".java", ""),
                    STRING.matcher(COMMENT.matcher(read(f)).replaceAll("")).replaceAll("\"\"")));
        }
        Map<String, Set<String>> uses = new TreeMap<>();
        code.forEach((file, text) -> {
            for (String other : code.keySet()) {
                if (!other.equals(file) && Pattern.compile("\\b" + other + "\\b").matcher(text).find()) {
                    uses.computeIfAbsent(file, k -> new TreeSet<>()).add(other);
                }
            }
        });
        return uses;
    }

    @Test
    void should_keep_settings_below_the_code_that_reads_them() {
        assertEquals(Set.of("io.hfsync.mode"), packageUses().getOrDefault("io.hfsync.settings", Set.of()),
                "io.hfsync.settings may name only the enums it parses");
    }

    /** The shortest chain of uses from {@code start} back to itself, or null. */
    private static List<String> pathBack(Map<String, Set<String>> uses, String start) {
        Map<String, String> cameFrom = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (String next : uses.getOrDefault(at, Set.of())) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String p = at; !p.equals(start); p = cameFrom.get(p)) {
                        path.add(1, p);
                    }
                    path.add(start);
                    return path;
                }
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        return null;
    }

    static Map<String, Set<String>> packageUses() {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                String own = SOURCES.relativize(f.getParent()).toString().replace('/', '.').replace('\\', '.');
                Matcher m = TYPE_REFERENCE.matcher(COMMENT.matcher(read(f)).replaceAll(""));
                while (m.find()) {
                    if (!m.group(1).equals(own)) {
                        uses.computeIfAbsent(own, k -> new TreeSet<>()).add(m.group(1));
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return uses;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
