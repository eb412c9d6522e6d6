package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar started with {@code java -jar} as a separate process, the one way the tests launch it: configured
 * only through environment variables (the test's own that would configure the product are removed), JVM options and
 * arguments, from the repository root or any working directory. A daemon's output (stdout and stderr) goes to a log
 * file the test reads while it runs; a one-shot run is waited for and its stdout and stderr returned apart.
 */
final class JarProcess implements AutoCloseable {

    static final String REPORT = "=== SYNC MODE REPORT ===";
    static final Path JAR = Path.of("target/hf-gguf-sync.jar").toAbsolutePath();
    /**
     * A test's jar runs for seconds: the C2 compiler's threads would take about half its CPU (the packaged demo run
     * once: 28.5 s of user CPU with C2, 14.2 s without, on 2 cores shared with the test JVMs) and pay back nothing.
     */
    static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    /** How long a one-shot run may take before the test fails. */
    static final long ONE_SHOT_SECONDS = 120;

    final String name;
    final Process process;
    final Path log;

    private JarProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** How a one-shot run ended. */
    record Ended(int exitCode, String stdout, String stderr) {
    }

    /** A daemon (or a run the test watches), its output in {@code logDir/<name>.log}. */
    static JarProcess start(String name, Path logDir, Map<String, String> env, String... args) throws IOException {
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = builder(null, List.of(), env, args).redirectErrorStream(true).redirectOutput(log.toFile());
        return new JarProcess(name, builder.start(), log);
    }

    /**
     * Runs the jar to its end in {@code workingDir} (null: the repository root) with {@code jvmOptions}, its stdout
     * and stderr in files below {@code logDir}; fails the test when it does not end within {@value #ONE_SHOT_SECONDS}
     * s.
     */
    static Ended run(Path logDir, Path workingDir, List<String> jvmOptions, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(logDir, "out", ".log");
        Path err = Files.createTempFile(logDir, "err", ".log");
        Process process = builder(workingDir, jvmOptions, env, args).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertTrue(process.waitFor(ONE_SHOT_SECONDS, TimeUnit.SECONDS), "the one-shot run ends by itself");
        return new Ended(process.exitValue(), read(out), read(err));
    }

    private static ProcessBuilder builder(Path workingDir, List<String> jvmOptions, Map<String, String> env,
            String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                C1_ONLY));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        // the test's own environment must not configure the product
        builder.environment().keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("HUGGINGFACE_")
                || k.startsWith("SYNC_") || k.startsWith("HUB_") || k.startsWith("CAMEL_") || k.equals("DATA_DIR")
                || k.startsWith("MANAGEMENT_") || k.startsWith("WEB_"));
        builder.environment().put("MANAGEMENT_HOST", "127.0.0.1");
        builder.environment().put("MANAGEMENT_PORT", "0");
        // daemons serve the catalog page too (docs/browser.md): on loopback, on a port the OS picks, so replicas never collide
        builder.environment().put("WEB_HOST", "127.0.0.1");
        builder.environment().put("WEB_PORT", "0");
        // the stand-in has no limit; the default budgets (150/min, and the header reads' 1,000/min, evenly spaced)
        // would only slow the tests down
        builder.environment().put("HUB_MAX_REQUESTS_PER_MINUTE", "60000");
        builder.environment().put("HUB_MAX_RESOLVER_REQUESTS_PER_MINUTE", "60000");
        builder.environment().putAll(env);
        return builder;
    }

    String output() {
        try {
            return read(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
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
