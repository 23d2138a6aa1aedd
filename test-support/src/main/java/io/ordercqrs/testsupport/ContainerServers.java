package io.ordercqrs.testsupport;

import java.util.concurrent.CompletableFuture;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The same servers from their Docker images. Stopping Kafka pauses its container, so it comes back
 * on the same mapped port with its data.
 */
final class ContainerServers implements RealServers {

    private final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17");
    private final KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.0")
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
    private final MongoDBContainer mongo = new MongoDBContainer("mongo:8");

    ContainerServers() {
        CompletableFuture.allOf(
                CompletableFuture.runAsync(postgres::start),
                CompletableFuture.runAsync(kafka::start),
                CompletableFuture.runAsync(mongo::start)).join();
    }

    @Override
    public String jdbcUrl() {
        return postgres.getJdbcUrl();
    }

    @Override
    public String jdbcUsername() {
        return postgres.getUsername();
    }

    @Override
    public String jdbcPassword() {
        return postgres.getPassword();
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String mongoUri() {
        return mongo.getReplicaSetUrl("ordercqrs");
    }

    @Override
    public void pausePostgres() {
        DockerClientFactory.instance().client().pauseContainerCmd(postgres.getContainerId()).exec();
    }

    @Override
    public void resumePostgres() {
        DockerClientFactory.instance().client().unpauseContainerCmd(postgres.getContainerId()).exec();
    }

    @Override
    public void pauseKafka() {
        DockerClientFactory.instance().client().pauseContainerCmd(kafka.getContainerId()).exec();
    }

    @Override
    public void resumeKafka() {
        DockerClientFactory.instance().client().unpauseContainerCmd(kafka.getContainerId()).exec();
    }

    @Override
    public void stopKafka() {
        DockerClientFactory.instance().client().pauseContainerCmd(kafka.getContainerId()).exec();
    }

    @Override
    public void startKafka() {
        DockerClientFactory.instance().client().unpauseContainerCmd(kafka.getContainerId()).exec();
    }

    @Override
    public String kind() {
        return "testcontainers";
    }
}
