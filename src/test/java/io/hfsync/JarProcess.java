package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
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
    /**
     * The serial collector, as the JVM picks by itself in a container with one CPU: G1's threads cost a jar that runs
     * for seconds about a tenth of its CPU here (a demo incremental run: 3.7 s of CPU with G1, 3.3 s serial). Not
     * for a test that sets the jar's JVM options itself (JAVA_TOOL_OPTIONS: BoundedMemoryIT's 64 MB heap keeps the
     * collector a 2-core machine picks, G1), since two collectors named at once stop the JVM.
     */
    static final String SERIAL_GC = "-XX:+UseSerialGC";
    /**
     * Class data sharing for the test's jars (issue 27): before the build's first jar start, a demo run of the jar
     * writes an AppCDS archive of the classes it loaded ({@code -XX:ArchiveClassesAtExit}, about 10 s once), every
     * start maps it ({@code -XX:SharedArchiveFile}): about 1.5 s less per start here (a demo run's incremental sync:
     * 4.1-4.5 s without, 2.6-2.8 s with). It changes only where the JVM reads class data from. The archive is named
     * after the jar's time and size (a rebuilt jar gets a new one), is written to a file of its own and renamed only
     * after its JVM exited, and only one JVM of all the test JVMs writes it (a claim file created atomically); a
     * start while it is written, or when it could not be, simply goes without. CDS's own
     * messages are off, so the product's output is what a user sees. {@code -Dhfsync.test.cds=false} starts every
     * jar without (to measure the difference).
     */
    static final Path CDS_DIR = Path.of("target/app-cds").toAbsolutePath();
    private static final List<String> CDS_QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

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
        ProcessBuilder builder = builder(null, sharedArchive(), env, args).redirectErrorStream(true).redirectOutput(log.toFile());
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
        List<String> options = new ArrayList<>(sharedArchive());
        options.addAll(jvmOptions);
        Process process = builder(workingDir, options, env, args).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        assertTrue(process.waitFor(ONE_SHOT_SECONDS, TimeUnit.SECONDS), "the one-shot run ends by itself");
        return new Ended(process.exitValue(), read(out), read(err));
    }

    /**
     * The options that map the build's archive; the first caller of all the test JVMs (the claim) writes it first;
     * none while another writes it or when it could not be written.
     */
    private static synchronized List<String> sharedArchive() {
        Path archive = archive();
        if (archive == null || !Files.isRegularFile(archive) && (claim(archive) == null || !dump(archive))) {
            return List.of();
        }
        List<String> options = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive));
        options.addAll(CDS_QUIET);
        return options;
    }

    /**
     * Writes {@code archive} from a demo run of the jar ({@code --demo --once}: Camel, the routes, the Hub client, the
     * catalog writer), at most {@value #ONE_SHOT_SECONDS} s; true when written. A failed attempt keeps its claim: the
     * build's other starts go without rather than try again.
     */
    private static boolean dump(Path archive) {
        Path partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        List<String> options = new ArrayList<>(List.of("-XX:ArchiveClassesAtExit=" + partial));
        options.addAll(CDS_QUIET);
        try {
            Process process = builder(null, options, Map.of("DATA_DIR", archive.resolveSibling(archive.getFileName() + ".data").toString()),
                    "--demo", "--once").redirectErrorStream(true).redirectOutput(CDS_DIR.resolve("dump.log").toFile())
                    .start();
            if (!process.waitFor(ONE_SHOT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return false;
            }
            if (process.exitValue() != 0 || !Files.isRegularFile(partial)) {
                return false;
            }
            // renamed only now that its JVM has exited: a partly written archive crashes the JVM that maps it
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // left in target/
            }
        }
    }

    /** Where this jar's archive is (or will be); null when the jar cannot be read. */
    private static Path archive() {
        if (!Boolean.parseBoolean(System.getProperty("hfsync.test.cds", "true"))) {
            return null;
        }
        try {
            BasicFileAttributes jar = Files.readAttributes(JAR, BasicFileAttributes.class);
            return CDS_DIR.resolve("hf-gguf-sync-" + jar.lastModifiedTime().toMillis() + "-" + jar.size() + ".jsa");
        } catch (IOException e) {
            return null;
        }
    }

    /** The claim to write {@code archive}, when no other JVM holds it; else null. */
    private static Path claim(Path archive) {
        try {
            Files.createDirectories(CDS_DIR);
            return Files.createFile(archive.resolveSibling(archive.getFileName() + ".claim"));
        } catch (IOException e) {
            // FileAlreadyExistsException: another JVM writes it
            return null;
        }
    }

    /**
     * This JDK's java with the flags every test's child JVM takes: {@link #C1_ONLY}, and {@link #SERIAL_GC} unless the
     * child's environment sets {@code JAVA_TOOL_OPTIONS}.
     */
    static List<String> java(Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                C1_ONLY));
        if (!env.containsKey("JAVA_TOOL_OPTIONS")) {
            command.add(SERIAL_GC);
        }
        return command;
    }

    private static ProcessBuilder builder(Path workingDir, List<String> jvmOptions, Map<String, String> env,
            String... args) {
        List<String> command = java(env);
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
