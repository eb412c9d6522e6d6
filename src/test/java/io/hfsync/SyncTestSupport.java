package io.hfsync;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What most integration tests start from, as Camel's {@code CamelTestSupport} is for route tests: a data directory of
 * the test's own and a {@link SyncHarness} on the shared stand-in Hub with its clock at {@link SyncHarness#T0}, new for
 * every test. A test class adds its scenario (repos, harness defaults) in a {@code @BeforeEach} of its own, which JUnit
 * runs after this one.
 */
public abstract class SyncTestSupport {

    @TempDir
    protected Path dataDir;
    protected SyncHarness app;

    @BeforeEach
    final void newHarness() {
        app = new SyncHarness(dataDir, SyncHarness.T0);
    }
}
