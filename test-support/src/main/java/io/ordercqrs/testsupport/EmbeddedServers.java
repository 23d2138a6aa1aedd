package io.ordercqrs.testsupport;

import io.ordercqrs.localservers.KafkaBroker;
import io.ordercqrs.localservers.LocalMongo;
import io.ordercqrs.localservers.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Real servers without Docker: embedded PostgreSQL 17, a Kafka KRaft broker in a child JVM, mongo-java-server. */
final class EmbeddedServers implements RealServers {

    private final LocalPostgres postgres;
    private final KafkaBroker kafka;
    private final LocalMongo mongo;

    EmbeddedServers() {
        Path directory = temporaryDirectory();
        // Kafka's JVM takes longest to boot, so it starts while the others do.
        CompletableFuture<KafkaBroker> broker = CompletableFuture.supplyAsync(
                () -> KafkaBroker.create(directory.resolve("kafka"), 0, Map.of()).start());
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
