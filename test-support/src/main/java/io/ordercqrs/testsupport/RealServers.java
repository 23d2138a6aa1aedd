package io.ordercqrs.testsupport;

import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * PostgreSQL, Kafka and MongoDB for integration tests, started once per test JVM on first use and
 * stopped when the JVM exits.
 *
 * <p>Which servers run is chosen by the system property or environment variable
 * {@code ordercqrs.test.servers} / {@code ORDERCQRS_TEST_SERVERS}: {@code embedded} (no Docker
 * needed), {@code testcontainers} ({@code postgres:17}, {@code apache/kafka}, {@code mongo:8}), or
 * {@code auto}, the default, which uses Testcontainers when a Docker engine answers.
 */
public interface RealServers {

    /** JDBC URL of an empty database for the application. */
    String jdbcUrl();

    String jdbcUsername();

    String jdbcPassword();

    /** Bootstrap servers of the Kafka broker. */
    String kafkaBootstrapServers();

    /** Connection string of the MongoDB database for the application. */
    String mongoUri();

    /** Takes the Kafka broker away from clients until {@link #startKafka()}; its data stays. */
    void stopKafka();

    /** Brings a broker stopped by {@link #stopKafka()} back on the same address. */
    void startKafka();

    /**
     * Freezes every PostgreSQL process (SIGSTOP, or a paused container) until
     * {@link #resumePostgres()}: connections stay open and nothing answers, like a stalled machine.
     */
    void pausePostgres();

    void resumePostgres();

    /** Freezes the Kafka broker until {@link #resumeKafka()}: connections stay open and nothing answers. */
    void pauseKafka();

    void resumeKafka();

    /** A short name of what runs, for logs: {@code embedded} or {@code testcontainers}. */
    String kind();

    /**
     * Creates an empty database next to the application's, for tests that need one to themselves.
     *
     * @return its JDBC URL (same credentials as {@link #jdbcUrl()})
     */
    default String createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("Not a plain database name: " + name);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), jdbcUsername(), jdbcPassword());
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        URI url = URI.create(jdbcUrl().substring("jdbc:".length()));
        return "jdbc:" + url.getScheme() + "://" + url.getAuthority() + "/" + name
                + (url.getQuery() == null ? "" : "?" + url.getQuery());
    }

    /** The servers of this JVM, started on first call. */
    static RealServers get() {
        return Holder.INSTANCE;
    }

    /** Starts the servers on first use; the JVM's shutdown stops them. */
    final class Holder {

        private static final Logger log = LoggerFactory.getLogger(RealServers.class);
        private static final RealServers INSTANCE = start();

        private Holder() {
        }

        private static RealServers start() {
            String choice = setting().toLowerCase(Locale.ROOT);
            boolean containers = switch (choice) {
                case "embedded" -> false;
                case "testcontainers" -> true;
                case "auto" -> dockerAnswers();
                default -> throw new IllegalArgumentException(
                        "ordercqrs.test.servers must be embedded, testcontainers or auto, not " + choice);
            };
            long started = System.nanoTime();
            RealServers servers = containers ? new ContainerServers() : new EmbeddedServers();
            log.info("Real servers ({}) ready in {} ms: postgres {}, kafka {}, mongodb {}", servers.kind(),
                    (System.nanoTime() - started) / 1_000_000, servers.jdbcUrl(), servers.kafkaBootstrapServers(),
                    servers.mongoUri());
            return servers;
        }

        private static String setting() {
            String property = System.getProperty("ordercqrs.test.servers");
            if (property != null && !property.isBlank()) {
                return property;
            }
            String environment = System.getenv("ORDERCQRS_TEST_SERVERS");
            return environment == null || environment.isBlank() ? "auto" : environment;
        }

        private static boolean dockerAnswers() {
            boolean configured = System.getenv("DOCKER_HOST") != null
                    || Files.exists(Path.of("/var/run/docker.sock"))
                    || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"))
                    || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
            if (!configured) {
                return false;
            }
            try {
                return DockerClientFactory.instance().isDockerAvailable();
            }
            catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
    }
}
