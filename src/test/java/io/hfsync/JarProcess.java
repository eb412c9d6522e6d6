package io.hfsync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged jar started with {@code java -jar} from the repository root as a separate process, configured only
 * through environment variables, its output (stdout and stderr) in a log file the test can read while it runs.
 */
final class JarProcess implements AutoCloseable {

    static final String REPORT = "=== SYNC MODE REPORT ===";

    final String name;
    final Process process;
    final Path log;

    private JarProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static JarProcess start(String name, Path logDir, Map<String, String> env, String... args) throws IOException {
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", "target/hf-gguf-sync.jar"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // the test's own environment must not configure the product
        builder.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("SYNC_") || k.startsWith("HUB_")
                || k.startsWith("CAMEL_") || k.equals("DATA_DIR") || k.startsWith("MANAGEMENT_") || k.startsWith("WEB_"));
        builder.environment().put("MANAGEMENT_HOST", "127.0.0.1");
        builder.environment().put("MANAGEMENT_PORT", "0");
        // daemons serve the catalog page too (SPEC §9): on loopback, on a port the OS picks, so replicas never collide
        builder.environment().put("WEB_HOST", "127.0.0.1");
        builder.environment().put("WEB_PORT", "0");
        // the stand-in has no limit; the default budget (150/min, evenly spaced) would only slow the tests down
        builder.environment().put("HUB_MAX_REQUESTS_PER_MINUTE", "60000");
        builder.environment().putAll(env);
        return new JarProcess(name, builder.start(), log);
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many syncs this process has reported so far. */
    int reports() {
        return output().split(REPORT, -1).length - 1;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return name;
    }
}
