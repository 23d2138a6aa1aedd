package io.ordercqrs.testsupport;

import io.ordercqrs.localservers.KafkaBroker;
import io.ordercqrs.localservers.LocalMongo;
import io.ordercqrs.localservers.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Real servers without Docker: embedded PostgreSQL 17, a Kafka KRaft broker in a child JVM, mongo-java-server. */
final class EmbeddedServers implements RealServers {

    private final LocalPostgres postgres;
    private ProcessHandle postmaster;
    private final KafkaBroker kafka;
    private final LocalMongo mongo;

    EmbeddedServers() {
        Path directory = temporaryDirectory();
        // Kafka's JVM takes longest to boot, so it starts while the others do.
        CompletableFuture<KafkaBroker> broker = CompletableFuture.supplyAsync(() -> startKafka(directory));
        // Benchmarks ask for durable commits (as ./run and production have them); tests need not wait for disks.
        this.postgres = LocalPostgres.start(Boolean.getBoolean("ordercqrs.servers.durable")
                ? directory.resolve("postgres") : null, 0);
        this.mongo = LocalMongo.start(null, 0);
        this.kafka = broker.join();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.kill();
            mongo.close();
            postgres.close();
        }, "real-servers-shutdown"));
    }

    /**
     * Starts the broker on a free port. The port is free when picked, but the broker's JVM takes a
     * moment to bind it, and meanwhile a client connection of this JVM may take it as its local
     * port: then the broker is started again on another port.
     */
    private static KafkaBroker startKafka(Path directory) {
        for (int attempt = 1; ; attempt++) {
            try {
                return KafkaBroker.create(directory.resolve("kafka-" + attempt), 0, Map.of()).start();
            }
            catch (IllegalStateException e) {
                if (attempt == 3 || !bindFailed(directory.resolve("kafka-" + attempt))) {
                    throw e;
                }
            }
        }
    }

    private static boolean bindFailed(Path brokerDirectory) {
        try {
            return Files.readString(brokerDirectory.resolve("broker.log")).contains("Address already in use");
        }
        catch (IOException e) {
            return false;
        }
    }

    @Override
    public String jdbcUrl() {
        return postgres.jdbcUrl("postgres");
    }

    @Override
    public String jdbcUsername() {
        return LocalPostgres.USER;
    }

    @Override
    public String jdbcPassword() {
        return LocalPostgres.PASSWORD;
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String mongoUri() {
        return mongo.uri("ordercqrs");
    }

    @Override
    public void pausePostgres() {
        signal("STOP", postgresProcesses());
    }

    @Override
    public void resumePostgres() {
        signal("CONT", postgresProcesses());
    }

    @Override
    public void pauseKafka() {
        signal("STOP", List.of(kafka.pid()));
    }

    @Override
    public void resumeKafka() {
        signal("CONT", List.of(kafka.pid()));
    }

    /** The postmaster and every process it started, found from a backend of a fresh connection. */
    private synchronized List<Long> postgresProcesses() {
        if (postmaster == null) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl(), jdbcUsername(), jdbcPassword());
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("select pg_backend_pid()")) {
                rs.next();
                postmaster = ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent).orElseThrow();
            }
            catch (SQLException e) {
                throw new IllegalStateException("Could not find the PostgreSQL processes", e);
            }
        }
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster.pid());
        postmaster.descendants().forEach(process -> pids.add(process.pid()));
        return pids;
    }

    /** Signals every process; one that ended meanwhile (a backend whose client left) is no failure. */
    private static void signal(String signal, List<Long> pids) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes());
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("kill -" + signal + " " + pids + " did not finish");
            }
            boolean onlyGone = output.lines().allMatch(line -> line.isBlank() || line.contains("No such process"));
            if (kill.exitValue() != 0 && !onlyGone) {
                throw new IllegalStateException("kill -" + signal + " " + pids + " failed: " + output);
            }
        }
        catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stopKafka() {
        kafka.stop();
    }

    @Override
    public void startKafka() {
        kafka.start();
    }

    @Override
    public String kind() {
        return "embedded";
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("ordercqrs-test-servers");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
