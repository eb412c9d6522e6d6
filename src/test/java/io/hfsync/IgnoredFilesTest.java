package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the documented commands write into a checkout stays out of git (docs/camel-platforms.md: camel run). */
class IgnoredFilesTest {

    @Test
    void should_ignore_what_camel_run_and_the_build_leave_in_the_checkout() throws IOException {
        List<String> ignored = Files.readAllLines(Path.of(".gitignore")).stream().map(String::strip).toList();
        // camel run (Camel JBang) keeps its state in .camel-jbang/ beside the routes it was started in
        for (String path : List.of(".camel-jbang/", "target/", "data/")) {
            assertTrue(ignored.contains(path), path + " is not in .gitignore: " + ignored);
        }
    }
}
