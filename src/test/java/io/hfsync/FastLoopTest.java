package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code mvn test} stays a loop of seconds (docs/development.md, "Which command when"): a {@code *Test} class tests
 * logic and structure; one that starts the application, in the test JVM or as the packaged jar, is named
 * {@code *IT} and runs in {@code mvn verify}.
 */
class FastLoopTest {

    private static final Path TESTS = Path.of("src/test/java");
    /** What starts the application: the harness's runs, the daemon, Camel Main itself, the packaged jar. */
    private static final Pattern STARTS_THE_APPLICATION = Pattern.compile(
            "new SyncHarness\\(|new RunningDaemon\\(|\\bSyncMain\\b|new (Kamelet)?Main\\(|\\bJarProcess\\b");

    @Test
    void should_start_the_application_only_in_IT_classes() throws IOException {
        try (Stream<Path> files = Files.walk(TESTS)) {
            List<String> fastButStarting = files.filter(f -> f.getFileName().toString().endsWith("Test.java"))
                    .filter(FastLoopTest::startsTheApplication)
                    .map(f -> TESTS.relativize(f).toString())
                    .sorted().toList();
            assertEquals(List.of(), fastButStarting, "these start the application: name them *IT (they then run in "
                    + "mvn verify, not in the fast mvn test)");
        }
    }

    private static boolean startsTheApplication(Path source) {
        try {
            return STARTS_THE_APPLICATION.matcher(Files.readString(source)).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
