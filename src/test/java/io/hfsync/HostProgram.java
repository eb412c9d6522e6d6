package io.hfsync;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Programs of the machine that some integration tests drive and no Maven artifact replaces; a test names the ones it
 * needs with {@link NeedsHostProgram}, and {@link MachineServices} skips it with {@link #missing()} where they are
 * absent.
 */
public enum HostProgram {

    CHROMIUM("Chromium and chromedriver", "apt-get install chromium chromium-driver", "chromium", "chromedriver"),
    NATS_SERVER("a NATS server on 127.0.0.1:4222", "apt-get install nats-server, then nats-server -a 127.0.0.1 -p 4222"),
    MOSQUITTO("mosquitto", "apt-get install mosquitto", "mosquitto"),
    NODE("node and npm", "apt-get install nodejs npm", "node", "npm"),
    /** Present unless the tests run as root on a machine without one: else MachineServices embeds PostgreSQL. */
    POSTGRESQL("PostgreSQL on 127.0.0.1:5432 (as root: the embedded one cannot run as root, PostgreSQL refuses to)",
            "apt-get install postgresql, trust for 127.0.0.1, database test; or run the tests as another user");

    private final String what;
    private final String howToGet;
    private final List<String> executables;

    HostProgram(String what, String howToGet, String... executables) {
        this.what = what;
        this.howToGet = howToGet;
        this.executables = List.of(executables);
    }

    boolean isPresent() {
        if (this == NATS_SERVER) {
            return MachineServices.answers(MachineServices.natsPort());
        }
        if (this == POSTGRESQL) {
            return MachineServices.answers(MachineServices.postgresPort()) || !MachineServices.runsAsRoot();
        }
        return executables.stream().allMatch(name -> find(name).isPresent());
    }

    /** The one line a skipped test shows. */
    String missing() {
        return "needs " + what + ", not found on this machine (Debian: " + howToGet + "; .ci/run installs it)";
    }

    /** The executable on the PATH ({@code -Dhfsync.test.path} replaces it). */
    public static Optional<Path> find(String name) {
        String path = System.getProperty("hfsync.test.path", System.getenv().getOrDefault("PATH", ""));
        return Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }
}
