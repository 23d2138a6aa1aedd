package io.ordercqrs.service.kafka;

import io.ordercqrs.service.health.BoundedHealthCheck;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Kafka at {@code /actuator/health/kafka}: UP with the broker count when the cluster answers, DOWN
 * within two seconds when it does not. Not part of readiness: while Kafka is away commands are
 * still accepted (their events wait in the outbox) and views are still served.
 */
public final class KafkaHealth implements HealthIndicator, AutoCloseable {

    private final Map<String, Object> config;
    private final BoundedHealthCheck bounded;
    private Admin admin;

    public KafkaHealth(Map<String, Object> adminConfig) {
        this.config = new HashMap<>(adminConfig);
        this.config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1500);
        this.config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1500);
        this.bounded = new BoundedHealthCheck("Kafka", this::check, Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Override
    public Health health() {
        return bounded.health();
    }

    private synchronized Health check() {
        if (admin == null) {
            admin = Admin.create(config);
        }
        try {
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(1500)).nodes()
                    .get(2, TimeUnit.SECONDS).size();
            return Health.up().withDetail("brokers", brokers).build();
        }
        catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return Health.down().withDetail("error", "Kafka cannot be reached: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage())).build();
        }
    }

    @Override
    public synchronized void close() {
        bounded.close();
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
    }
}
